import { fileURLToPath } from "node:url";
import { and, count, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Database } from "#db/database";
import {
  accountTokens,
  auditEvents,
  checkInAudience,
  checkInReplies,
  checkIns,
  circleLinks,
  consents,
  digests,
  disclosureLog,
  episodes,
  events,
  learningRecords,
  learningSectionReads,
  memberships,
  moduleAssignments,
  people,
  programs,
  quizAttempts,
  recoveryStarts,
  supportPlanAsks,
  supportPlanItems,
} from "#db/schema";
import { tokenLifetimesMs } from "~/models/account-token.server";
import { publishModuleLibrary, readModuleLibrary } from "~/models/module-content.server";
import { findVersion, moduleLibrary } from "~/models/module-library.server";
import { sha256Hex } from "~/utils/crypto.server";
import { AuditTrail } from "./audit-trail";
import { BulkInsert } from "./bulk-insert";
import { ProgramCalendar } from "./calendar";
import { auditLinkHistory, consentHistoryRows, invitationViews, linkRow } from "./circle-history";
import { planProgram, type MemberPlan, type ProgramPlan, type SupporterPlan } from "./plan";
import { YearOfEvents } from "./events";
import { Random } from "./random";
import { writeSupporterVisits } from "./visits";
import { emptyRows, writePatientYear, type LibraryModule, type Rows, type YearContext } from "./year";

/**
 * A large program with a year of history, for benchmarks, load tests and trying the app at scale
 * (`npm run seed:large`). Everything is planned from a seeded random source, so the same patient count
 * and seed give the same people, circles and year (dates counted back from the day it runs). What the app
 * decides through its rules (consents, their text and events) is written by the app's own functions; the
 * bulk of the year (check-ins, disclosures, the audit trail) by multi-row inserts in chunked transactions.
 */

export type SeedProgress = { phase: "people" | "patients" | "audit trail"; done: number; total: number };

export type SeedLargeProgramOptions = {
  patients: number;
  /** One hash for every account: hashing a password takes tens of milliseconds, and the seed makes thousands. */
  passwordHash: string;
  seed?: number;
  /** The day the year runs up to (it ends the day before). */
  now?: Date;
  onProgress?: (progress: SeedProgress) => void;
};

export type SampleAccount = { membershipId: string; email: string; name: string };

export type SeedSummary = {
  programId: string;
  programName: string;
  timeZone: string;
  counts: Record<string, number>;
  samples: {
    admin: SampleAccount[];
    therapist: SampleAccount[];
    patient: SampleAccount[];
    supporter: SampleAccount[];
    supporterOfTwoPatients: SampleAccount[];
    patientWhoSupports: SampleAccount[];
  };
};

export const defaultSeed = 14;
const timeZone = "America/Chicago";
const patientsPerTransaction = 100;
const auditRowsPerTransaction = 50_000;
const contentDirectory = fileURLToPath(new URL("../../content/modules", import.meta.url));

