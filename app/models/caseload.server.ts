import { and, asc, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Database } from "#db/database";
import {
  attendance,
  checkIns,
  circleLinks,
  episodes,
  groupEnrolments,
  memberships,
  programs,
  scheduleGroups,
  supportPlanItems,
} from "#db/schema";
import type { AttentionReason, CheckInKind } from "~/vocabulary";
import { caseloadAssignments } from "~/models/assignments.server";
import { programWeek } from "~/models/episode.server";
import { addDays, calendarDateIn, instantAt, isoWeekday } from "~/utils/dates";

/**
 * The therapist's caseload: each patient of their open episodes with what the care team needs at a
 * glance, and the reasons one needs attention now. Every figure is read for the whole caseload in a
 * fixed number of set-based queries (none per patient), so the page costs the same few queries with
 * 200 patients as with 3. Only what the patient shared with the care team counts: private check-ins
 * never reach this page.
 */

/** A craving this many points above the patient's own 4-week average of care-team check-ins is a reason. */
export const cravingRiseThreshold = 2;
/** Fewer earlier check-ins than this make no average worth comparing against. */
const minimumBaseline = 2;
const dayMs = 24 * 3_600_000;

export type CaseloadPatient = Awaited<ReturnType<typeof caseload>>[number];

const patient = alias(memberships, "patient");

/** The caseload's patients, in the query itself: the therapist's open episodes in their program. */
function caseloadPatientIds(db: Database, therapist: { id: string; programId: string }) {
  return db
    .select({ patientId: episodes.patientId })
    .from(episodes)
    .where(
      and(eq(episodes.primaryTherapistId, therapist.id), eq(episodes.programId, therapist.programId), isNull(episodes.endedAt)),
    );
}

/** Patients of the therapist's open episodes with their program week, by name: the caseload without its figures. */
export async function caseloadEpisodes(db: Database, therapist: { id: string; programId: string }, now: Date) {
  const rows = await db
    .select({
      patientId: patient.id,
      name: patient.name,
      status: patient.status,
      kind: episodes.kind,
      startDate: episodes.startDate,
      plannedWeeks: episodes.plannedWeeks,
      timeZone: programs.timeZone,
    })
    .from(episodes)
    .innerJoin(patient, eq(patient.id, episodes.patientId))
    .innerJoin(programs, eq(programs.id, episodes.programId))
    .where(
      and(eq(episodes.primaryTherapistId, therapist.id), eq(episodes.programId, therapist.programId), isNull(episodes.endedAt)),
    )
    .orderBy(asc(patient.name), asc(patient.id));
  return rows.map((row) => ({
    ...row,
    week: programWeek(row.startDate, row.plannedWeeks, calendarDateIn(row.timeZone, now)),
  }));
}

/**
 * This week's meetings (Monday to today, in the program's time zone) each patient was expected at, and
 * those attended; and the meetings missed in the last 7 days. A patient is expected at a meeting of a
 * group their enrolment covered that day, and at any meeting something was recorded for them (a meeting
 * can be recorded for someone enrolled after it).
 */
async function attendanceThisWeek(db: Database, therapist: { id: string; programId: string }, now: Date, timeZone: string) {
  const today = calendarDateIn(timeZone, now);
  const weekStart = addDays(today, 1 - isoWeekday(today));
  const lastWeekStart = addDays(today, -6);
  const since = weekStart < lastWeekStart ? weekStart : lastWeekStart;
  const enrolments = await db
    .select({
      patientId: groupEnrolments.patientId,
      groupId: groupEnrolments.groupId,
      weekday: scheduleGroups.weekday,
      startTime: scheduleGroups.startTime,
      enrolledOn: groupEnrolments.enrolledOn,
      endedOn: groupEnrolments.endedOn,
      groupEndedAt: scheduleGroups.endedAt,
    })
    .from(groupEnrolments)
    .innerJoin(scheduleGroups, eq(scheduleGroups.id, groupEnrolments.groupId))
    .where(
      and(
        eq(groupEnrolments.programId, therapist.programId),
        inArray(groupEnrolments.patientId, caseloadPatientIds(db, therapist)),
        sql`(${groupEnrolments.endedOn} IS NULL OR ${groupEnrolments.endedOn} > ${weekStart})`,
      ),
    );
  const recorded = await db
    .select({
      patientId: attendance.patientId,
      groupId: attendance.groupId,
      sessionDate: attendance.sessionDate,
      status: attendance.status,
    })
    .from(attendance)
    .where(
      and(
        eq(attendance.programId, therapist.programId),
        inArray(attendance.patientId, caseloadPatientIds(db, therapist)),
        gte(attendance.sessionDate, since),
      ),
    );
  const byPatient = new Map<string, { expected: Set<string>; attended: number; missedLastWeek: number }>();
  const of = (patientId: string) => {
    let entry = byPatient.get(patientId);
    if (!entry) byPatient.set(patientId, (entry = { expected: new Set(), attended: 0, missedLastWeek: 0 }));
    return entry;
  };
  for (const enrolment of enrolments) {
    const meeting = addDays(weekStart, enrolment.weekday - 1);
    const groupEndedOn = enrolment.groupEndedAt ? calendarDateIn(timeZone, enrolment.groupEndedAt) : null;
    // A meeting later today is not yet one they missed or attended.
    const held =
      (meeting < today || (meeting === today && instantAt(timeZone, meeting, enrolment.startTime) <= now)) &&
      meeting >= enrolment.enrolledOn &&
      (enrolment.endedOn === null || meeting < enrolment.endedOn) &&
      (groupEndedOn === null || meeting < groupEndedOn);
    if (held) of(enrolment.patientId).expected.add(`${enrolment.groupId} ${meeting}`);
  }
  for (const row of recorded) {
    const entry = of(row.patientId);
    if (row.sessionDate >= weekStart && row.sessionDate <= today) {
      entry.expected.add(`${row.groupId} ${row.sessionDate}`);
      if (row.status === "attended") entry.attended += 1;
    }
    if (row.status === "missed" && row.sessionDate >= lastWeekStart) entry.missedLastWeek += 1;
  }
  return new Map(
    [...byPatient].map(([patientId, entry]) => [
      patientId,
      { scheduled: entry.expected.size, attended: entry.attended, missedLastWeek: entry.missedLastWeek },
    ]),
  );
}

