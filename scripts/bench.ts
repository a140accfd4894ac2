/**
 * Server time per page with years' worth of data: `npm run bench` (after `npm run build`).
 * Builds a throwaway database under tmp/bench, calls the production build's request handler directly
 * (no network), and prints median, p95 and mean milliseconds per page. `DATABASE_DRIVER=libsql`
 * measures the same pages on libSQL's embedded engine.
 */
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";

const root = path.resolve(import.meta.dirname, "..");
const file = path.join(root, "tmp/bench/bench.db");
fs.rmSync(path.dirname(file), { recursive: true, force: true });
process.env.DATABASE_PATH = file;
process.env.NODE_ENV = "test";

const { migrateDatabase } = await import("#db/migrate");
await migrateDatabase(file);
const { databaseLocation, openDatabase } = await import("#db/database");
const { default: BetterSqlite3 } = await import("better-sqlite3");
// Bulk rows go in through a raw connection (fast); everything the app reads goes through the handle.
const sqlite = new BetterSqlite3(file);
const captured: string[] = [];
const { db, close, location } = await openDatabase(databaseLocation(), { logger: { logQuery: (query) => captured.push(query) } });
const { episodes } = await import("#db/schema");
const { insertActiveMember } = await import("~/models/account.server");
const { createProgram } = await import("~/models/program.server");
const { hashPassword } = await import("~/models/password.server");
const { startSession } = await import("~/session.server");
const { newId } = await import("~/utils/crypto.server");
const { createRequestHandler } = await import("@remix-run/node");

const counts = {
  therapists: 20,
  patientsPerTherapist: 25,
  auditEvents: 200_000,
  circle: 8,
  disclosures: 100_000,
  checkInDays: 3 * 365,
};
const program = await createProgram(db, "Bench program", "America/Chicago");
const passwordHash = await hashPassword("bench password 123");
const account = (role: "admin" | "therapist" | "patient" | "supporter", i: number) => ({
  id: newId(),
  programId: program.id,
  email: `${role}-${i}@bench.test`,
  name: `${role} ${i}`,
  role,
  passwordHash,
});

const admin = account("admin", 0);
const therapists = Array.from({ length: counts.therapists }, (_, i) => account("therapist", i));
const patients = therapists.flatMap((_, t) =>
  Array.from({ length: counts.patientsPerTherapist }, (_, i) => account("patient", t * 1000 + i)),
);
await db.transaction(async (tx) => {
  for (const row of [admin, ...therapists, ...patients]) await insertActiveMember(tx, row);
  for (const [i, patient] of patients.entries()) {
    await tx.insert(episodes).values({
      id: newId(),
      programId: program.id,
      patientId: patient.id,
      primaryTherapistId: therapists[Math.floor(i / counts.patientsPerTherapist)]!.id,
      startDate: "2026-01-05",
      plannedWeeks: 10,
    });
  }
});
const insertAudit = sqlite.prepare(
  "INSERT INTO audit_events (program_id, actor_user_id, action, outcome, ip_address) VALUES (?, ?, 'auth.sign_in', 'success', '127.0.0.1')",
);
sqlite.transaction(() => {
  for (let i = 0; i < counts.auditEvents; i++) insertAudit.run(program.id, patients[i % patients.length]!.id);
})();

// The first patient's circle: every supporter approved but the last, who waits for the therapist;
// the patient's accounting holds 100,000 items shown to the first supporter.
const { decide } = await import("~/models/care-circle.server");
const { findPatientLink } = await import("~/models/circle-link.server");
const { acceptInvitation, invite } = await import("~/models/invitations.server");
const { capabilitiesFor, release } = await import("~/models/access.server");
const patient = patients[0]!;
const patientActor = { id: patient.id, programId: program.id, ipAddress: null };
const supporters = Array.from({ length: counts.circle }, (_, i) => account("supporter", i));
await db.transaction(async (tx) => {
  for (const row of supporters) await insertActiveMember(tx, row);
});
const links: string[] = [];
for (const [i, supporter] of supporters.entries()) {
  const { token, linkId } = await invite(
    db,
    patientActor,
    {
      categories: ["progress", "milestones", "education"],
      purpose: "To support my recovery",
      expiryKind: "episode_end",
      expiresOn: null,
      signature: patient.name,
      name: supporter.name,
      email: supporter.email,
      relationship: "parent",
    },
    "en-US",
  );
  await acceptInvitation(db, token, supporter, null);
  if (i < counts.circle - 1)
    await decide(
      db,
      { id: therapists[0]!.id, programId: program.id, ipAddress: null },
      (await findPatientLink(db, patient.id, linkId))!,
      {
        kind: "approve",
      },
    );
  links.push(linkId);
}
const [firstProgress] = await capabilitiesFor(db, supporters[0]!, "progress");
await db.transaction(async (tx) => {
  for (let start = 0; start < counts.disclosures; start += 500) {
    const items = Array.from({ length: 500 }, (_, i) => `item-${start + i}`);
    await release(tx, [firstProgress!], items, (id) => ({ linkId: links[0]!, type: "check_in", id }));
  }
});

