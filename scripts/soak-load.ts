/**
 * The load half of `npm run soak`: the compiled server in its own process, many signed-in people
 * reading and writing at once for a while. It fails on any 5xx, any answer other than the one the
 * page gives a person (a redirect after a save, 200 for a page), any database-busy error in the
 * server's log, and memory that keeps growing.
 *
 * A plain fetch loop with a pool of workers rather than autocannon: every request here belongs to one
 * person's session (its own cookie), the consent change needs the digest from the preview it was
 * just shown, and a reply needs a check-in id read from the page before it. That is per-request logic
 * autocannon (which `npm run bench` uses to drive one page at a time) would have to be bent into; the
 * loop times each request the same way.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { databaseLocation, openDatabase } from "#db/database";
import { migrateDatabase } from "#db/migrate";
import { createCheckIn } from "~/models/check-in.server";
import { hashPassword } from "~/models/password.server";
import { replyPresets } from "~/vocabulary";
import { seedCircles } from "../tests/support/circles";
import type { Driver } from "../tests/support/crash-cycles";
import { cpuSeconds, residentSetKiB, startServer } from "../tests/support/server-process";
import { changeConsentOnPage, postCheckIn, redirectedTo, Visitor, type Answer } from "../tests/support/visitor";

export type LoadReport = {
  driver: Driver;
  seconds: number;
  concurrency: number;
  people: number;
  requests: { total: number; reads: number; writes: number; perSecond: number };
  /** Milliseconds per request, from sending it to having read the whole body. */
  latency: { p50: number; p95: number; p99: number; max: number };
  errors: { serverErrors: number; network: number; unexpected: number; busyInLog: number; failedInLog: number };
  /** Resident set size of the server process in MiB, sampled every `sampleSeconds`. */
  memory: { start: number; peak: number; end: number; growth: number; bound: number; samples: number };
  /** CPU the server and this client used, as a share of one core over the run, and the machine's load average at the end. */
  cpu: { server: number; client: number; loadAverage: number };
  /** Median and 95th percentile milliseconds of each thing people do (a step can take two requests). */
  steps: { name: string; count: number; p50: number; p95: number }[];
  failures: string[];
};

const password = "load run password";
const sampleSeconds = 3;
/**
 * The V8 heap, the prepared-statement cache and SQLite's page cache fill up during the first seconds
 * of load; after this warm-up the server's memory must stay flat.
 */
const warmUpSeconds = 30;
/**
 * Flat means: a straight line fitted through the samples after warm-up rises less than this many MiB
 * from its first sample to its last. The fit evens out the sawtooth of garbage collection; a leak of
 * a few kilobytes per request, at the thousands of requests a run makes, does not even out.
 */
const growthBoundMiB = 32;

/** The rise, from the first sample to the last, of the least-squares line through `points`. */
function fittedRise(points: { at: number; mib: number }[]) {
  if (points.length < 2) return 0;
  const meanAt = mean(points.map((point) => point.at));
  const meanMib = mean(points.map((point) => point.mib));
  const covariance = points.reduce((sum, point) => sum + (point.at - meanAt) * (point.mib - meanMib), 0);
  const variance = points.reduce((sum, point) => sum + (point.at - meanAt) ** 2, 0);
  return (covariance / variance) * (points.at(-1)!.at - points[0]!.at);
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);