type SharedCheckIn = { patientId: string; kind: CheckInKind; mood: number | null; craving: number | null; createdAt: Date };

/**
 * The last check-in each patient shared with the care team, however long ago: read through the
 * patient's own index, newest first, until the first one shared with the care team.
 */
async function lastCareTeamCheckIns(db: Database, therapist: { id: string; programId: string }) {
  const rows = await db
    .select({
      patientId: checkIns.patientId,
      kind: checkIns.kind,
      mood: checkIns.mood,
      craving: checkIns.craving,
      createdAt: checkIns.createdAt,
    })
    .from(episodes)
    .innerJoin(
      checkIns,
      eq(
        checkIns.id,
        sql`(SELECT latest.id FROM check_ins AS latest WHERE latest.patient_id = ${episodes.patientId}
          AND latest.shared_with_care_team = 1 ORDER BY latest.created_at DESC LIMIT 1)`,
      ),
    )
    .where(
      and(eq(episodes.primaryTherapistId, therapist.id), eq(episodes.programId, therapist.programId), isNull(episodes.endedAt)),
    );
  return new Map<string, SharedCheckIn>(rows.map((row) => [row.patientId, row]));
}

/** Care-team check-ins of the last five weeks: the 4-week baseline before a recent check-in, and slips. */
async function recentCareTeamCheckIns(db: Database, therapist: { id: string; programId: string }, now: Date) {
  return db
    .select({
      patientId: checkIns.patientId,
      kind: checkIns.kind,
      mood: checkIns.mood,
      craving: checkIns.craving,
      createdAt: checkIns.createdAt,
    })
    .from(checkIns)
    .where(
      and(
        inArray(checkIns.patientId, caseloadPatientIds(db, therapist)),
        eq(checkIns.sharedWithCareTeam, true),
        gte(checkIns.createdAt, new Date(now.getTime() - 35 * dayMs)),
      ),
    );
}

/**
 * Whether the last check-in (in the last 7 days) reports a craving at least `cravingRiseThreshold`
 * above the average of the patient's care-team check-ins in the 4 weeks before it.
 */
export function cravingRose(last: SharedCheckIn | undefined, earlier: SharedCheckIn[], now: Date) {
  if (!last || last.craving === null || now.getTime() - last.createdAt.getTime() > 7 * dayMs) return false;
  const baseline = earlier
    .filter(
      (entry) =>
        entry.craving !== null &&
        entry.createdAt < last.createdAt &&
        entry.createdAt.getTime() >= last.createdAt.getTime() - 28 * dayMs,
    )
    .map((entry) => entry.craving!);
  if (baseline.length < minimumBaseline) return false;
  const average = baseline.reduce((sum, craving) => sum + craving, 0) / baseline.length;
  return last.craving - average >= cravingRiseThreshold;
}

/** Pending approvals and circle size per patient. */
async function circleCounts(db: Database, therapist: { id: string; programId: string }) {
  const rows = await db
    .select({ patientId: circleLinks.patientId, status: circleLinks.status, count: sql<number>`count(*)` })
    .from(circleLinks)
    .where(
      and(
        eq(circleLinks.programId, therapist.programId),
        inArray(circleLinks.patientId, caseloadPatientIds(db, therapist)),
        inArray(circleLinks.status, ["accepted", "active"]),
      ),
    )
    .groupBy(circleLinks.patientId, circleLinks.status);
  const counts = new Map<string, { pending: number; circle: number }>();
  for (const row of rows) {
    const entry = counts.get(row.patientId) ?? { pending: 0, circle: 0 };
    if (row.status === "accepted") entry.pending = row.count;
    else entry.circle = row.count;
    counts.set(row.patientId, entry);
  }
  return counts;
}

