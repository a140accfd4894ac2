import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Database } from "#db/database";
import { circleLinks, consents, educationModules, episodes, moduleAssignments, moduleVersions, memberships } from "#db/schema";
import { recordAudit } from "~/models/audit.server";
import { patientCircle } from "~/models/care-circle.server";
import { release, supportersWhoMaySee, type Capability, type CareTeamAccess } from "~/models/access.server";
import { type Actor } from "~/models/circle-link.server";
import { learningProgress } from "~/models/learning.server";
import { learningStatus, progressPercent } from "~/models/learning-status";
import { findAssignableModule, moduleLibrary, readerVersionOrder } from "~/models/module-library.server";
import { getProgram } from "~/models/program.server";
import { recordEvents } from "~/models/events.server";
import { newId } from "~/utils/crypto.server";
import { calendarDateIn } from "~/utils/dates";
import type { Language } from "~/vocabulary";

/**
 * Modules asked of supporters. An assignment belongs to a care-circle link whose live consent
 * includes `education`: the supporter sees what they were asked (logged as a disclosure) and the
 * patient sees their progress. When the link ends, the assignment context goes with it; the
 * supporter's own learning stays theirs (app/models/learning.server.ts).
 */

export class AssignmentRuleError extends Error {
  constructor(
    readonly field: string,
    readonly messageKey: string,
  ) {
    super(messageKey);
  }
}

export type Assigner = Actor & { role: "therapist" | "patient" };

type Assignment = { slug: string; target: string; dueOn: string | null };

/**
 * Asks the chosen supporter (a link id) or every supporter sharing `education` ("all") to take a
 * module. The therapist asking again changes the due date. Returns the supporters asked, to notify them.
 */
export async function assignModule(
  db: Database,
  assigner: Assigner,
  patientId: string,
  assignment: Assignment,
  now = new Date(),
) {
  // Who shares `education` is read in the transaction that writes the asks: a consent revoked meanwhile cannot slip in.
  return db.transaction(async (tx) => {
    const module = await findAssignableModule(tx, assigner.programId, assignment.slug);
    if (!module) throw new AssignmentRuleError("slug", "learning.assign.unknownModule");
    const supporters = await supportersWhoMaySee(tx, patientId, "education");
    const chosen =
      assignment.target === "all" ? supporters : supporters.filter((supporter) => supporter.linkId === assignment.target);
    if (chosen.length === 0) {
      throw new AssignmentRuleError(
        "target",
        assignment.target === "all" ? "learning.assign.nobody" : "learning.assign.unknownSupporter",
      );
    }
    if (assignment.dueOn !== null && assignment.dueOn < (await programToday(tx, assigner.programId, now))) {
      throw new AssignmentRuleError("dueOn", "learning.assign.duePast");
    }
    for (const supporter of chosen) {
      const insert = tx.insert(moduleAssignments).values({
        id: newId(),
        programId: supporter.programId,
        moduleId: module.id,
        linkId: supporter.linkId,
        assignedBy: assigner.id,
        assignedByRole: assigner.role,
        dueOn: assignment.dueOn,
        createdAt: now,
      });
      // The therapist's ask takes over (and sets the due date); a patient's suggestion never
      // replaces an ask that is already there.
      if (assigner.role === "therapist") {
        await insert.onConflictDoUpdate({
          target: [moduleAssignments.linkId, moduleAssignments.moduleId],
          set: { dueOn: assignment.dueOn, assignedBy: assigner.id, assignedByRole: assigner.role },
        });
      } else {
        await insert.onConflictDoNothing();
      }
      await recordAudit(tx, {
        action: "learning.assigned",
        outcome: "success",
        programId: assigner.programId,
        actorUserId: assigner.id,
        targetType: "circle_link",
        targetId: supporter.linkId,
        ipAddress: assigner.ipAddress,
      });
    }
    await recordEvents(
      tx,
      chosen.map((supporter) => ({
        recipientId: supporter.supporterId,
        kind: "module_assigned" as const,
        programId: supporter.programId,
        patientId,
        linkId: supporter.linkId,
        subjectId: module.id,
      })),
      now,
    );
    return chosen.map((supporter) => supporter.supporterId);
  });
}

const assigner = alias(memberships, "assigner");

