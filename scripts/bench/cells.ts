import { execFileSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { cpuSeconds, peakResidentKiB, resetPeakResident } from "../../tests/support/server-process";

/** One thing to ask the server for, again and again, as autocannon sends it. */
export type Target = {
  key: string;
  label: string;
  /** Read pages are repeated on each data size and compared across them; writes and sign-in are not. */
  kind: "floor" | "read" | "write" | "sign-in";
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The body of each request in turn, when every request differs (a different account per sign-in). */
  nextBody?: () => string;
  /** Which answers count as success: 200 for a page, the redirect after a save or a sign-in. */
  succeeded: (status: number) => boolean;
};

/** What one target did at one concurrency, measured after the warm-up. */
export type Cell = {
  key: string;
  label: string;
  kind: Target["kind"];
  /** The data size the server held; null for the bare floor, which has no data. */
  patients: number | null;
  concurrency: number;
  seconds: number;
  requests: number;
  perSecond: number;
  /** Milliseconds from sending a request to having its whole answer. */
  latency: { p50: number; p95: number; p99: number };
  /** Answers other than success (any other status) and requests with no answer (connection errors, timeouts). */
  wrong: number;
  errors: number;
  statuses: Record<string, number>;
  /** The server's peak resident memory during the cell (VmHWM); over the server's whole life when it could not be reset. */
  peakMiB: number | null;
  peakSinceStart: boolean;
  /** The server's CPU time (user and system, from /proc) over the cell, per request. */
  cpuMsPerRequest: number | null;
};

export type Pinning = { pinned: boolean; description: string };

/**
 * autocannon runs in this process and shares the machine with the server. With two or more CPUs and
 * taskset, the server gets CPU 0 and this process CPU 1, so the load tool does not take the server's core.
 */
export function choosePinning(wanted: boolean, cpus: number): Pinning {
  if (!wanted) return { pinned: false, description: "not pinned (--no-pin): server and load tool share every core" };
  if (cpus < 2) return { pinned: false, description: `not pinned: ${cpus} CPU, so server and load tool share it` };
  try {
    execFileSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" });
  } catch {
    return { pinned: false, description: "not pinned: taskset is not installed; server and load tool share every core" };
  }
  pin(process.pid, 1);
  return { pinned: true, description: "pinned with taskset: server on CPU 0, autocannon (this process) on CPU 1" };
}

/** Pins every thread of `pid` to one CPU; threads it starts later inherit it. */
export function pin(pid: number, cpu: number) {
  execFileSync("taskset", ["-a", "-p", "-c", String(cpu), String(pid)], { stdio: "ignore" });
}

function percentile(sorted: number[], q: number) {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Runs autocannon once; tells `onAnswer` of every answer (autocannon's own histogram has no p95). */
function fire(target: Target, url: string, connections: number, seconds: number, onAnswer: (status: number, ms: number) => void) {
  const { nextBody } = target;
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        requests: [
          {
            method: target.method,
            path: target.path,
            headers: target.headers,
            ...(target.body === undefined ? {} : { body: target.body }),
            ...(nextBody ? { setupRequest: (request: autocannon.Request) => ({ ...request, body: nextBody() }) } : {}),
          },
        ],
      },
      (error: unknown, result) =>
        error ? reject(error instanceof Error ? error : new Error("autocannon failed")) : resolve(result),
    );
    instance.on("response", (_client, status, _bytes, ms) => onAnswer(status, ms));
  });
}

/**
 * Waits for the server to finish what autocannon left it: when a run ends, autocannon drops its
 * connections, but the server still works through every request it had accepted (at concurrency 64 on a
 * slow page, seconds of work). Left alone, that backlog would be measured as the next cell's latency.
 * A request sent now does not wait for all of it (a page makes several queries, and it only queues behind
 * the first), so the server counts as done when it answers and then uses under a tenth of a core.
 */
async function drain(server: Server) {
  for (let attempt = 1; ; attempt++) {
    try {
      await (await fetch(`${server.url}${server.idlePath}`)).text();
      break;
    } catch (error) {
      // fetch may reuse a kept-alive connection the server has just closed after its idle timeout.
      if (attempt === 3) throw error;
    }
  }
  const window = 300;
  const deadline = Date.now() + 120_000;
  let before = cpuSeconds(server.pid);
  while (before !== null && Date.now() < deadline) {
    await sleep(window);
    const now = cpuSeconds(server.pid);
    if (now === null || (now - before) * 1000 < window / 10) return;
    before = now;
  }
}

/** A running server: where it answers, its process (for /proc), and a cheap path to wait on. */
export type Server = { url: string; pid: number; idlePath: string };

/**
 * One cell: a warm-up that is not counted (the page's code, statements and cache pages loaded), then
 * `seconds` of `concurrency` connections asking for `target`, with the server's CPU time and peak memory.
 */
export async function runCell(
  server: Server,
  target: Target,
  options: { patients: number | null; concurrency: number; seconds: number; warmUpSeconds: number },
): Promise<Cell> {
  const { concurrency, seconds } = options;
  await fire(target, server.url, concurrency, options.warmUpSeconds, () => {});
  await drain(server);
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let wrong = 0;
  const peakSinceStart = !resetPeakResident(server.pid);
  const cpuBefore = cpuSeconds(server.pid);
  const result = await fire(target, server.url, concurrency, seconds, (status, ms) => {
    times.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (!target.succeeded(status)) wrong++;
  });
  const cpuAfter = cpuSeconds(server.pid);
  const peakKiB = peakResidentKiB(server.pid);
  await drain(server);
  times.sort((a, b) => a - b);
  return {
    key: target.key,
    label: target.label,
    kind: target.kind,
    patients: options.patients,
    concurrency,
    seconds: result.duration,
    requests: times.length,
    perSecond: times.length / result.duration,
    latency: { p50: percentile(times, 0.5), p95: percentile(times, 0.95), p99: percentile(times, 0.99) },
    wrong,
    errors: result.errors,
    statuses,
    peakMiB: peakKiB === null ? null : peakKiB / 1024,
    peakSinceStart,
    cpuMsPerRequest:
      cpuBefore === null || cpuAfter === null || times.length === 0 ? null : ((cpuAfter - cpuBefore) * 1000) / times.length,
  };
}
