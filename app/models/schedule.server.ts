import { and, asc, desc, eq, gte, inArray, isNull, ne, or } from "drizzle-orm";
import type { Database } from "#db/database";
import { attendance, groupEnrolments, memberships, scheduleGroups } from "#db/schema";
import type { AttendanceStatus } from "~/vocabulary";
import type { GroupInput, MeetingInput } from "~/forms/schedule";
import { recordAudit, type AuditAction } from "~/models/audit.server";
import { release, type CareTeamAccess, type Capability } from "~/models/access.server";
import type { Actor } from "~/models/circle-link.server";
import { FieldRuleError } from "~/models/rule-error";
import { getProgram } from "~/models/program.server";
import { newId } from "~/utils/crypto.server";
import { addDays, calendarDateIn, instantAt, minutesOfClockTime, isoWeekday } from "~/utils/dates";

/**
 * The program's weekly schedule: groups that meet on one weekday at a wall-clock time in the
 * program's time zone, the patients enrolled in them, and what the therapist recorded for each
 * meeting. A meeting is not stored: it is a date on the group's weekday, and exists once attendance
 * is recorded for it. Attendance is patient data: supporters see it only under the "attendance"
 * category, through the access module, which logs each showing.
 */

/** A refused schedule change, answered at its field by the same form handler as family sessions. */
export class ScheduleRuleError extends FieldRuleError {}

const groupColumns = {
  id: scheduleGroups.id,
  name: scheduleGroups.name,
  weekday: scheduleGroups.weekday,
  startTime: scheduleGroups.startTime,
  durationMinutes: scheduleGroups.durationMinutes,
  location: scheduleGroups.location,
  videoUrl: scheduleGroups.videoUrl,
};

export type Group = { id: string; name: string; weekday: number; startTime: string; durationMinutes: number };
type Slot = Pick<Group, "weekday" | "startTime" | "durationMinutes">;

const weekMinutes = 7 * 24 * 60;

/** Whether two weekly slots overlap anywhere in the week (a group late on Sunday runs into Monday). */
function slotsClash(a: Slot, b: Slot) {
  const start = (slot: Slot) => (slot.weekday - 1) * 24 * 60 + minutesOfClockTime(slot.startTime);
  const bAfterA = (((start(b) - start(a)) % weekMinutes) + weekMinutes) % weekMinutes;
  return bAfterA < a.durationMinutes || weekMinutes - bAfterA < b.durationMinutes;
}

/** The latest date on `weekday` that is not after `today`: the meeting a therapist most likely records. */
export function latestMeetingDate(weekday: number, today: string) {
  return addDays(today, -((isoWeekday(today) - weekday + 7) % 7));
}

/** The group's next meeting not yet over: its date and the instant it starts, in the program's time zone. */
export function nextMeeting(group: Slot, timeZone: string, now = new Date()) {
  const today = calendarDateIn(timeZone, now);
  let date = addDays(today, (group.weekday - isoWeekday(today) + 7) % 7);
  const endsAt = (on: string) => instantAt(timeZone, on, group.startTime).getTime() + group.durationMinutes * 60_000;
  if (endsAt(date) <= now.getTime()) date = addDays(date, 7);
  return { date, startsAt: instantAt(timeZone, date, group.startTime) };
}

function audit(db: Database, actor: Actor, action: AuditAction, targetType: string, targetId: string) {
  return recordAudit(db, {
    action,
    outcome: "success",
    programId: actor.programId,
    actorUserId: actor.id,
    targetType,
    targetId,
    ipAddress: actor.ipAddress,
  });
}

async function todayIn(db: Database, programId: string, now: Date) {
  return calendarDateIn((await getProgram(db, programId))?.timeZone ?? "UTC", now);
}

/** The program's groups that still meet, by day and time. */
export async function programSchedule(db: Database, programId: string) {
  return db
    .select(groupColumns)
    .from(scheduleGroups)
    .where(and(eq(scheduleGroups.programId, programId), isNull(scheduleGroups.endedAt)))
    .orderBy(asc(scheduleGroups.weekday), asc(scheduleGroups.startTime), asc(scheduleGroups.name));
}