const bulk = {
  people: new BulkInsert(people, ["id", "email", "passwordHash", "createdAt", "updatedAt"]),
  memberships: new BulkInsert(memberships, ["id", "personId", "programId", "name", "role", "status", "createdAt", "updatedAt"]),
  accountTokens: new BulkInsert(accountTokens, ["id", "personId", "purpose", "tokenHash", "expiresAt", "usedAt", "createdAt"]),
  episodes: new BulkInsert(episodes, [
    "id",
    "programId",
    "patientId",
    "primaryTherapistId",
    "startDate",
    "plannedWeeks",
    "endedAt",
    "createdAt",
  ]),
  circleLinks: new BulkInsert(circleLinks, [
    "id",
    "programId",
    "patientId",
    "episodeId",
    "supporterId",
    "invitedName",
    "invitedEmail",
    "relationship",
    "status",
    "invitationTokenHash",
    "invitationExpiresAt",
    "invitedAt",
    "acceptedAt",
    "decidedAt",
    "decidedBy",
    "refusalReason",
    "safetyConcern",
    "safetyNote",
    "endedAt",
    "endedBy",
    "updatedAt",
  ]),
  checkIns: new BulkInsert(checkIns, [
    "id",
    "programId",
    "patientId",
    "kind",
    "mood",
    "craving",
    "wins",
    "hard",
    "helpRequest",
    "sharedWithCareTeam",
    "createdAt",
    "updatedAt",
  ]),
  consents: new BulkInsert(consents, [
    "id",
    "programId",
    "linkId",
    "patientId",
    "version",
    "patientName",
    "disclosingProgram",
    "categories",
    "recipientName",
    "recipientEmail",
    "recipientRelationship",
    "purpose",
    "revocationStatement",
    "expiryKind",
    "expiresOn",
    "episodeId",
    "signature",
    "signedAt",
    "text",
    "status",
    "endedAt",
  ]),
  audience: new BulkInsert(checkInAudience, ["checkInId", "linkId", "createdAt"]),
  replies: new BulkInsert(checkInReplies, ["id", "checkInId", "linkId", "supporterId", "preset", "message", "createdAt"]),
  recoveryStarts: new BulkInsert(recoveryStarts, ["patientId", "programId", "startDate", "updatedAt"]),
  planItems: new BulkInsert(supportPlanItems, ["id", "programId", "patientId", "need", "details", "createdAt"]),
  planAsks: new BulkInsert(supportPlanAsks, ["itemId", "linkId", "status", "askedAt", "respondedAt"]),
  assignments: new BulkInsert(moduleAssignments, [
    "id",
    "programId",
    "moduleId",
    "linkId",
    "assignedBy",
    "assignedByRole",
    "dueOn",
    "createdAt",
  ]),
  learningRecords: new BulkInsert(learningRecords, [
    "id",
    "userId",
    "moduleId",
    "versionId",
    "startedAt",
    "completedAt",
    "practiceDoneAt",
    "reflection",
    "reflectionShared",
    "reflectionUpdatedAt",
  ]),
  sectionReads: new BulkInsert(learningSectionReads, ["recordId", "section", "readAt"]),
  quizAttempts: new BulkInsert(quizAttempts, [
    "id",
    "recordId",
    "answers",
    "correct",
    "total",
    "scorePercent",
    "passed",
    "createdAt",
  ]),
  disclosures: new BulkInsert(disclosureLog, [
    "programId",
    "patientId",
    "linkId",
    "consentId",
    "kind",
    "category",
    "itemType",
    "itemId",
    "detail",
    "actorUserId",
    "occurredAt",
    "day",
    "count",
    "lastOccurredAt",
  ]),
  digests: new BulkInsert(digests, ["id", "personId", "period", "createdAt"]),
  events: new BulkInsert(events, [
    "id",
    "programId",
    "recipientId",
    "kind",
    "patientId",
    "linkId",
    "subjectId",
    "occurredAt",
    "notice",
    "digestId",
  ]),
  auditEvents: new BulkInsert(auditEvents, [
    "programId",
    "actorUserId",
    "action",
    "outcome",
    "targetType",
    "targetId",
    "ipAddress",
    "createdAt",
  ]),
};

