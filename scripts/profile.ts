/**
 * Where a page's time goes: `npm run profile -- --page supporter-updates` (builds first).
 *
 * Starts the production server on the benchmark's copy of a seed:large program with V8's CPU profiler on,
 * drives one page with autocannon as the benchmark does, stops the server, and prints where the samples
 * fell while the page was driven (not the start): by package (or the app's own code), and the functions
 * with the most time of their own. The whole
 * profile is kept in tmp/profile/ for Chrome's DevTools (Performance, "Load profile").
 *
 * Options: --page <a benchmark page, or "shell">  --patients 500  --concurrency 16  --duration 10
 *          --driver better-sqlite3|libsql  --encoding "gzip, deflate, br" (as the benchmark)
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import * as z from "zod";
import { commandOptions } from "./bench/options";
import { projectRoot } from "../tests/support/paths";
import { startServer } from "../tests/support/server-process";
import { runCell } from "./bench/cells";
import { benchDatabase, chooseUsers } from "./bench/data";
import { browserHeaders, privacyFloor } from "./bench/floors";
import { pageKeys, pageTargets } from "./bench/pages";

const { values } = parseArgs({
  options: {
    page: { type: "string", default: "shell" },
    patients: { type: "string", default: "500" },
    concurrency: { type: "string", default: "16" },
    duration: { type: "string", default: "10" },
    driver: { type: "string", default: "better-sqlite3" },
    encoding: { type: "string", default: browserHeaders["Accept-Encoding"] },
  },
});
const options = commandOptions(
  z.object({
    page: z.enum(["shell", ...pageKeys], { error: `--page is shell or one of: ${pageKeys.join(", ")}` }),
    patients: z.coerce.number().int().positive(),
    concurrency: z.coerce.number().int().positive(),
    duration: z.coerce.number().positive(),
    driver: z.enum(["better-sqlite3", "libsql"]),
    encoding: z.string().min(1).max(100),
  }),
  values,
);
browserHeaders["Accept-Encoding"] = options.encoding;
const say = (message: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

const profileDirectory = path.join(projectRoot, "tmp/profile");
fs.rmSync(profileDirectory, { recursive: true, force: true });
fs.mkdirSync(profileDirectory, { recursive: true });

const file = benchDatabase(options.patients, say);
const window = { from: 0, until: Number.POSITIVE_INFINITY };
const server = await startServer(
  file,
  { NODE_ENV: "production", DATABASE_DRIVER: options.driver, DATABASE_URL: `file:${file}` },
  undefined,
  ["--cpu-prof", `--cpu-prof-dir=${profileDirectory}`],
);
try {
  const target = options.page === "shell" ? privacyFloor : (await pageTargets(server.url, chooseUsers(file), [options.page]))[0]!;
  // V8 stamps samples with the system's monotonic clock, as hrtime reads it here: the window leaves out the start.
  window.from = Number(process.hrtime.bigint() / 1000n);
  const cell = await runCell({ ...server, idlePath: "/healthz" }, target, {
    patients: options.patients,
    concurrency: options.concurrency,
    seconds: options.duration,
    warmUpSeconds: 1,
  });
  say(
    `${target.label}, c=${options.concurrency}: ${cell.perSecond.toFixed(0)} req/s, ${cell.cpuMsPerRequest?.toFixed(2) ?? "?"} CPU ms/req`,
  );
} finally {
  // The profiler writes its file as the process exits.
  await server.stop("SIGTERM");
}

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] };

const written = fs.readdirSync(profileDirectory).find((name) => name.endsWith(".cpuprofile"));
if (!written) throw new Error("The server wrote no profile");
const profile = JSON.parse(fs.readFileSync(path.join(profileDirectory, written), "utf8")) as Profile;
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMs = new Map<number, number>();
let stamp = profile.startTime;
profile.samples.forEach((id, i) => {
  stamp += profile.timeDeltas[i] ?? 0;
  if (stamp >= window.from && stamp <= window.until) selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
});

/** The package a frame's file belongs to, or the app's own code, or what V8 calls it ("(garbage collector)"). */
function owner(frame: ProfileNode["callFrame"]) {
  if (!frame.url) return frame.functionName || "(native)";
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (inPackage) return inPackage[1]!;
  if (frame.url.startsWith("node:")) return "node";
  if (frame.url.includes("/build/")) return "app (build)";
  return path.relative(projectRoot, frame.url.replace("file://", ""));
}

const busyMs = [...selfMs].reduce((sum, [id, ms]) => (nodes.get(id)!.callFrame.functionName === "(idle)" ? sum : sum + ms), 0);
const table = (title: string, totals: Map<string, number>, rows: number) => {
  console.log(`\n${title} (share of ${busyMs.toFixed(0)} busy ms)`);
  for (const [name, ms] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, rows))
    console.log(`${((100 * ms) / busyMs).toFixed(1).padStart(6)}%  ${name}`);
};
const byOwner = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const frame = nodes.get(id)!.callFrame;
  if (frame.functionName === "(idle)") continue;
  byOwner.set(owner(frame), (byOwner.get(owner(frame)) ?? 0) + ms);
  const name = `${frame.functionName || "(anonymous)"}  ${owner(frame)}:${frame.lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
}
table("Time of its own, by package", byOwner, 20);
table("Time of its own, by function", byFunction, 30);
say(`The whole profile: ${path.relative(projectRoot, path.join(profileDirectory, written))}`);
