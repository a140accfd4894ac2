/**
 * Serves the floor app built by `npm run bench` (FLOOR_BUILD: its build folder) on PORT with nothing but
 * Express and Remix's request handler: no headers middleware, no session, no database.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import express from "express";

const buildDirectory = process.env.FLOOR_BUILD;
if (!buildDirectory) throw new Error("FLOOR_BUILD must name the floor app's build folder");
const build = pathToFileURL(path.join(buildDirectory, "index.js")).href;

const app = express();
app.disable("x-powered-by");
app.use("/build", express.static(path.join(buildDirectory, "../public/build"), { immutable: true, maxAge: "1y" }));
// Remix's Express adapter catches its own errors and hands them to `next`, as in server/app.ts; the
// built app is JavaScript without types.
// eslint-disable-next-line @typescript-eslint/no-misused-promises, @typescript-eslint/no-unsafe-assignment
app.all("*", createRequestHandler({ build: await import(build), mode: "production" }));
const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => console.log("floor listening"));
process.once("SIGTERM", () => server.close(() => process.exit(0)));
