import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { projectRoot } from "./paths";

/**
 * The compiled server (build/server.js) in a child process, as `npm start` runs it in production:
 * for tests and scripts that need the real process (its start, its memory, what a SIGKILL leaves behind).
 * Run `npm run build` first.
 */
export type ServerProcess = {
  url: string;
  pid: number;
  /** Everything it printed on stdout and stderr so far. */
  output: () => string;
  /** Sends `signal` and resolves once the process has exited. */
  stop: (signal: NodeJS.Signals) => Promise<void>;
};

export function freePort() {
  return new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts build/server.js on `database` and resolves once /healthz answers. `environment` is added to
 * this process's own (NODE_ENV, DATABASE_DRIVER, DEMO…); the port is a free one unless given; `nodeArguments`
 * go to Node before the script (a profiler's flags).
 */
export async function startServer(
  database: string,
  environment: Record<string, string> = {},
  port?: number,
  nodeArguments: string[] = [],
): Promise<ServerProcess> {
  const listenOn = port ?? (await freePort());
  const url = `http://127.0.0.1:${listenOn}`;
  let output = "";
  const child = spawn(process.execPath, [...nodeArguments, path.join(projectRoot, "build/server.js")], {
    cwd: projectRoot,
    env: { ...process.env, ...environment, DATABASE_PATH: database, PORT: String(listenOn), APP_URL: url },
  });
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    // A server that dies while starting (a bad migration, a port taken) fails here with what it printed.
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`The server exited while starting:\n${output}`);
    const health = await fetch(`${url}/healthz`).catch(() => null);
    if (health?.ok) {
      await health.body?.cancel();
      break;
    }
    if (health || Date.now() > deadline) {
      await stop("SIGKILL");
      throw new Error(`The server did not become healthy (${health?.status ?? "no answer"}):\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, pid: child.pid!, output: () => output, stop };
}

/** The resident set size of a process in KiB, from /proc (Linux), or null where there is no /proc. */
export function residentSetKiB(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** The peak resident set size of a process in KiB since it started or since `resetPeakResident` (VmHWM), or null. */
export function peakResidentKiB(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Starts a new peak for `peakResidentKiB` (Linux 4.0+, writing 5 to /proc/<pid>/clear_refs, which needs the
 * process's owner). Answers whether it could; if not, the peak stays the one since the process started.
 */
export function resetPeakResident(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** CPU time (user and system) a process has used so far, in seconds, from /proc (Linux), or null. */
export function cpuSeconds(pid: number): number | null {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, counted after the command name (which may hold spaces).
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // Linux reports them in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