/** What every list of assignments shows; joined with every version of the module, the reader's best first. */
const assignmentColumns = {
  id: moduleAssignments.id,
  linkId: moduleAssignments.linkId,
  moduleId: moduleAssignments.moduleId,
  slug: educationModules.slug,
  title: moduleVersions.title,
  version: moduleVersions.version,
  dueOn: moduleAssignments.dueOn,
  assignedByRole: moduleAssignments.assignedByRole,
  assignedByName: assigner.name,
};

/** Keeps one row per assignment: the first, so the title of the version the reader would read (rows come best first). */
function onePerAssignment<Row extends { id: string }>(rows: Row[]) {
  const first = new Map<string, Row>();
  for (const row of rows) if (!first.has(row.id)) first.set(row.id, row);
  return [...first.values()];
}

/** The assignments on these links, in library order, each with the module's current title in `language`. */
async function assignmentsOnLinks(db: Database, linkIds: string[], language: Language) {
  if (linkIds.length === 0) return [];
  const rows = await db
    .select(assignmentColumns)
    .from(moduleAssignments)
    .innerJoin(educationModules, eq(educationModules.id, moduleAssignments.moduleId))
    .innerJoin(moduleVersions, eq(moduleVersions.moduleId, educationModules.id))
    .innerJoin(assigner, eq(assigner.id, moduleAssignments.assignedBy))
    .where(inArray(moduleAssignments.linkId, linkIds))
    .orderBy(asc(educationModules.position), ...readerVersionOrder(language))
    .all();
  return onePerAssignment(rows);
}

async function withProgress(
  db: Database,
  rows: Awaited<ReturnType<typeof assignmentsOnLinks>>,
  supporterOf: (linkId: string) => string,
  today: string,
) {
  const progress = await learningProgress(
    db,
    [...new Set(rows.map((row) => supporterOf(row.linkId)))],
    [...new Set(rows.map((row) => row.moduleId))],
  );
  return rows.map((row) => {
    const learning = progress.get(`${supporterOf(row.linkId)}:${row.moduleId}`);
    return {
      ...row,
      status: learningStatus(learning, row.dueOn, today),
      progress: learning ?? null,
    };
  });
}

async function programToday(db: Database, programId: string, now: Date) {
  return calendarDateIn((await getProgram(db, programId))!.timeZone, now);
}

/**
 * The modules asked of this supporter under each `education` capability, grouped by patient. Showing
 * one tells the supporter something about the patient's care, so each is released as it is returned.
 */
export async function supporterAssignments(
  db: Database,
  capabilities: Capability<"education">[],
  language: Language = "en",
  now = new Date(),
) {
  if (capabilities.length === 0) return [];
  const rows = await release(
    db,
    capabilities,
    await assignmentsOnLinks(
      db,
      capabilities.map((capability) => capability.access.linkId),
      language,
    ),
    (row) => ({ linkId: row.linkId, type: "module_assignment", id: row.id }),
  );
  const today = calendarDateIn(capabilities[0]!.access.timeZone, now);
  const assigned = await withProgress(db, rows, () => capabilities[0]!.access.supporterId, today);
  return capabilities
    .map(({ access }) => ({
      linkId: access.linkId,
      patientName: access.patientName,
      assignments: assigned.filter((row) => row.linkId === access.linkId),
    }))
    .filter((group) => group.assignments.length > 0);
}

/** Whether a therapist asked this module of the supporter under one of these capabilities (so a reflection may be shared). */
export async function isAssignedToSupporter(db: Database, capabilities: Capability<"education">[], moduleId: string) {
  if (capabilities.length === 0) return false;
  return Boolean(
    await db
      .select({ id: moduleAssignments.id })
      .from(moduleAssignments)
      .where(
        and(
          inArray(
            moduleAssignments.linkId,
            capabilities.map((capability) => capability.access.linkId),
          ),
          eq(moduleAssignments.moduleId, moduleId),
          eq(moduleAssignments.assignedByRole, "therapist"),
        ),
      )
      .get(),
  );
}

/**
 * The patient's active supporters, each with whether they share `education` and, if so, the
 * modules asked of them with their progress. Never the reflections: those a supporter chose to
 * share are for the care team only.
 */
export async function circleLearning(
  db: Database,
  patientId: string,
  programId: string,
  language: Language = "en",
  now = new Date(),
) {
  return learningOfCircle(db, patientId, programId, { withReflections: false, language }, now);
}

