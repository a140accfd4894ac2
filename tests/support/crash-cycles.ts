import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { count, inArray, max, sql } from "drizzle-orm";
import { databaseLocation, openDatabase, type Database, type DatabaseLocation } from "#db/database";
import { migrateDatabase } from "#db/migrate";
import { checkIns, consents } from "#db/schema";
import { hashPassword } from "~/models/password.server";
import { seedCircles, type CirclePatient } from "./circles";
import { freePort, startServer } from "./server-process";
import { changeConsentOnPage, postCheckIn, redirectedTo, Visitor } from "./visitor";

/**
 * Crash safety of the compiled server (issue 14): patients post check-ins and change consents over
 * HTTP as fast as they can while the server is killed with SIGKILL at a random moment, again and
 * again. After every restart the database must pass `PRAGMA integrity_check`, hold every write whose
 * redirect reached the client (found by its unique text), and each link must have exactly one current
 * consent at the top of an unbroken chain of versions. Writes cut off by the kill may or may not
 * have been committed; they are counted, never required.
 */
export type Driver = DatabaseLocation["driver"];

type Write = { kind: "check-in" | "consent"; patientId: string; linkId: string; text: string };

export type CrashReport = {
  driver: Driver;
  cycles: number;
  acknowledged: { checkIns: number; consents: number };
  /** Acknowledged writes found, once each, after the last restart. */
  verified: number;
  /** Writes sent but unanswered when the server died, and how many of them had been committed. */
  inFlight: { sent: number; committed: number };
  failures: string[];
  seconds: number;
};

const password = "crash cycles password";
const acknowledgement = { "check-in": "/patient/check-ins?saved=1", consent: "/patient/circle?changed=1" } as const;

async function withDatabase<T>(location: DatabaseLocation, work: (db: Database) => Promise<T>) {
  const { db, close } = await openDatabase(location);
  try {
    return await work(db);
  } finally {
    close();
  }
}

export async function runCrashCycles(options: {
  /** Emptied, then holds the database. */
  directory: string;
  driver: Driver;
  cycles: number;
  /** Patients writing at once, each over their own session. */
  writers: number;
  /** The kill comes this many milliseconds after every writer's first answer in the cycle, drawn uniformly. */
  killAfterMs: [number, number];
  progress?: (message: string) => void;
}): Promise<CrashReport> {
  const started = Date.now();
  const { directory, driver, cycles, writers, killAfterMs, progress = () => {} } = options;
  fs.rmSync(directory, { recursive: true, force: true });
  const file = path.join(directory, "care-circle.db");
  await migrateDatabase(file);
  const location = databaseLocation({ DATABASE_PATH: file, DATABASE_DRIVER: driver });
  const passwordHash = await hashPassword(password);
  const { patients } = await withDatabase(location, (db) =>
    seedCircles(db, { therapists: 1, patients: writers, supportersPerPatient: 1, passwordHash }),
  );

  // The same port after every restart, as a real deployment: the clients keep their sessions.
  const environment = { NODE_ENV: "production", DATABASE_DRIVER: driver };
  const port = await freePort();
  let server = await startServer(file, environment, port);
  const visitors = patients.map(() => new Visitor(server.url));
  await Promise.all(patients.map((patient, i) => visitors[i]!.signIn(patient.email, password)));

  const acknowledged: Write[] = [];
  const inFlight: Write[] = [];
  const failures: string[] = [];
  let sequence = 0;

  /**
   * One patient's writes, back to back, until the server is gone; returns the write the kill cut off.
   * Writers start at different places in the mix (a consent change, then two check-ins), so that both
   * kinds are acknowledged in every cycle; `first` is called on this cycle's first acknowledgement.
   */
  async function writeUntilKilled(writer: number, cycle: number, first: () => void): Promise<Write | null> {
    const patient = patients[writer]!;
    const { linkId } = patient.links[0]!;
    for (let k = writer; ; k++) {
      const n = ++sequence;
      const write: Write =
        k % 3 === 0
          ? { kind: "consent", patientId: patient.id, linkId, text: `To support my recovery, change ${n} of the crash run` }
          : { kind: "check-in", patientId: patient.id, linkId, text: `Check-in ${n} of the crash run` };
      let answer;
      try {
        answer =
          write.kind === "consent"
            ? await changeConsentOnPage(visitors[writer]!, linkId, {
                categories: n % 2 === 0 ? ["progress"] : ["progress", "milestones"],
                purpose: write.text,
                signature: patient.name,
              })
            : await postCheckIn(visitors[writer]!, write.text, [linkId]);
      } catch {
        first();
        return write;
      }
      first();
      if (!redirectedTo(answer, acknowledgement[write.kind])) {
        failures.push(`cycle ${cycle}: a ${write.kind} was answered ${answer.status} ${answer.location ?? ""}`);
        return null;
      }
      acknowledged.push(write);
    }
  }

  for (let cycle = 1; cycle <= cycles && failures.length === 0; cycle++) {
    // The kill comes at a random moment once every writer has had an answer in this cycle, so that
    // each cycle has acknowledged writes behind it and more in flight however slow the machine is.
    const firstAnswers: (() => void)[] = [];
    const answered = patients.map(() => new Promise<void>((resolve) => firstAnswers.push(resolve)));
    const writing = Promise.all(patients.map((_, writer) => writeUntilKilled(writer, cycle, firstAnswers[writer]!)));
    await Promise.all(answered);
    await sleep(killAfterMs[0] + Math.random() * (killAfterMs[1] - killAfterMs[0]));
    await server.stop("SIGKILL");
    inFlight.push(...(await writing).filter((write) => write !== null));
    server = await startServer(file, environment, port);
    const problems = await withDatabase(location, (db) => verify(db, patients, acknowledged));
    problems.push(...(await latestCheckInsShown(patients, visitors, acknowledged)));
    failures.push(...problems.map((problem) => `after kill ${cycle}: ${problem}`));
    progress(`${driver}: kill ${cycle}/${cycles}, ${acknowledged.length} writes acknowledged so far`);
  }
  const committed = await withDatabase(location, (db) => foundOnce(db, patients, inFlight));
  await server.stop("SIGTERM");

  return {
    driver,
    cycles,
    acknowledged: {
      checkIns: acknowledged.filter((write) => write.kind === "check-in").length,
      consents: acknowledged.filter((write) => write.kind === "consent").length,
    },
    verified: (await withDatabase(location, (db) => foundOnce(db, patients, acknowledged))).length,
    inFlight: { sent: inFlight.length, committed: committed.length },
    failures,
    seconds: (Date.now() - started) / 1000,
  };
}

