import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../../tests/support/paths";
import type { Cell } from "./cells";

export type Run = {
  date: string;
  driver: string;
  options: { patients: number[]; concurrency: number[]; duration: number; warmUp: number; pages: string[]; encoding: string };
  machine: { cpus: number; node: string; pinning: string; loadAverage: { start: number; end: number } };
  /** The people each data size was measured as. */
  users: Record<string, Record<string, string>>;
  cells: Cell[];
  minutes: number;
};

const ms = (value: number) => value.toFixed(1);
const ratio = (value: number | null) => (value === null ? "–" : `${value.toFixed(2)}×`);
const sizeOf = (patients: number) => `${patients.toLocaleString("en-US")} patients`;

function markdownTable(header: string[], rows: string[][]) {
  const right = header.map((_, column) => column > 0);
  return [
    `| ${header.join(" | ")} |`,
    `| ${right.map((alignRight) => (alignRight ? "---:" : "---")).join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");
}

function measures(cell: Cell) {
  return [
    ms(cell.latency.p50),
    ms(cell.latency.p95),
    ms(cell.latency.p99),
    `${cell.wrong} / ${cell.errors}`,
    cell.peakMiB === null ? "–" : `${cell.peakMiB.toFixed(0)}${cell.peakSinceStart ? "*" : ""}`,
    cell.cpuMsPerRequest === null ? "–" : cell.cpuMsPerRequest.toFixed(2),
  ];
}
const measureHeader = ["p50 ms", "p95 ms", "p99 ms", "non-2xx / errors", "peak MiB", "CPU ms/req"];

/** The whole report in Markdown: what is printed and what is written to bench/results/. */
export function markdown(run: Run) {
  const { cells, options } = run;
  const bare = (concurrency: number) => cells.find((c) => c.key === "floor-bare" && c.concurrency === concurrency);
  const privacy = (patients: number | null, concurrency: number) =>
    cells.find((c) => c.key === "floor-privacy" && c.patients === patients && c.concurrency === concurrency);
  const over = (cell: Cell, floor: Cell | undefined) => (floor ? cell.perSecond / floor.perSecond : null);

  const lines = [
    `# HTTP benchmark, ${run.date}, ${run.driver}`,
    "",
    `${run.minutes.toFixed(1)} minutes; ${options.duration} s per cell after a ${options.warmUp} s warm-up; ` +
      `concurrency ${options.concurrency.join(", ")}; Node ${run.machine.node}, ${run.machine.cpus} CPUs; ` +
      `load average ${run.machine.loadAverage.start.toFixed(1)} at the start, ${run.machine.loadAverage.end.toFixed(1)} at the end; ` +
      `requests accept the encodings "${options.encoding}".`,
    "",
    `The load tool (autocannon) runs on the same machine as the server and shares its cores: ${run.machine.pinning}. ` +
      "On a busy machine, CPU ms per request (the server's own CPU time, from /proc) is the steadier figure; " +
      "throughput and latency include waiting for a core.",
    "",
    "Throughput is given as a ratio to the two floors at the same concurrency: (a) a bare Remix page in a minimal app, " +
      "(b) Care Circle's /privacy page, which reads no data of its own but goes through the whole app shell. " +
      "Non-2xx counts every answer other than the page's own (for the check-in post, anything but its redirect); " +
      "errors are requests with no answer. Peak MiB is the server's VmHWM during the cell" +
      (cells.some((c) => c.peakSinceStart) ? " (* since the server started: the peak could not be reset)." : "."),
  ];

  const floorRows = cells
    .filter((c) => c.key === "floor-bare")
    .map((cell) => [cell.label, String(cell.concurrency), cell.perSecond.toFixed(0), "1.00×", "–", ...measures(cell)]);
  for (const patients of options.patients) {
    const sized = cells.filter((c) => c.patients === patients && c.kind !== "sign-in");
    if (sized.length === 0) continue;
    lines.push("", `## ${sizeOf(patients)}`, "");
    const users = run.users[String(patients)] ?? {};
    for (const [role, who] of Object.entries(users)) lines.push(`- ${role}: ${who}`);
    lines.push(
      "",
      markdownTable(
        ["page", "c", "req/s", "× floor (a)", "× floor (b)", ...measureHeader],
        [
          ...floorRows,
          ...sized.map((cell) => [
            cell.label,
            String(cell.concurrency),
            cell.perSecond.toFixed(0),
            ratio(over(cell, bare(cell.concurrency))),
            cell.key === "floor-privacy" ? "1.00×" : ratio(over(cell, privacy(patients, cell.concurrency))),
            ...measures(cell),
          ]),
        ],
      ),
    );
    const signIns = cells.filter((c) => c.patients === patients && c.kind === "sign-in");
    if (signIns.length > 0) {
      lines.push(
        "",
        `Sign-in on its own (argon2id is slow on purpose; not in the ratios), ${sizeOf(patients)}:`,
        "",
        markdownTable(
          ["", "c", "sign-ins/s", ...measureHeader],
          signIns.map((cell) => [cell.label, String(cell.concurrency), cell.perSecond.toFixed(1), ...measures(cell)]),
        ),
      );
    }
  }

  if (options.patients.length > 1) {
    const [first, last] = [options.patients[0]!, options.patients.at(-1)!];
    const reads = cells.filter((c) => c.patients === first && (c.kind === "read" || c.key === "floor-privacy"));
    lines.push(
      "",
      `## How p95 grows with the data: ${sizeOf(last)} against ${sizeOf(first)}`,
      "",
      markdownTable(
        ["page", "c", `p95 ms, ${first}`, `p95 ms, ${last}`, `ratio ${last}/${first}`],
        reads.map((small) => {
          const large = cells.find((c) => c.key === small.key && c.patients === last && c.concurrency === small.concurrency);
          return [
            small.label,
            String(small.concurrency),
            ms(small.latency.p95),
            large ? ms(large.latency.p95) : "–",
            large ? ratio(large.latency.p95 / small.latency.p95) : "–",
          ];
        }),
      ),
    );
  }
  return lines.join("\n") + "\n";
}

/** Writes bench/results/<date>-<driver>.json and .md, and answers the Markdown file's path. */
export function writeResults(run: Run, text: string) {
  const directory = path.join(projectRoot, "bench/results");
  fs.mkdirSync(directory, { recursive: true });
  const base = path.join(directory, `${run.date}-${run.driver}`);
  fs.writeFileSync(`${base}.json`, JSON.stringify(run, null, 2) + "\n");
  fs.writeFileSync(`${base}.md`, text);
  return path.relative(projectRoot, `${base}.md`);
}