/** The same for the patient's care team, with the reflections supporters chose to share with the therapist. */
export async function careTeamCircleLearning(db: Database, access: CareTeamAccess, language: Language = "en", now = new Date()) {
  return learningOfCircle(db, access.patientId, access.programId, { withReflections: true, language }, now);
}

async function learningOfCircle(
  db: Database,
  patientId: string,
  programId: string,
  options: { withReflections: boolean; language: Language },
  now: Date,
) {
  const active = (await patientCircle(db, patientId)).filter((entry) => entry.link.status === "active" && entry.link.supporterId);
  // Whose learning the patient and the care team may follow is the access module's answer, as for assigning.
  const educationLinks = new Set((await supportersWhoMaySee(db, patientId, "education")).map((supporter) => supporter.linkId));
  const supporterOf = new Map(active.map((entry) => [entry.link.id, entry.link.supporterId!]));
  const rows = await withProgress(
    db,
    await assignmentsOnLinks(db, [...educationLinks], options.language),
    (linkId) => supporterOf.get(linkId)!,
    await programToday(db, programId, now),
  );
  return active.map((entry) => ({
    linkId: entry.link.id,
    name: entry.link.invitedName,
    relationship: entry.link.relationship,
    sharesEducation: educationLinks.has(entry.link.id),
    assignments: rows
      .filter((row) => row.linkId === entry.link.id)
      .map(({ progress, ...row }) => ({
        ...row,
        bestScore: progress?.bestScore ?? null,
        completedAt: progress?.completedAt ?? null,
        percent: progressPercent(progress ?? undefined),
        sharedReflection:
          options.withReflections && row.assignedByRole === "therapist" && progress?.reflectionShared
            ? progress.reflection
            : null,
      })),
  }));
}

/** The modules a patient's supporters can be asked to take: the library without those the program hid. */
export async function assignableModules(db: Database, programId: string) {
  return (await moduleLibrary(db, programId))
    .filter((module) => !module.hidden)
    .map(({ slug, title, readingMinutes }) => ({ slug, title, readingMinutes }));
}

const patient = alias(memberships, "patient");

/**
 * Across the therapist's caseload: every assignment on an active link, with its supporter's progress
 * and where it stands today. The caseload is in the query (the therapist's open episodes).
 */
export async function caseloadAssignments(db: Database, therapist: { id: string; programId: string }, now = new Date()) {
  const today = await programToday(db, therapist.programId, now);
  const rows = (
    await db
      .select({
        ...assignmentColumns,
        supporterId: circleLinks.supporterId,
        supporterName: circleLinks.invitedName,
        patientId: patient.id,
        patientName: patient.name,
      })
      .from(moduleAssignments)
      .innerJoin(circleLinks, and(eq(circleLinks.id, moduleAssignments.linkId), eq(circleLinks.status, "active")))
      .innerJoin(consents, and(eq(consents.linkId, circleLinks.id), eq(consents.status, "active")))
      .innerJoin(episodes, and(eq(episodes.id, circleLinks.episodeId), isNull(episodes.endedAt)))
      .innerJoin(patient, eq(patient.id, circleLinks.patientId))
      .innerJoin(educationModules, eq(educationModules.id, moduleAssignments.moduleId))
      .innerJoin(moduleVersions, eq(moduleVersions.moduleId, educationModules.id))
      .innerJoin(assigner, eq(assigner.id, moduleAssignments.assignedBy))
      .where(and(eq(moduleAssignments.programId, therapist.programId), eq(episodes.primaryTherapistId, therapist.id)))
      // The caseload lists titles in English, the language every module has.
      .orderBy(asc(moduleAssignments.dueOn), asc(patient.name), ...readerVersionOrder("en"))
  ).filter((row) => row.supporterId !== null);
  const latest = onePerAssignment(rows);
  const progress = await learningProgress(
    db,
    [...new Set(latest.map((row) => row.supporterId!))],
    [...new Set(latest.map((row) => row.moduleId))],
  );
  return latest.map((row) => {
    const own = progress.get(`${row.supporterId}:${row.moduleId}`);
    return { ...row, progress: own ?? null, status: learningStatus(own, row.dueOn, today) };
  });
}

/** Across the therapist's caseload: every assignment past its due date whose supporter has not completed it. */
export async function caseloadOverdue(db: Database, therapist: { id: string; programId: string }, now = new Date()) {
  return (await caseloadAssignments(db, therapist, now)).filter((row) => row.status === "overdue");
}