/** An independent random stream per patient or supporter, so that how the work is chunked changes nothing. */
function stream(seed: number, kind: number, index: number) {
  return new Random((Math.imul(seed, 0x9e3779b1) ^ Math.imul(kind, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0);
}

export async function seedLargeProgram(db: Database, options: SeedLargeProgramOptions): Promise<SeedSummary> {
  if (!Number.isInteger(options.patients) || options.patients < 1) throw new Error("patients must be a whole number, at least 1");
  const seed = options.seed ?? defaultSeed;
  const report = options.onProgress ?? (() => {});
  const calendar = new ProgramCalendar(timeZone, options.now ?? new Date());
  const plan = planProgram({
    patients: options.patients,
    random: new Random(seed),
    calendar,
    programName: `Riverbend IOP (${options.patients.toLocaleString("en-US")} patients)`,
  });
  const audit = new AuditTrail();

  report({ phase: "people", done: 0, total: 1 });
  // The library the server publishes at start: published once, a shared library for every program.
  await publishModuleLibrary(db, readModuleLibrary(contentDirectory), new Date(plan.createdAt));
  await db.transaction((tx) => writePeople(tx, plan, calendar, options.passwordHash, stream(seed, 0, 0), audit));
  const library = await loadLibrary(db, plan.programId);
  report({ phase: "people", done: 1, total: 1 });

  const context: Omit<YearContext, "random"> = {
    programId: plan.programId,
    calendar,
    audit,
    library,
    learningStarted: new Map(),
    recoverySince: new Map(),
  };
  const linksLeft = new Map<SupporterPlan, number>(plan.supporters.map((supporter) => [supporter, supporter.links.length]));
  const supporterIndex = new Map(plan.supporters.map((supporter, index) => [supporter, index]));
  const yearOfEvents = new YearOfEvents(
    plan.programId,
    timeZone,
    new Map(plan.patients.flatMap((patient) => patient.links).map((link) => [link.id, link])),
  );
  for (let start = 0; start < plan.patients.length; start += patientsPerTransaction) {
    const chunk = plan.patients.slice(start, start + patientsPerTransaction);
    const links = chunk.flatMap((patient) => patient.links);
    const rows = emptyRows();
    const replies: (typeof checkInReplies.$inferInsert)[] = [];
    const consentRows: (typeof consents.$inferInsert)[] = [];
    await db.transaction(async (tx) => {
      await bulk.circleLinks.insert(
        tx,
        links.map((link) => linkRow(plan, link)),
      );
      for (const link of links) {
        const history = consentHistoryRows(plan, calendar, link);
        consentRows.push(...history.consents);
        rows.disclosures.push(...history.events);
        auditLinkHistory(audit, link);
      }
      await bulk.consents.insert(tx, consentRows);
      for (const patient of chunk) {
        const random = stream(seed, 1, patient.index);
        writePatientYear({ ...context, random }, patient, rows);
        for (const link of patient.links) rows.disclosures.push(...invitationViews(plan, calendar, random, link));
      }
      // A supporter's visits are written once every patient they support has had their year written.
      for (const link of links) {
        if (!link.supporter) continue;
        const left = linksLeft.get(link.supporter)! - 1;
        linksLeft.set(link.supporter, left);
        if (left > 0) continue;
        const random = stream(seed, 2, supporterIndex.get(link.supporter)!);
        writeSupporterVisits({ ...context, random }, link.supporter, rows, replies);
        for (const done of link.supporter.links) done.shared = [];
      }
      await writeRows(tx, rows, replies);
      const told = [...yearOfEvents.ofLinks(links), ...yearOfEvents.ofRows(rows.audience, replies, rows.assignments)];
      await bulk.digests.insert(tx, yearOfEvents.takeDigests());
      await bulk.events.insert(tx, told);
    });
    for (const link of links) if (!link.supporter) link.shared = [];
    await turnOfTheEventLoop();
    report({ phase: "patients", done: start + chunk.length, total: plan.patients.length });
  }

  const trail = audit.inTimeOrder();
  for (let start = 0; start < trail.length; start += auditRowsPerTransaction) {
    const slice = trail.slice(start, start + auditRowsPerTransaction);
    await db.transaction((tx) =>
      bulk.auditEvents.insert(
        tx,
        slice.map((row) => ({
          programId: plan.programId,
          actorUserId: row.actorUserId,
          action: row.action,
          outcome: row.outcome,
          targetType: row.targetType,
          targetId: row.targetId,
          ipAddress: row.ipAddress,
          createdAt: new Date(row.at),
        })),
      ),
    );
    await turnOfTheEventLoop();
    report({ phase: "audit trail", done: start + slice.length, total: trail.length });
  }
  return summarize(db, plan);
}

/**
 * Lets the event loop run between transactions. libSQL's client frees what a finished statement held only
 * from callbacks on the loop: without a turn, a 5,000-patient seed held 8.6 GB instead of about 2.3 GB.
 */
function turnOfTheEventLoop() {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/** Rows in the order their references need. */
async function writeRows(tx: Database, rows: Rows, replies: (typeof checkInReplies.$inferInsert)[]) {
  await bulk.checkIns.insert(tx, rows.checkIns);
  await bulk.audience.insert(tx, rows.audience);
  await bulk.replies.insert(tx, replies);
  await bulk.recoveryStarts.insert(tx, rows.recoveryStarts);
  await bulk.planItems.insert(tx, rows.planItems);
  await bulk.planAsks.insert(tx, rows.planAsks);
  await bulk.assignments.insert(tx, rows.assignments);
  await bulk.learningRecords.insert(tx, rows.learningRecords);
  await bulk.sectionReads.insert(tx, rows.sectionReads);
  await bulk.quizAttempts.insert(tx, rows.quizAttempts);
  await bulk.disclosures.insert(tx, rows.disclosures);
}

/**
 * The program, its people and their memberships, episodes and used activation links, as the admin
 * command, enrolment and activation leave them; and the care team's sign-ins on working days.
 */
async function writePeople(
  tx: Database,
  plan: ProgramPlan,
  calendar: ProgramCalendar,
  passwordHash: string,
  random: Random,
  audit: AuditTrail,
) {
  await tx.insert(programs).values({ id: plan.programId, name: plan.programName, timeZone, createdAt: new Date(plan.createdAt) });
  const invited = (membership: MemberPlan) => membership.role !== "supporter";
  await bulk.people.insert(
    tx,
    plan.people.map((person) => {
      // Staff and patients were invited and set a password later; a supporter set one when signing up.
      const activatedLater = person.memberships.some(invited);
      return {
        id: person.id,
        email: person.email,
        passwordHash,
        createdAt: new Date(person.createdAt),
        updatedAt: activatedLater ? new Date(person.activatedAt) : null,
      };
    }),
  );
  const allMemberships = plan.people.flatMap((person) => person.memberships);
  await bulk.memberships.insert(
    tx,
    allMemberships.map((membership) => ({
      id: membership.id,
      personId: membership.person.id,
      programId: plan.programId,
      name: membership.name,
      role: membership.role,
      status: "active" as const,
      createdAt: new Date(membership.createdAt),
      updatedAt: invited(membership) ? new Date(membership.activatedAt) : null,
    })),
  );
  const activated = allMemberships.filter(invited);
  await bulk.accountTokens.insert(
    tx,
    activated.map((membership) => ({
      id: crypto.randomUUID(),
      personId: membership.person.id,
      purpose: "activation" as const,
      tokenHash: sha256Hex(random.token()),
      expiresAt: new Date(membership.createdAt + tokenLifetimesMs.activation),
      usedAt: new Date(membership.activatedAt),
      createdAt: new Date(membership.createdAt),
    })),
  );
  await bulk.episodes.insert(
    tx,
    plan.patients.map((patient) => ({
      id: patient.episodeId,
      programId: plan.programId,
      patientId: patient.member.id,
      primaryTherapistId: patient.therapist.id,
      startDate: calendar.date(patient.episodeStartDay),
      plannedWeeks: patient.plannedWeeks,
      endedAt: null,
      createdAt: new Date(patient.enrolledAt),
    })),
  );

  for (const admin of plan.admins) {
    // The first admins come from `npm run create-admin`, which acts as nobody.
    audit.add(admin.createdAt, "account.created", null, { type: "user", id: admin.id });
  }
  for (const therapist of plan.therapists) {
    audit.add(therapist.createdAt, "account.created", plan.admins[0]!, { type: "user", id: therapist.id });
  }
  for (const patient of plan.patients) {
    const user = { type: "user", id: patient.member.id };
    audit.add(patient.enrolledAt, "account.created", patient.enroller, user);
    audit.add(patient.enrolledAt, "episode.created", patient.enroller, { type: "episode", id: patient.episodeId });
  }
  for (const membership of activated)
    audit.add(membership.activatedAt, "account.activated", membership, { type: "user", id: membership.id });
  for (const member of [...plan.admins, ...plan.therapists]) {
    for (let day = calendar.daysAgoOf(member.activatedAt) - 1; day >= 1; day--) {
      const weekday = calendar.weekday(day);
      if (weekday === 0 || weekday === 6 || !random.chance(member.role === "therapist" ? 0.9 : 0.7)) continue;
      audit.signIn(calendar.at(day, random.between(7.5, 9.5)), member.person);
    }
  }
}

/** The newest version of each module in the program's library, with what a supporter's learning needs of it. */
async function loadLibrary(db: Database, programId: string): Promise<LibraryModule[]> {
  const modules = await moduleLibrary(db, programId);
  return Promise.all(
    modules.map(async (module, position) => {
      const version = (await findVersion(db, module.versionId))!;
      return { id: module.moduleId, position, versionId: version.id, sectionCount: version.sections.length, quiz: version.quiz };
    }),
  );
}

async function summarize(db: Database, plan: ProgramPlan): Promise<SeedSummary> {
  const inProgram = <T extends { programId: unknown }>(table: T) => eq(table.programId as never, plan.programId);
  const byStatus = async (table: typeof circleLinks | typeof consents) =>
    Object.fromEntries(
      (
        await db
          .select({ status: table.status, n: count() })
          .from(table)
          .where(eq(table.programId, plan.programId))
          .groupBy(table.status)
      ).map((row) => [row.status, row.n]),
    );
  const linkStatuses = await byStatus(circleLinks);
  const consentStatuses = await byStatus(consents);
  const [disclosures] = await db
    .select({
      shown: sql<number>`count(*) filter (where ${disclosureLog.kind} = 'disclosure')`,
      consentEvents: sql<number>`count(*) filter (where ${disclosureLog.kind} <> 'disclosure')`,
    })
    .from(disclosureLog)
    .where(inProgram(disclosureLog));
  const counts: Record<string, number> = {
    people: plan.people.length,
    admins: plan.admins.length,
    therapists: plan.therapists.length,
    patients: plan.patients.length,
    supporters: plan.supporters.length,
    memberships: plan.people.reduce((sum, person) => sum + person.memberships.length, 0),
    ...Object.fromEntries(Object.entries(linkStatuses).map(([status, n]) => [`links ${status}`, n])),
    ...Object.fromEntries(Object.entries(consentStatuses).map(([status, n]) => [`consents ${status}`, n])),
    "check-ins": await db.$count(checkIns, inProgram(checkIns)),
    "check-in audience": await db.$count(checkInAudience),
    replies: await db.$count(checkInReplies),
    "recovery dates": await db.$count(recoveryStarts, inProgram(recoveryStarts)),
    "support plan items": await db.$count(supportPlanItems, inProgram(supportPlanItems)),
    "support plan asks": await db.$count(supportPlanAsks),
    "module assignments": await db.$count(moduleAssignments, inProgram(moduleAssignments)),
    "learning records": await db.$count(learningRecords),
    "sections read": await db.$count(learningSectionReads),
    "knowledge-check attempts": await db.$count(quizAttempts),
    "disclosure log: items shown": disclosures?.shown ?? 0,
    "disclosure log: consent events": disclosures?.consentEvents ?? 0,
    "audit events": await db.$count(auditEvents, inProgram(auditEvents)),
    "events not mailed yet": await db.$count(events, and(inProgram(events), isNull(events.notice))),
    "events told in digests": await db.$count(events, and(inProgram(events), isNotNull(events.digestId))),
    events: await db.$count(events, inProgram(events)),
  };
  return { programId: plan.programId, programName: plan.programName, timeZone, counts, samples: samplesOf(plan) };
}

function samplesOf(plan: ProgramPlan): SeedSummary["samples"] {
  const sample = (members: MemberPlan[]) =>
    members.slice(0, 3).map((member) => ({ membershipId: member.id, email: member.person.email, name: member.name }));
  const activeLinks = (supporter: SupporterPlan) => supporter.links.filter((link) => link.status === "active");
  return {
    admin: sample(plan.admins),
    therapist: sample(plan.therapists),
    patient: sample(
      plan.patients.filter((patient) => patient.links.some((link) => link.status === "active")).map((patient) => patient.member),
    ),
    supporter: sample(
      plan.supporters.filter((supporter) => activeLinks(supporter).length > 0).map((supporter) => supporter.member),
    ),
    supporterOfTwoPatients: sample(
      plan.supporters
        .filter((supporter) => new Set(activeLinks(supporter).map((link) => link.patient)).size >= 2)
        .map((supporter) => supporter.member),
    ),
    patientWhoSupports: sample(
      plan.supporters
        .filter((supporter) => supporter.member.person.memberships.some((membership) => membership.role === "patient"))
        .map((supporter) => supporter.member),
    ),
  };
}
