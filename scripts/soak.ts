/**
 * Reliability under crash and load: `npm run soak` (builds first; not part of `npm test`).
 *
 * 1. Crash: on each driver, the compiled server is killed with SIGKILL at a random moment while
 *    patients post check-ins and change consents over HTTP, 100 times; after every restart the
 *    database is checked (tests/support/crash-cycles.ts).
 * 2. Load: on each driver, 64 workers read and write as ~150 signed-in people for two minutes,
 *    with the server's memory sampled from /proc (scripts/soak-load.ts).
 *
 * Prints one summary table and exits 1 if anything failed. Options: --cycles, --seconds,
 * --concurrency, --drivers better-sqlite3,libsql (for a shorter run while working on it).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { runCrashCycles, type CrashReport, type Driver } from "../tests/support/crash-cycles";
import { runLoad, type LoadReport } from "./soak-load";

const { values } = parseArgs({
  options: {
    cycles: { type: "string", default: "100" },
    seconds: { type: "string", default: "120" },
    concurrency: { type: "string", default: "64" },
    drivers: { type: "string", default: "better-sqlite3,libsql" },
  },
});
const cycles = Number(values.cycles);
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const drivers = values.drivers.split(",") as Driver[];
const root = path.resolve(import.meta.dirname, "..");
const say = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

const crashes: CrashReport[] = [];
for (const driver of drivers) {
  say(`crash: ${cycles} kills on ${driver}`);
  crashes.push(
    await runCrashCycles({
      directory: path.join(root, "tmp/soak", `crash-${driver}`),
      driver,
      cycles,
      writers: 8,
      killAfterMs: [100, 1500],
      progress: (message) => (/kill (\d+)\//.exec(message)?.[1]?.endsWith("0") ? say(message) : undefined),
    }),
  );
}
const loads: LoadReport[] = [];
for (const driver of drivers) {
  say(`load: ${seconds} s at concurrency ${concurrency} on ${driver}`);
  loads.push(
    await runLoad({
      directory: path.join(root, "tmp/soak", `load-${driver}`),
      driver,
      seconds,
      concurrency,
      patients: 50,
      progress: say,
    }),
  );
}

const table = (title: string, rows: [string, ...string[]][]) => {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  console.log(`\n${title}`);
  for (const [i, row] of rows.entries()) {
    console.log(
      row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  "),
    );
    if (i === 0) console.log(widths.map((width) => "-".repeat(width)).join("  "));
  }
};
const mib = (value: number) => `${value.toFixed(0)} MiB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const pct = (share: number) => `${(share * 100).toFixed(0)}%`;
const verdict = (failures: string[]) => (failures.length === 0 ? "pass" : "FAIL");

table("Crash: SIGKILL at a random moment during writes, then restart and check", [
  ["", ...crashes.map((report) => report.driver)],
  ["kills and restarts", ...crashes.map((report) => String(report.cycles))],
  ["check-ins acknowledged", ...crashes.map((report) => String(report.acknowledged.checkIns))],
  ["consent changes acknowledged", ...crashes.map((report) => String(report.acknowledged.consents))],
  ["acknowledged writes found after the last restart", ...crashes.map((report) => String(report.verified))],
  ["writes cut off by a kill (committed anyway)", ...crashes.map((r) => `${r.inFlight.sent} (${r.inFlight.committed})`)],
  ["integrity, writes, one consent per link: every restart", ...crashes.map((report) => verdict(report.failures))],
  ["minutes", ...crashes.map((report) => (report.seconds / 60).toFixed(1))],
]);
table(`Load: ${concurrency} at once for ${seconds} s, reads and writes by many people`, [
  ["", ...loads.map((report) => report.driver)],
  ["people signed in", ...loads.map((report) => String(report.people))],
  ["requests (reads / writes)", ...loads.map((r) => `${r.requests.total} (${r.requests.reads} / ${r.requests.writes})`)],
  ["requests per second", ...loads.map((report) => report.requests.perSecond.toFixed(0))],
  ["p50", ...loads.map((report) => ms(report.latency.p50))],
  ["p95", ...loads.map((report) => ms(report.latency.p95))],
  ["p99", ...loads.map((report) => ms(report.latency.p99))],
  ["max", ...loads.map((report) => ms(report.latency.max))],
  ["5xx", ...loads.map((report) => String(report.errors.serverErrors))],
  ["other wrong answers / no answer", ...loads.map((r) => `${r.errors.unexpected} / ${r.errors.network}`)],
  ["database busy in server log", ...loads.map((report) => String(report.errors.busyInLog))],
  ["RSS start / peak / end", ...loads.map((r) => `${mib(r.memory.start)} / ${mib(r.memory.peak)} / ${mib(r.memory.end)}`)],
  ["RSS growth after warm-up (bound)", ...loads.map((r) => `${r.memory.growth.toFixed(1)} (${r.memory.bound}) MiB`)],
  ["CPU, share of one core: server / client", ...loads.map((r) => `${pct(r.cpu.server)} / ${pct(r.cpu.client)}`)],
  ["machine load average (1 min) at the end", ...loads.map((report) => report.cpu.loadAverage.toFixed(1))],
  ["result", ...loads.map((report) => verdict(report.failures))],
]);
for (const report of loads) {
  table(`What people did under that load, on ${report.driver}`, [
    ["step", "times", "p50", "p95"],
    ...report.steps.map((step): [string, ...string[]] => [step.name, String(step.count), ms(step.p50), ms(step.p95)]),
  ]);
}

const failures = [
  ...crashes.flatMap((report) => report.failures.map((failure) => `crash, ${report.driver}: ${failure}`)),
  ...loads.flatMap((report) => report.failures.map((failure) => `load, ${report.driver}: ${failure}`)),
];
if (failures.length > 0) {
  console.log(`\nFailed:\n  ${failures.join("\n  ")}`);
  process.exitCode = 1;
}
