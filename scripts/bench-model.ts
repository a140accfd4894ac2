/**
 * The model layer's write rate: `npm run bench:model` (not part of `npm test`).
 *
 * On the benchmark's copy of a seed:large program, patients with live circles record check-ins through
 * `createCheckIn`, one transaction each as a request makes it, shared with everyone their consents allow:
 * the check-in, its audience rows and the events that tell each supporter of it. No HTTP and no rendering:
 * what the domain and the database cost. Then each supporter reads their updates (`supporterFeed`), which
 * writes the disclosure rows of what it shows, as their page does. Prints the rates and the rows written.
 * The planner's statistics and the background checkpointer are as the server has them.
 *
 * Options: --patients 5000  --duration 5 (seconds per part)  --driver better-sqlite3|libsql
 */
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import * as z from "zod";
import { commandOptions } from "./bench/options";
import { startCheckpointer } from "#db/checkpointer";
import { openDatabase, refreshPlannerStatistics } from "#db/database";
import { checkInAudience, checkIns, disclosureLog, events } from "#db/schema";
import { narrow, supporterAccesses } from "~/models/access.server";
import { createCheckIn, shareableAudience, supporterFeed } from "~/models/check-in.server";
import { benchDatabase } from "./bench/data";

const { values } = parseArgs({
  options: {
    patients: { type: "string", default: "5000" },
    duration: { type: "string", default: "5" },
    driver: { type: "string", default: "better-sqlite3" },
  },
});
const options = commandOptions(
  z.object({
    patients: z.coerce.number().int().positive(),
    duration: z.coerce.number().positive(),
    driver: z.enum(["better-sqlite3", "libsql"]),
  }),
  values,
);
const say = (message: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

const file = benchDatabase(options.patients, say);
const handle = await openDatabase(
  options.driver === "libsql" ? { driver: "libsql", url: `file:${file}`, file } : { driver: "better-sqlite3", file },
);
const { db } = handle;
// As the server does when it starts.
await refreshPlannerStatistics(handle, "open");
const checkpointer = startCheckpointer(file);

// Patients in treatment with supporters who may see their progress, and those supporters.
const sharing = await db.all<unknown>(
  sql.raw(`select distinct l.patient_id, l.program_id, l.supporter_id from circle_links l
   join consents c on c.link_id = l.id and c.status = 'active' and c.categories like '%progress%'
   join episodes e on e.patient_id = l.patient_id and e.ended_at is null
   where l.status = 'active' order by l.patient_id limit 400`),
);
const rows = sharing.map((row) => (Array.isArray(row) ? row : Object.values(row as object)) as [string, string, string]);
const patients = [...new Map(rows.map(([id, programId]) => [id, { id, programId }])).values()];
const supporters = [...new Map(rows.map(([, programId, id]) => [id, { id, programId }])).values()];
const audiences = new Map<string, string[]>();
for (const patient of patients)
  audiences.set(
    patient.id,
    (await shareableAudience(db, patient.id)).map((member) => member.linkId),
  );

const rowCounts = async () => ({
  checkIns: await db.$count(checkIns),
  audience: await db.$count(checkInAudience),
  events: await db.$count(events),
  disclosures: await db.$count(disclosureLog),
});

async function forSeconds(work: (round: number) => Promise<void>) {
  const until = performance.now() + options.duration * 1000;
  const started = performance.now();
  let done = 0;
  while (performance.now() < until) await work(done++);
  return { done, seconds: (performance.now() - started) / 1000 };
}

const before = await rowCounts();
const writes = await forSeconds(async (round) => {
  const patient = patients[round % patients.length]!;
  await createCheckIn(db, patient, {
    kind: "check_in",
    mood: 4,
    craving: 2,
    wins: "A steady day, written by the model benchmark",
    hard: null,
    helpRequest: null,
    audience: audiences.get(patient.id)!,
    sharedWithCareTeam: true,
  });
});
const afterWrites = await rowCounts();
const reads = await forSeconds(async (round) => {
  const supporter = supporters[round % supporters.length]!;
  const accesses = await supporterAccesses(db, supporter);
  await supporterFeed(
    db,
    accesses.flatMap((access) => narrow(access, "progress") ?? []),
  );
});
const afterReads = await rowCounts();
await checkpointer.stop();
handle.close();

const rate = (n: number, seconds: number) => Math.round(n / seconds).toLocaleString("en-US");
console.log(`Model layer, ${options.patients.toLocaleString("en-US")} patients, ${options.driver}`);
console.log(
  `- check-ins recorded: ${rate(writes.done, writes.seconds)}/s (${writes.done} in ${writes.seconds.toFixed(1)} s, ` +
    `${patients.length} patients in turn), with ${afterWrites.audience - before.audience} audience rows and ` +
    `${afterWrites.events - before.events} events`,
);
console.log(
  `- updates pages read by supporters: ${rate(reads.done, reads.seconds)}/s (${reads.done} in ${reads.seconds.toFixed(1)} s, ` +
    `${supporters.length} supporters in turn), writing ${afterReads.disclosures - afterWrites.disclosures} disclosure rows ` +
    `(one per item, link and day, counted)`,
);