/** A group of the program that still meets, or undefined (the route answers 404). */
export async function programGroup(db: Database, programId: string, groupId: string) {
  return db
    .select(groupColumns)
    .from(scheduleGroups)
    .where(and(eq(scheduleGroups.id, groupId), eq(scheduleGroups.programId, programId), isNull(scheduleGroups.endedAt)))
    .get();
}

function placeOf(input: GroupInput) {
  return {
    name: input.name,
    weekday: input.weekday,
    startTime: input.startTime,
    durationMinutes: input.durationMinutes,
    location: input.location || null,
    videoUrl: input.videoUrl || null,
  };
}

export async function createGroup(db: Database, actor: Actor, input: GroupInput, now = new Date()) {
  const id = newId();
  await db.transaction(async (tx) => {
    await tx
      .insert(scheduleGroups)
      .values({ id, programId: actor.programId, ...placeOf(input), createdBy: actor.id, createdAt: now });
    await audit(tx, actor, "schedule.group_created", "schedule_group", id);
  });
  return id;
}

/** The open enrolments of these patients in the program's other open groups, with each group's slot. */
async function otherSlotsOf(db: Database, programId: string, patientIds: string[], exceptGroupId: string) {
  if (patientIds.length === 0) return [];
  return db
    .select({
      patientId: groupEnrolments.patientId,
      weekday: scheduleGroups.weekday,
      startTime: scheduleGroups.startTime,
      durationMinutes: scheduleGroups.durationMinutes,
    })
    .from(groupEnrolments)
    .innerJoin(scheduleGroups, eq(scheduleGroups.id, groupEnrolments.groupId))
    .where(
      and(
        eq(groupEnrolments.programId, programId),
        inArray(groupEnrolments.patientId, patientIds),
        isNull(groupEnrolments.endedOn),
        isNull(scheduleGroups.endedAt),
        ne(groupEnrolments.groupId, exceptGroupId),
      ),
    );
}

/**
 * Whether a one-off slot of the care team's patient (a family session on its weekday) overlaps one of
 * the weekly groups they are enrolled in: the patient cannot be in two places at once.
 */
export async function clashesWithGroups(db: Database, access: CareTeamAccess, slot: Slot) {
  const groups = await otherSlotsOf(db, access.programId, [access.patientId], "");
  return groups.some((group) => slotsClash(group, slot));
}

/** Patients with an open enrolment in the group. */
async function openEnrolees(db: Database, programId: string, groupId: string) {
  const rows = await db
    .select({ patientId: groupEnrolments.patientId })
    .from(groupEnrolments)
    .where(and(eq(groupEnrolments.programId, programId), eq(groupEnrolments.groupId, groupId), isNull(groupEnrolments.endedOn)));
  return rows.map((row) => row.patientId);
}

/**
 * Changes a group's name, time or place. A new time may not book any enrolled patient twice at
 * one time. False when the program has no such open group.
 */
export async function changeGroup(db: Database, actor: Actor, groupId: string, input: GroupInput) {
  if (!(await programGroup(db, actor.programId, groupId))) return false;
  const enrolees = await openEnrolees(db, actor.programId, groupId);
  const others = await otherSlotsOf(db, actor.programId, enrolees, groupId);
  if (others.some((other) => slotsClash(input, other))) {
    throw new ScheduleRuleError("startTime", "schedule.validation.changeOverlap");
  }
  await db.transaction(async (tx) => {
    await tx.update(scheduleGroups).set(placeOf(input)).where(eq(scheduleGroups.id, groupId));
    await audit(tx, actor, "schedule.group_changed", "schedule_group", groupId);
  });
  return true;
}

/** Ends a group and its open enrolments; its attendance history stays. False when there is no such open group. */
export async function endGroup(db: Database, actor: Actor, groupId: string, now = new Date()) {
  if (!(await programGroup(db, actor.programId, groupId))) return false;
  const today = await todayIn(db, actor.programId, now);
  await db.transaction(async (tx) => {
    await tx.update(scheduleGroups).set({ endedAt: now }).where(eq(scheduleGroups.id, groupId));
    await tx
      .update(groupEnrolments)
      .set({ endedOn: today })
      .where(and(eq(groupEnrolments.groupId, groupId), isNull(groupEnrolments.endedOn)));
    await audit(tx, actor, "schedule.group_ended", "schedule_group", groupId);
  });
  return true;
}