// Three years of daily check-ins for each of the first therapist's patients, the first patient's
// shared with the first supporter, so that the feed, the journal and the caseload view have years of rows.
const { checkIns, checkInAudience } = await import("#db/schema");
const caseloadPatients = patients.slice(0, counts.patientsPerTherapist);
await db.transaction(async (tx) => {
  for (const [p, owner] of caseloadPatients.entries()) {
    for (let day = counts.checkInDays; day >= 1; day--) {
      const id = newId();
      const at = new Date(Date.now() - day * 86_400_000 - p * 60_000);
      await tx.insert(checkIns).values({
        id,
        programId: program.id,
        patientId: owner.id,
        mood: 1 + (day % 5),
        craving: day % 11,
        wins: "A good day",
        sharedWithCareTeam: day % 3 !== 0,
        createdAt: at,
        updatedAt: at,
      });
      if (p === 0) await tx.insert(checkInAudience).values({ checkInId: id, linkId: links[0]!, createdAt: at });
    }
  }
});
// The module library, every module asked of every approved supporter of the first patient (half of
// them overdue), and the first supporter through half of them with two attempts each.
const { publishModuleLibrary, readModuleLibrary } = await import("~/models/module-content.server");
await publishModuleLibrary(db, readModuleLibrary(path.join(root, "content/modules")));
const { assignModule } = await import("~/models/assignments.server");
const { findLibraryModule, moduleLibrary } = await import("~/models/module-library.server");
const { markSectionRead, readerState, submitAttempt } = await import("~/models/learning.server");
const library = await moduleLibrary(db, program.id);
const therapistAssigner = { id: therapists[0]!.id, programId: program.id, ipAddress: null, role: "therapist" as const };
const monthAgo = new Date(Date.now() - 30 * 86_400_000);
for (const [i, module] of library.entries()) {
  const dueOn = new Date(Date.now() + (i % 2 === 0 ? -7 : 7) * 86_400_000).toISOString().slice(0, 10);
  await assignModule(db, therapistAssigner, patient.id, { slug: module.slug, target: "all", dueOn }, monthAgo);
}
for (const { slug } of library.slice(0, 5)) {
  const module = (await findLibraryModule(db, program.id, slug))!;
  const { version } = await readerState(db, supporters[0]!.id, module);
  for (const section of version.sections.keys()) await markSectionRead(db, supporters[0]!.id, module, version.id, section);
  const answers = Object.fromEntries(version.quiz.map((question) => [question.id, question.answer]));
  const [first] = version.quiz;
  const wrongFirst = first!.options.find((option) => option.id !== first!.answer)!.id;
  await submitAttempt(db, supporters[0]!.id, module, version.id, { ...answers, [first!.id]: wrongFirst });
  await submitAttempt(db, supporters[0]!.id, module, version.id, answers);
}
sqlite.exec("ANALYZE");

const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
const handler = createRequestHandler(build, "production");
const origin = "http://bench.local";
const cookieOf = async (userId: string) =>
  (await startSession(db, new Request(`${origin}/login`), userId, userId, { ipAddress: null, userAgent: "bench" })).split(
    ";",
  )[0]!;