/** Support-plan items no supporter with an active link has accepted, per patient. */
async function planGaps(db: Database, therapist: { id: string; programId: string }) {
  const rows = await db
    .select({
      patientId: supportPlanItems.patientId,
      // Spelled out: Drizzle leaves the columns of a one-table select unqualified, which the subquery would misread.
      gaps: sql<number>`sum(NOT EXISTS (SELECT 1 FROM support_plan_asks AS ask INNER JOIN circle_links AS asked
        ON asked.id = ask.link_id AND asked.status = 'active'
        WHERE ask.item_id = support_plan_items.id AND ask.status = 'accepted'))`,
    })
    .from(supportPlanItems)
    .where(
      and(
        eq(supportPlanItems.programId, therapist.programId),
        inArray(supportPlanItems.patientId, caseloadPatientIds(db, therapist)),
      ),
    )
    .groupBy(supportPlanItems.patientId);
  return new Map(rows.map((row) => [row.patientId, row.gaps]));
}

/** Modules asked of each patient's supporters: how many, how many completed, how many overdue. */
async function educationCounts(db: Database, therapist: { id: string; programId: string }, now: Date) {
  const counts = new Map<string, { assigned: number; completed: number; overdue: number }>();
  for (const row of await caseloadAssignments(db, therapist, now)) {
    const entry = counts.get(row.patientId) ?? { assigned: 0, completed: 0, overdue: 0 };
    entry.assigned += 1;
    if (row.status === "completed") entry.completed += 1;
    if (row.status === "overdue") entry.overdue += 1;
    counts.set(row.patientId, entry);
  }
  return counts;
}

/**
 * The whole caseload with its figures and reasons, patients needing attention first (more reasons
 * first), then by name.
 */
export async function caseload(db: Database, therapist: { id: string; programId: string }, now = new Date()) {
  const patients = await caseloadEpisodes(db, therapist, now);
  if (patients.length === 0) return [];
  const timeZone = patients[0]!.timeZone;
  const [attendanceOf, lastOf, recent, circles, gaps, education] = await Promise.all([
    attendanceThisWeek(db, therapist, now, timeZone),
    lastCareTeamCheckIns(db, therapist),
    recentCareTeamCheckIns(db, therapist, now),
    circleCounts(db, therapist),
    planGaps(db, therapist),
    educationCounts(db, therapist, now),
  ]);
  const recentOf = new Map<string, SharedCheckIn[]>();
  for (const entry of recent) recentOf.set(entry.patientId, [...(recentOf.get(entry.patientId) ?? []), entry]);
  const rows = patients.map((row) => {
    const last = lastOf.get(row.patientId);
    const earlier = recentOf.get(row.patientId) ?? [];
    const week = attendanceOf.get(row.patientId) ?? { scheduled: 0, attended: 0, missedLastWeek: 0 };
    const circle = circles.get(row.patientId) ?? { pending: 0, circle: 0 };
    const learning = education.get(row.patientId) ?? { assigned: 0, completed: 0, overdue: 0 };
    const reasons: AttentionReason[] = [];
    if (week.missedLastWeek > 0) reasons.push("missed_session");
    if (cravingRose(last, earlier, now)) reasons.push("craving_rise");
    if (earlier.some((entry) => entry.kind === "slip" && now.getTime() - entry.createdAt.getTime() <= 7 * dayMs)) {
      reasons.push("slip");
    }
    if (learning.overdue > 0) reasons.push("overdue_module");
    if (circle.pending > 0) reasons.push("pending_approval");
    return {
      patientId: row.patientId,
      name: row.name,
      status: row.status,
      kind: row.kind,
      week: row.week,
      attendance: { scheduled: week.scheduled, attended: week.attended, missed: week.missedLastWeek },
      lastCheckIn: last ? { kind: last.kind, mood: last.mood, craving: last.craving, at: last.createdAt.getTime() } : null,
      pendingApprovals: circle.pending,
      circleSize: circle.circle,
      education: { assigned: learning.assigned, completed: learning.completed, overdue: learning.overdue },
      planGaps: gaps.get(row.patientId) ?? 0,
      reasons,
    };
  });
  return rows.sort((a, b) => b.reasons.length - a.reasons.length || a.name.localeCompare(b.name));
}

export type CaseloadFilter = { name?: string; attention?: boolean; reason?: AttentionReason };

/** The patients a filter keeps: a name fragment (any case), only those needing attention, or one reason. */
export function filterCaseload(patients: CaseloadPatient[], filter: CaseloadFilter) {
  const name = filter.name?.trim().toLocaleLowerCase();
  return patients.filter(
    (row) =>
      (!name || row.name.toLocaleLowerCase().includes(name)) &&
      (!filter.attention || row.reasons.length > 0) &&
      (!filter.reason || row.reasons.includes(filter.reason)),
  );
}