/**
 * Enrols the care team's patient in an open group of their program, unless they are in it already
 * or another of their groups meets at an overlapping time. False when there is no such group.
 */
export async function enrolInGroup(db: Database, access: CareTeamAccess, actor: Actor, groupId: string, now = new Date()) {
  const group = await programGroup(db, access.programId, groupId);
  if (!group) return false;
  if ((await openEnrolees(db, access.programId, groupId)).includes(access.patientId)) {
    throw new ScheduleRuleError("patientId", "schedule.validation.alreadyEnrolled");
  }
  const others = await otherSlotsOf(db, access.programId, [access.patientId], groupId);
  if (others.some((other) => slotsClash(group, other))) {
    throw new ScheduleRuleError("patientId", "schedule.validation.overlap");
  }
  const id = newId();
  await db.transaction(async (tx) => {
    await tx.insert(groupEnrolments).values({
      id,
      programId: access.programId,
      groupId,
      patientId: access.patientId,
      enrolledOn: calendarDateIn(access.timeZone, now),
      createdAt: now,
    });
    await audit(tx, actor, "schedule.enrolled", "group_enrolment", id);
  });
  return true;
}

/** Ends the care team's patient's open enrolment in a group. False when there is none. */
export async function endEnrolment(db: Database, access: CareTeamAccess, actor: Actor, groupId: string, now = new Date()) {
  const open = and(
    eq(groupEnrolments.programId, access.programId),
    eq(groupEnrolments.groupId, groupId),
    eq(groupEnrolments.patientId, access.patientId),
    isNull(groupEnrolments.endedOn),
  );
  const enrolment = await db.select({ id: groupEnrolments.id }).from(groupEnrolments).where(open).get();
  if (!enrolment) return false;
  await db.transaction(async (tx) => {
    await tx
      .update(groupEnrolments)
      .set({ endedOn: calendarDateIn(access.timeZone, now) })
      .where(eq(groupEnrolments.id, enrolment.id));
    await audit(tx, actor, "schedule.enrolment_ended", "group_enrolment", enrolment.id);
  });
  return true;
}

/** Which of the member's patients are enrolled in the group now, and which could be. */
export async function groupRoster(db: Database, caseload: CareTeamAccess[], programId: string, groupId: string) {
  const enrolled = new Set(await openEnrolees(db, programId, groupId));
  const patients = caseload.map(({ patientId, patientName }) => ({ patientId, name: patientName }));
  return {
    enrolled: patients.filter((patient) => enrolled.has(patient.patientId)),
    others: patients.filter((patient) => !enrolled.has(patient.patientId)),
  };
}

/**
 * The member's patients who belong at one meeting of the group, with what was recorded for them:
 * those whose enrolment had not ended before that date (a meeting may be recorded for a patient
 * enrolled only after it, since therapists often enter a group's members after its first meeting).
 */
export async function meetingRoster(db: Database, caseload: CareTeamAccess[], programId: string, groupId: string, date: string) {
  const patientIds = caseload.map((access) => access.patientId);
  if (patientIds.length === 0) return [];
  const rows = await db
    .selectDistinct({ patientId: groupEnrolments.patientId, name: memberships.name, status: attendance.status })
    .from(groupEnrolments)
    .innerJoin(memberships, eq(memberships.id, groupEnrolments.patientId))
    .leftJoin(
      attendance,
      and(
        eq(attendance.groupId, groupEnrolments.groupId),
        eq(attendance.patientId, groupEnrolments.patientId),
        eq(attendance.sessionDate, date),
      ),
    )
    .where(
      and(
        eq(groupEnrolments.programId, programId),
        eq(groupEnrolments.groupId, groupId),
        inArray(groupEnrolments.patientId, patientIds),
        or(isNull(groupEnrolments.endedOn), gte(groupEnrolments.endedOn, date)),
      ),
    )
    .orderBy(asc(memberships.name));
  return rows.map((row) => ({ ...row, status: row.status ?? null }));
}