function percentile(sorted: number[], q: number) {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export async function runLoad(options: {
  directory: string;
  driver: Driver;
  seconds: number;
  concurrency: number;
  patients: number;
  progress?: (message: string) => void;
}): Promise<LoadReport> {
  const { directory, driver, seconds, concurrency, progress = () => {} } = options;
  fs.rmSync(directory, { recursive: true, force: true });
  const file = path.join(directory, "care-circle.db");
  await migrateDatabase(file);

  // Five therapists, the patients split between them, two supporters each; twenty check-ins per
  // patient shared with both supporters, so that every list has something on it.
  const handle = await openDatabase(databaseLocation({ DATABASE_PATH: file, DATABASE_DRIVER: driver }));
  const world = await seedCircles(handle.db, {
    therapists: 5,
    patients: options.patients,
    supportersPerPatient: 2,
    passwordHash: await hashPassword(password),
  });
  for (const patient of world.patients) {
    for (let i = 0; i < 20; i++) {
      await createCheckIn(handle.db, patient, {
        kind: "check_in",
        mood: 1 + (i % 5),
        craving: i % 11,
        wins: `Earlier day ${i}`,
        hard: null,
        helpRequest: null,
        audience: patient.links.map((link) => link.linkId),
        sharedWithCareTeam: true,
      });
    }
  }
  handle.close();

  const server = await startServer(file, { NODE_ENV: "production", DATABASE_DRIVER: driver });
  const timings: number[] = [];
  let reads = 0;
  let writes = 0;
  let serverErrors = 0;
  const record = (method: string, _path: string, answer: Answer) => {
    timings.push(answer.ms);
    if (method === "GET") reads++;
    else writes++;
    if (answer.status >= 500) serverErrors++;
  };

  // Everyone signs in through the sign-in form, a few at a time (each sign-in hashes a password).
  const signedIn = async <T extends { email: string }>(people: T[]) => {
    const visitors: (T & { visitor: Visitor })[] = [];
    for (let i = 0; i < people.length; i += 8) {
      const batch = people.slice(i, i + 8).map(async (person) => {
        const visitor = new Visitor(server.url, record);
        await visitor.signIn(person.email, password);
        return { ...person, visitor };
      });
      visitors.push(...(await Promise.all(batch)));
    }
    return visitors;
  };
  const patients = await signedIn(world.patients);
  const supporters = await signedIn(
    world.patients.flatMap((patient) => patient.links.map((link) => ({ ...link.supporter, linkId: link.linkId }))),
  );
  const therapists = await signedIn(world.therapists);
  const [admin] = await signedIn([world.admin]);
  const stranger = new Visitor(server.url, record);
  progress(`${driver}: ${patients.length + supporters.length + therapists.length + 1} people signed in; load for ${seconds} s`);
  // The sign-ins were setup, not load.
  timings.length = 0;
  reads = writes = serverErrors = 0;

  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
  const page = (answer: Answer) => (answer.status === 200 ? null : answer);
  const saved = (target: string) => (answer: Answer) => (redirectedTo(answer, target) ? null : answer);
  let sequence = 0;
  /** What people do, with how often; each step answers null or the answer a person should not have had. */
  const steps: { name: string; weight: number; run: () => Promise<Answer | null> }[] = [
    { name: "patient home", weight: 8, run: async () => page(await pick(patients).visitor.get("/patient")) },
    { name: "patient check-ins", weight: 8, run: async () => page(await pick(patients).visitor.get("/patient/check-ins")) },
    { name: "patient circle", weight: 4, run: async () => page(await pick(patients).visitor.get("/patient/circle")) },
    { name: "patient disclosures", weight: 3, run: async () => page(await pick(patients).visitor.get("/patient/disclosures")) },
    { name: "supporter home", weight: 6, run: async () => page(await pick(supporters).visitor.get("/supporter")) },
    { name: "supporter updates", weight: 8, run: async () => page(await pick(supporters).visitor.get("/supporter/updates")) },
    {
      name: "supporter: a patient's page",
      weight: 6,
      run: async () => {
        const supporter = pick(supporters);
        return page(await supporter.visitor.get(`/supporter/circles/${supporter.linkId}`));
      },
    },
    { name: "therapist caseload", weight: 4, run: async () => page(await pick(therapists).visitor.get("/therapist")) },
    { name: "therapist check-ins", weight: 4, run: async () => page(await pick(therapists).visitor.get("/therapist/check-ins")) },
    {
      name: "therapist: a patient's page",
      weight: 4,
      run: async () => {
        const patient = pick(patients);
        const therapist = therapists.find((member) => member.id === patient.therapist.id)!;
        return page(await therapist.visitor.get(`/therapist/patients/${patient.id}`));
      },
    },
    { name: "admin home", weight: 1, run: async () => page(await admin!.visitor.get("/admin")) },
    { name: "sign-in page", weight: 2, run: async () => page(await stranger.get("/login")) },
    { name: "health check", weight: 2, run: async () => page(await stranger.get("/healthz")) },
    {
      name: "patient writes a check-in",
      weight: 14,
      run: async () => {
        const patient = pick(patients);
        const audience = patient.links.map((link) => link.linkId);
        return saved("/patient/check-ins?saved=1")(await postCheckIn(patient.visitor, `Load check-in ${++sequence}`, audience));
      },
    },
    {
      name: "patient changes a consent",
      weight: 4,
      run: async () => {
        const patient = pick(patients);
        const answer = await changeConsentOnPage(patient.visitor, pick(patient.links).linkId, {
          categories: sequence % 2 === 0 ? ["progress"] : ["progress", "milestones"],
          purpose: `To support my recovery, load change ${++sequence}`,
          signature: patient.name,
        });
        return saved("/patient/circle?changed=1")(answer);
      },
    },
    {
      name: "supporter replies to a check-in",
      weight: 6,
      run: async () => {
        const supporter = pick(supporters);
        const updates = await supporter.visitor.get("/supporter/updates");
        const checkInId = /name="checkInId" value="([^"]+)"/.exec(updates.body)?.[1];
        if (updates.status !== 200 || !checkInId) return updates;
        const reply = await supporter.visitor.post("/supporter/updates", { checkInId, preset: pick([...replyPresets]) });
        return saved("/supporter/updates?replied=1")(reply);
      },
    },
  ];
  const totalWeight = steps.reduce((sum, step) => sum + step.weight, 0);
  const chooseStep = () => {
    let roll = Math.random() * totalWeight;
    return steps.find((step) => (roll -= step.weight) < 0) ?? steps[steps.length - 1]!;
  };

  const started = Date.now();
  const deadline = started + seconds * 1000;
  const cpuAtStart = { server: cpuSeconds(server.pid) ?? 0, client: process.cpuUsage() };
  const memory: { at: number; mib: number }[] = [];
  const sampleMemory = () => {
    const kib = residentSetKiB(server.pid);
    if (kib !== null) memory.push({ at: (Date.now() - started) / 1000, mib: kib / 1024 });
  };
  sampleMemory();
  const sampler = setInterval(sampleMemory, sampleSeconds * 1000);
  const reporter = setInterval(
    () => progress(`${driver}: ${timings.length} requests, ${memory.at(-1)?.mib.toFixed(0)} MiB resident`),
    30_000,
  );

  const stepTimes = new Map(steps.map((step) => [step.name, [] as number[]]));
  let network = 0;
  const unexpected = new Map<string, number>();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const step = chooseStep();
        const began = performance.now();
        try {
          const wrong = await step.run();
          stepTimes.get(step.name)!.push(performance.now() - began);
          if (wrong) {
            const key = `${step.name}: ${wrong.status} ${wrong.location ?? ""}`.trim();
            unexpected.set(key, (unexpected.get(key) ?? 0) + 1);
          }
        } catch {
          network++;
          // A refused connection is answered at once; do not spin on it.
          await sleep(100);
        }
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  clearInterval(sampler);
  clearInterval(reporter);
  sampleMemory();
  const cpu = {
    server: ((cpuSeconds(server.pid) ?? 0) - cpuAtStart.server) / elapsed,
    client: (({ user, system }) => (user + system) / 1e6 / elapsed)(process.cpuUsage(cpuAtStart.client)),
    loadAverage: os.loadavg()[0]!,
  };
  await server.stop("SIGTERM");

  const log = server.output();
  const busyInLog = (log.match(/DatabaseBusyError|SQLITE_BUSY|database is locked/g) ?? []).length;
  const failedInLog = (log.match(/^(Request failed|Unhandled error)/gm) ?? []).length;
  const sorted = [...timings].sort((a, b) => a - b);
  const growth = fittedRise(memory.filter((sample) => sample.at >= warmUpSeconds));
  const failures: string[] = [];
  if (serverErrors > 0) failures.push(`${serverErrors} answers were 5xx`);
  if (network > 0) failures.push(`${network} requests got no answer`);
  for (const [what, times] of unexpected) failures.push(`${times} × ${what}`);
  if (busyInLog > 0) failures.push(`${busyInLog} database-busy errors in the server's log`);
  if (failedInLog > 0) failures.push(`${failedInLog} failed requests in the server's log`);
  if (memory.length < 2) failures.push("the server's memory could not be read from /proc");
  if (growth > growthBoundMiB) failures.push(`memory grew ${growth.toFixed(1)} MiB after warm-up (bound ${growthBoundMiB} MiB)`);

  return {
    driver,
    seconds: elapsed,
    concurrency,
    people: patients.length + supporters.length + therapists.length + 1,
    requests: { total: timings.length, reads, writes, perSecond: timings.length / elapsed },
    latency: {
      p50: percentile(sorted, 0.5),
      p95: percentile(sorted, 0.95),
      p99: percentile(sorted, 0.99),
      max: sorted.at(-1) ?? 0,
    },
    errors: {
      serverErrors,
      network,
      unexpected: [...unexpected.values()].reduce((sum, n) => sum + n, 0),
      busyInLog,
      failedInLog,
    },
    memory: {
      start: memory[0]?.mib ?? 0,
      peak: Math.max(...memory.map((sample) => sample.mib)),
      end: memory.at(-1)?.mib ?? 0,
      growth,
      bound: growthBoundMiB,
      samples: memory.length,
    },
    cpu,
    steps: [...stepTimes].map(([name, times]) => {
      times.sort((a, b) => a - b);
      return { name, count: times.length, p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
    }),
    failures,
  };
}