/** The writes among `writes` that the database holds exactly once. */
async function foundOnce(db: Database, patients: CirclePatient[], writes: Write[]) {
  const linkIds = patients.flatMap((patient) => patient.links.map((link) => link.linkId));
  const times = new Map<string, number>();
  const tally = (key: string) => times.set(key, (times.get(key) ?? 0) + 1);
  const checkInRows = await db
    .select({ patientId: checkIns.patientId, wins: checkIns.wins })
    .from(checkIns)
    .where(
      inArray(
        checkIns.patientId,
        patients.map((patient) => patient.id),
      ),
    )
    .all();
  for (const row of checkInRows) tally(`check-in\n${row.patientId}\n${row.wins}`);
  const consentRows = await db
    .select({ linkId: consents.linkId, purpose: consents.purpose })
    .from(consents)
    .where(inArray(consents.linkId, linkIds))
    .all();
  for (const row of consentRows) tally(`consent\n${row.linkId}\n${row.purpose}`);
  return writes.filter(
    (write) => times.get(`${write.kind}\n${write.kind === "consent" ? write.linkId : write.patientId}\n${write.text}`) === 1,
  );
}

/** What must hold after any crash; each broken rule is one line. */
async function verify(db: Database, patients: CirclePatient[], acknowledged: Write[]) {
  const problems: string[] = [];
  // Rows are indexed, not destructured: libSQL's rows are array-like but not iterable.
  const integrity = (await db.values<[string]>(sql`PRAGMA integrity_check`)).map((row) => row[0]).join("; ");
  if (integrity !== "ok") problems.push(`integrity_check says ${integrity}`);
  const dangling = await db.values(sql`PRAGMA foreign_key_check`);
  if (dangling.length > 0) problems.push(`${dangling.length} rows point at nothing`);

  const found = new Set(await foundOnce(db, patients, acknowledged));
  const missing = acknowledged.filter((write) => !found.has(write));
  if (missing.length > 0) {
    problems.push(`${missing.length} acknowledged writes missing or duplicated, e.g. ${missing[0]!.kind} "${missing[0]!.text}"`);
  }

  const linkIds = patients.flatMap((patient) => patient.links.map((link) => link.linkId));
  const chains = await db
    .select({
      linkId: consents.linkId,
      versions: count(),
      top: max(consents.version),
      current: sql<number>`sum(${consents.status} = 'active')`,
      currentVersion: sql<number | null>`max(case when ${consents.status} = 'active' then ${consents.version} end)`,
    })
    .from(consents)
    .where(inArray(consents.linkId, linkIds))
    .groupBy(consents.linkId)
    .all();
  if (chains.length !== linkIds.length) problems.push(`${linkIds.length - chains.length} links have no consent at all`);
  for (const chain of chains) {
    // Versions are unique per link and start at 1, so as many versions as the highest means none is missing.
    if (chain.current !== 1 || chain.currentVersion !== chain.top || chain.versions !== chain.top) {
      problems.push(
        `link ${chain.linkId}: ${chain.current} current consents (version ${chain.currentVersion}) among versions 1..${chain.top} (${chain.versions} rows)`,
      );
    }
  }
  return problems;
}

/** Through the restarted app: each patient's session still works and shows their latest acknowledged check-in. */
async function latestCheckInsShown(patients: CirclePatient[], visitors: Visitor[], acknowledged: Write[]) {
  const problems: string[] = [];
  for (const [i, patient] of patients.entries()) {
    const latest = acknowledged.findLast((write) => write.kind === "check-in" && write.patientId === patient.id);
    const page = await visitors[i]!.get("/patient/check-ins");
    if (page.status !== 200) problems.push(`a patient's check-ins page answered ${page.status} ${page.location ?? ""}`);
    else if (latest && !page.body.includes(latest.text)) problems.push(`"${latest.text}" is not on its patient's page`);
  }
  return problems;
}