/**
 * Records one meeting of the group for the member's patients on its roster: a date on the group's
 * weekday, not in the future. Recording again replaces what was recorded. False when a patient
 * named is not on the member's roster for that meeting (the route answers 404).
 */
export async function recordMeeting(
  db: Database,
  caseload: CareTeamAccess[],
  actor: Actor,
  group: Group,
  input: MeetingInput,
  now = new Date(),
) {
  if (isoWeekday(input.date) !== group.weekday) throw new ScheduleRuleError("date", "schedule.validation.wrongDay");
  if (input.date > (await todayIn(db, actor.programId, now))) {
    throw new ScheduleRuleError("date", "schedule.validation.future");
  }
  const roster = new Set((await meetingRoster(db, caseload, actor.programId, group.id, input.date)).map((row) => row.patientId));
  const marks = Object.entries(input.attendance ?? {});
  if (marks.some(([patientId]) => !roster.has(patientId))) return false;
  if (marks.length === 0) return true;
  await db.transaction(async (tx) => {
    for (const [patientId, status] of marks) {
      await tx
        .insert(attendance)
        .values({
          id: newId(),
          programId: actor.programId,
          groupId: group.id,
          patientId,
          sessionDate: input.date,
          status,
          recordedBy: actor.id,
          recordedAt: now,
        })
        .onConflictDoUpdate({
          target: [attendance.groupId, attendance.sessionDate, attendance.patientId],
          set: { status, recordedBy: actor.id, recordedAt: now },
        });
    }
    await audit(tx, actor, "attendance.recorded", "schedule_group", group.id);
  });
  return true;
}

/** How many recent meetings a patient and their supporters see. */
export const recentAttendanceCount = 12;

/** One patient's groups with their next meeting, and their latest attendance, newest first. */
async function scheduleOf(db: Database, patient: { id: string; programId: string }, timeZone: string, now: Date) {
  const groups = await db
    .selectDistinct(groupColumns)
    .from(groupEnrolments)
    .innerJoin(scheduleGroups, eq(scheduleGroups.id, groupEnrolments.groupId))
    .where(
      and(
        eq(groupEnrolments.programId, patient.programId),
        eq(groupEnrolments.patientId, patient.id),
        isNull(groupEnrolments.endedOn),
        isNull(scheduleGroups.endedAt),
      ),
    );
  const recent = await db
    .select({ id: attendance.id, date: attendance.sessionDate, groupName: scheduleGroups.name, status: attendance.status })
    .from(attendance)
    .innerJoin(scheduleGroups, eq(scheduleGroups.id, attendance.groupId))
    .where(and(eq(attendance.programId, patient.programId), eq(attendance.patientId, patient.id)))
    .orderBy(desc(attendance.sessionDate), asc(scheduleGroups.name))
    .limit(recentAttendanceCount);
  return {
    groups: groups
      .map((group) => ({ ...group, next: nextMeeting(group, timeZone, now) }))
      .sort((a, b) => a.next.startsAt.getTime() - b.next.startsAt.getTime()),
    attendance: recent as { id: string; date: string; groupName: string; status: AttendanceStatus }[],
  };
}

/** The patient's own schedule and attendance. */
export function patientSchedule(db: Database, patient: { id: string; programId: string }, timeZone: string, now = new Date()) {
  return scheduleOf(db, patient, timeZone, now);
}

/** The patient's schedule and attendance as a supporter with the attendance category sees them, logged as disclosures. */
export async function sharedSchedule(db: Database, capability: Capability<"attendance">, now = new Date()) {
  const { linkId, patientId, programId, timeZone } = capability.access;
  const shown = await scheduleOf(db, { id: patientId, programId }, timeZone, now);
  await release(
    db,
    [capability],
    [
      ...shown.groups.map((group) => ({ type: "schedule_group" as const, id: group.id })),
      ...shown.attendance.map((row) => ({ type: "attendance" as const, id: row.id })),
    ],
    (item) => ({ linkId, ...item }),
  );
  return shown;
}
