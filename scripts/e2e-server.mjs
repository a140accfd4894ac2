/** Starts the built app on a brand-new database for the end-to-end tests. */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const database = process.env.DATABASE_PATH ?? "tmp/e2e/care-circle.db";
fs.rmSync(path.dirname(database), { recursive: true, force: true });

const server = spawn(process.execPath, ["build/server.js"], { stdio: "inherit", env: process.env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
