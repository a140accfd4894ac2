/**
 * The HTTP benchmark: `npm run bench` (builds first; not part of `npm test`).
 *
 * Starts the production server on a seed:large program, signs in over HTTP as real people of each role,
 * and drives each page with autocannon over loopback at each concurrency, beside two floors (a bare Remix
 * page, and Care Circle's /privacy page through its whole shell). Sign-in is measured on its own. The read
 * pages are repeated on each data size, and their p95 compared. Prints a Markdown report and writes it,
 * with the JSON, to bench/results/<date>-<driver>.{md,json}.
 *
 * Options: --patients 500,5000  --concurrency 1,16,64  --duration 5 (seconds per cell, after a 1 s warm-up)
 *          --driver better-sqlite3|libsql  --pages supporter-home,post-check-in,…  --no-pin
 *          --encoding "gzip, deflate, br" (what a browser accepts; "identity" measures without compression)
 */
import os from "node:os";
import { parseArgs } from "node:util";
import * as z from "zod";
import { commandOptions } from "./bench/options";
import { startServer } from "../tests/support/server-process";
import { choosePinning, pin, runCell, type Cell, type Pinning, type Server, type Target } from "./bench/cells";
import { benchDatabase, chooseUsers } from "./bench/data";
import { bareFloor, browserHeaders, buildFloorApp, privacyFloor, startFloorServer } from "./bench/floors";
import { pageKeys, pageTargets } from "./bench/pages";
import { markdown, writeResults, type Run } from "./bench/report";

const warmUpSeconds = 1;
/** Sign-in hashes a password per request: a few at once already fill a core. */
const signInConcurrency = [1, 16];

const { values } = parseArgs({
  options: {
    patients: { type: "string", default: "500,5000" },
    concurrency: { type: "string", default: "1,16,64" },
    duration: { type: "string", default: "5" },
    driver: { type: "string", default: "better-sqlite3" },
    pages: { type: "string", default: pageKeys.join(",") },
    "no-pin": { type: "boolean", default: false },
    encoding: { type: "string", default: browserHeaders["Accept-Encoding"] },
  },
});
const list = (name: string) =>
  z.string().transform((text, context) => {
    const numbers = text.split(",").map(Number);
    if (numbers.some((n) => !Number.isInteger(n) || n < 1))
      context.addIssue({ code: "custom", message: `--${name} takes whole numbers, comma-separated` });
    return numbers;
  });
const options = commandOptions(
  z.object({
    patients: list("patients"),
    concurrency: list("concurrency"),
    duration: z.coerce.number().positive("--duration is seconds per cell, more than 0"),
    driver: z.enum(["better-sqlite3", "libsql"], { error: "--driver is better-sqlite3 or libsql" }),
    pages: z
      .string()
      .transform((text) => text.split(","))
      .pipe(z.array(z.enum(pageKeys, { error: `--pages takes some of: ${pageKeys.join(", ")}` }))),
    "no-pin": z.boolean(),
    encoding: z.string().min(1).max(100),
  }),
  values,
);
browserHeaders["Accept-Encoding"] = options.encoding;

const started = Date.now();
const say = (message: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const loadAtStart = os.loadavg()[0]!;
// Counted before pinning: afterwards this process may use one CPU only.
const cpus = os.availableParallelism();
const pinning: Pinning = choosePinning(!options["no-pin"], cpus);
say(`The load tool shares the machine with the server: ${pinning.description}.`);
say(`Load average ${loadAtStart.toFixed(1)} on ${cpus} CPUs; driver ${options.driver}.`);

const cells: Cell[] = [];
const measure = async (server: Server, target: Target, patients: number | null, concurrency: number) => {
  const cell = await runCell(server, target, { patients, concurrency, seconds: options.duration, warmUpSeconds });
  say(`${target.label}, c=${concurrency}: ${cell.perSecond.toFixed(0)} req/s, p95 ${cell.latency.p95.toFixed(1)} ms`);
  cells.push(cell);
};

say("floor (a): building bench/floor-app into tmp/bench/floor-app");
buildFloorApp();
const floor = await startFloorServer();
try {
  if (pinning.pinned) pin(floor.pid, 0);
  for (const concurrency of options.concurrency) await measure({ ...floor, idlePath: "/" }, bareFloor, null, concurrency);
} finally {
  await floor.stop();
}

const users: Run["users"] = {};
for (const patients of options.patients) {
  const file = benchDatabase(patients, say);
  const chosen = chooseUsers(file);
  users[String(patients)] = {
    supporter: `${chosen.supporter.email} (${chosen.supporter.why})`,
    patient: `${chosen.patient.email} (${chosen.patient.why})`,
    therapist: `${chosen.therapist.email} (${chosen.therapist.why}); their patient ${chosen.therapistPatient.name} (${chosen.therapistPatient.why})`,
    module: `${chosen.module.slug}, section ${chosen.module.section} (${chosen.module.why})`,
    "sign-in": `${chosen.signInEmails.length} patient accounts in turn`,
  };
  say(`${patients} patients: starting the server on ${file} (${options.driver})`);
  // As a URL too: a DATABASE_URL in this environment would otherwise win over the copy's path (decision 014).
  const server = await startServer(file, {
    NODE_ENV: "production",
    DATABASE_DRIVER: options.driver,
    DATABASE_URL: `file:${file}`,
  });
  try {
    if (pinning.pinned) pin(server.pid, 0);
    const targets = await pageTargets(server.url, chosen, options.pages);
    for (const target of [privacyFloor, ...targets]) {
      const levels = target.kind === "sign-in" ? signInConcurrency : options.concurrency;
      for (const concurrency of levels) await measure({ ...server, idlePath: "/healthz" }, target, patients, concurrency);
    }
  } finally {
    await server.stop("SIGTERM");
  }
}

const run: Run = {
  date: new Date().toISOString().slice(0, 10),
  driver: options.driver,
  options: {
    patients: options.patients,
    concurrency: options.concurrency,
    duration: options.duration,
    warmUp: warmUpSeconds,
    pages: options.pages,
    encoding: options.encoding,
  },
  machine: {
    cpus,
    node: process.version,
    pinning: pinning.description,
    loadAverage: { start: loadAtStart, end: os.loadavg()[0]! },
  },
  users,
  cells,
  minutes: (Date.now() - started) / 60_000,
};
const text = markdown(run);
console.log(text);
say(`Written to ${writeResults(run, text)} and .json beside it.`);