const pages: [string, string, string | null][] = [
  ["sign-in page", "/login", null],
  ["health check", "/healthz", null],
  ["admin: program", "/admin", await cookieOf(admin.id)],
  [`admin: audit trail (${counts.auditEvents.toLocaleString("en-US")} rows)`, "/admin/audit", await cookieOf(admin.id)],
  [`therapist: caseload (${counts.patientsPerTherapist} patients)`, "/therapist", await cookieOf(therapists[0]!.id)],
  ["patient: home", "/patient", await cookieOf(patients[0]!.id)],
  ["account: sessions", "/account/sessions", await cookieOf(patients[1]!.id)],
  [`patient: care circle (${counts.circle} people)`, "/patient/circle", await cookieOf(patient.id)],
  [
    `patient: who has seen my information (${counts.disclosures.toLocaleString("en-US")} rows)`,
    "/patient/disclosures",
    await cookieOf(patient.id),
  ],
  ["therapist: approval queue", "/therapist/approvals", await cookieOf(therapists[0]!.id)],
  ["supporter: home", "/supporter", await cookieOf(supporters[0]!.id)],
  ["supporter: a patient's page (logs a disclosure)", `/supporter/circles/${links[0]}`, await cookieOf(supporters[0]!.id)],
  [
    `supporter: updates (${counts.checkInDays.toLocaleString("en-US")} shared check-ins)`,
    "/supporter/updates",
    await cookieOf(supporters[0]!.id),
  ],
  [
    `patient: my check-ins and trend (${counts.checkInDays.toLocaleString("en-US")})`,
    "/patient/check-ins",
    await cookieOf(patient.id),
  ],
  [
    `therapist: check-ins (${counts.patientsPerTherapist} patients × 3 years)`,
    "/therapist/check-ins",
    await cookieOf(therapists[0]!.id),
  ],
  ["therapist: a patient's page (circle, plan, trend)", `/therapist/patients/${patient.id}`, await cookieOf(therapists[0]!.id)],
  [`supporter: my learning (${library.length} modules asked)`, "/supporter/learning", await cookieOf(supporters[0]!.id)],
  ["supporter: module library", "/supporter/learning/library", await cookieOf(supporters[0]!.id)],
  ["supporter: a module's overview (2 attempts)", `/supporter/learning/${library[0]!.slug}`, await cookieOf(supporters[0]!.id)],
  [
    "supporter: a module section (Markdown rendered)",
    `/supporter/learning/${library[7]!.slug}/sections/2`,
    await cookieOf(supporters[0]!.id),
  ],
  ["supporter: knowledge check", `/supporter/learning/${library[7]!.slug}/check`, await cookieOf(supporters[0]!.id)],
  [
    `therapist: family learning (${counts.circle - 1} supporters × ${library.length} modules)`,
    `/therapist/patients/${patient.id}/learning`,
    await cookieOf(therapists[0]!.id),
  ],
  ["therapist: overdue learning across the caseload", "/therapist/learning", await cookieOf(therapists[0]!.id)],
  ["patient: my circle's learning", "/patient/learning", await cookieOf(patient.id)],
];

// The plans of the queries behind the busiest lists: each must search an index, never scan a table.
const { supporterFeed, careTeamCheckIns } = await import("~/models/check-in.server");
const plans: [string, () => Promise<unknown>][] = [
  ["supporter feed", async () => supporterFeed(db, await capabilitiesFor(db, supporters[0]!, "progress"))],
  ["care-team check-ins", () => careTeamCheckIns(db, therapists[0]!)],
];
for (const [label, run] of plans) {
  captured.length = 0;
  await run();
  const query = captured.find((source) => source.includes("check_in"))!;
  const steps = sqlite
    .prepare(`EXPLAIN QUERY PLAN ${query}`)
    .all(...Array.from({ length: (query.match(/\?/g) ?? []).length }, () => "x"))
    .map((row) => (row as { detail: string }).detail);
  console.log(`\nQuery plan, ${label}:\n  ${steps.join("\n  ")}`);
}
console.log();

const iterations = Number(process.env.BENCH_ITERATIONS ?? 300);
console.log(
  `Server time per request on ${location.driver}, ${iterations} requests each (document GET, production build, no network):`,
);
// CPU time is the steadier figure when other work shares the cores; wall time includes waiting for them.
console.log("page".padEnd(58), "median".padStart(8), "p95".padStart(8), "mean".padStart(8), "cpu mean".padStart(9));
for (const [label, url, cookie] of pages) {
  const times: number[] = [];
  let cpuMicros = 0;
  for (let i = 0; i < iterations + 20; i++) {
    const request = new Request(`${origin}${url}`, { headers: cookie ? { Cookie: cookie } : {} });
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    const response = await handler(request, { db, cspNonce: "bench", clientAddress: "127.0.0.1" });
    await response.text();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    if (i >= 20) {
      // the first 20 warm up
      times.push(performance.now() - started);
      const cpu = process.cpuUsage(cpuAtStart);
      cpuMicros += cpu.user + cpu.system;
    }
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
  const cpuMean = cpuMicros / 1000 / times.length;
  console.log(
    label.padEnd(58),
    at(0.5).toFixed(2).padStart(8),
    at(0.95).toFixed(2).padStart(8),
    mean.toFixed(2).padStart(8),
    cpuMean.toFixed(2).padStart(9),
  );
}
sqlite.close();
close();
