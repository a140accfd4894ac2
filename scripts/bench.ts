/**
 * Server time per page with years' worth of data: `npm run bench` (after `npm run build`).
 * Builds a throwaway database under tmp/bench, calls the production build's request handler directly
 * (no network), and prints median, p95 and mean milliseconds per page.
 */
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");
const file = path.join(root, "tmp/bench/bench.db");
fs.rmSync(path.dirname(file), { recursive: true, force: true });
process.env.DATABASE_PATH = file;
process.env.NODE_ENV = "test";

const { migrateDatabase } = await import("#db/migrate");
migrateDatabase(file);
const { db, sqlite } = await import("#db/client");
const { episodes, users } = await import("#db/schema");
const { createProgram } = await import("~/models/program.server");
const { hashPassword } = await import("~/models/password.server");
const { startSession } = await import("~/session.server");
const { newId } = await import("~/utils/crypto.server");
const { createRequestHandler } = await import("@remix-run/node");

const counts = { therapists: 20, patientsPerTherapist: 25, auditEvents: 200_000, circle: 8, disclosures: 100_000 };
const program = createProgram("Bench program", "America/Chicago");
const passwordHash = await hashPassword("bench password 123");
const account = (role: "admin" | "therapist" | "patient" | "supporter", i: number) => ({
  id: newId(),
  programId: program.id,
  email: `${role}-${i}@bench.test`,
  name: `${role} ${i}`,
  role,
  status: "active" as const,
  passwordHash,
});

const admin = account("admin", 0);
const therapists = Array.from({ length: counts.therapists }, (_, i) => account("therapist", i));
const patients = therapists.flatMap((_, t) =>
  Array.from({ length: counts.patientsPerTherapist }, (_, i) => account("patient", t * 1000 + i)),
);
db.transaction((tx) => {
  for (const row of [admin, ...therapists, ...patients]) tx.insert(users).values(row).run();
  patients.forEach((patient, i) => {
    tx.insert(episodes)
      .values({
        id: newId(),
        programId: program.id,
        patientId: patient.id,
        primaryTherapistId: therapists[Math.floor(i / counts.patientsPerTherapist)]!.id,
        startDate: "2026-01-05",
        plannedWeeks: 10,
      })
      .run();
  });
});
const insertAudit = sqlite.prepare(
  "INSERT INTO audit_events (program_id, actor_user_id, action, outcome, ip_address) VALUES (?, ?, 'auth.sign_in', 'success', '127.0.0.1')",
);
sqlite.transaction(() => {
  for (let i = 0; i < counts.auditEvents; i++) insertAudit.run(program.id, patients[i % patients.length]!.id);
})();

// The first patient's circle: every supporter approved but the last, who waits for the therapist;
// the first supporter has read the patient's information 100,000 times.
const { acceptInvitation, decide, findPatientLink, invite, supporterGrant, recordDisclosures } = await import("~/models/care-circle.server");
const patient = patients[0]!;
const patientActor = { id: patient.id, programId: program.id, ipAddress: null };
const supporters = Array.from({ length: counts.circle }, (_, i) => account("supporter", i));
db.transaction((tx) => {
  for (const row of supporters) tx.insert(users).values(row).run();
});
const links = supporters.map((supporter, i) => {
  const { token, linkId } = invite(
    patientActor,
    {
      categories: ["progress", "milestones"],
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
  acceptInvitation(token, supporter, null);
  if (i < counts.circle - 1) decide({ id: therapists[0]!.id, programId: program.id, ipAddress: null }, findPatientLink(patient.id, linkId)!, { kind: "approve" });
  return linkId;
});
const grant = supporterGrant(supporters[0]!.id, links[0]!)!;
sqlite.transaction(() => {
  for (let i = 0; i < counts.disclosures; i++) recordDisclosures(grant, [{ category: "progress", itemType: "check_in", itemId: `item-${i}` }]);
})();

const build = await import(pathToFileURL(path.join(root, "build/index.js")).href);
const handler = createRequestHandler(build, "production");
const origin = "http://bench.local";
const cookieOf = async (userId: string) =>
  (await startSession(new Request(`${origin}/login`), userId, { ipAddress: null, userAgent: "bench" })).split(";")[0]!;

const pages: [string, string, string | null][] = [
  ["sign-in page", "/login", null],
  ["health check", "/healthz", null],
  ["admin: program", "/admin", await cookieOf(admin.id)],
  [`admin: audit trail (${counts.auditEvents.toLocaleString("en-US")} rows)`, "/admin/audit", await cookieOf(admin.id)],
  [`therapist: caseload (${counts.patientsPerTherapist} patients)`, "/therapist", await cookieOf(therapists[0]!.id)],
  ["patient: home", "/patient", await cookieOf(patients[0]!.id)],
  ["account: sessions", "/account/sessions", await cookieOf(patients[1]!.id)],
  [`patient: care circle (${counts.circle} people)`, "/patient/circle", await cookieOf(patient.id)],
  [`patient: who has seen my information (${counts.disclosures.toLocaleString("en-US")} rows)`, "/patient/disclosures", await cookieOf(patient.id)],
  ["therapist: approval queue", "/therapist/approvals", await cookieOf(therapists[0]!.id)],
  ["supporter: home", "/supporter", await cookieOf(supporters[0]!.id)],
  ["supporter: a patient's page (logs a disclosure)", `/supporter/circles/${links[0]}`, await cookieOf(supporters[0]!.id)],
];

const iterations = Number(process.env.BENCH_ITERATIONS ?? 300);
console.log(`Server time per request, ${iterations} requests each (document GET, production build, no network):`);
console.log("page".padEnd(58), "median".padStart(8), "p95".padStart(8), "mean".padStart(8));
for (const [label, url, cookie] of pages) {
  const times: number[] = [];
  for (let i = 0; i < iterations + 20; i++) {
    const request = new Request(`${origin}${url}`, { headers: cookie ? { Cookie: cookie } : {} });
    const started = performance.now();
    const response = await handler(request, { cspNonce: "bench", clientAddress: "127.0.0.1" });
    await response.text();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    if (i >= 20) times.push(performance.now() - started); // the first 20 warm up
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
  console.log(label.padEnd(58), at(0.5).toFixed(2).padStart(8), at(0.95).toFixed(2).padStart(8), mean.toFixed(2).padStart(8));
}
sqlite.close();
