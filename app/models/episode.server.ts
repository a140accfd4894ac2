import { and, asc, eq, isNull, ne } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Database } from "#db/database";
import { episodes, programs, memberships } from "#db/schema";
import { recordAudit } from "~/models/audit.server";
import { createInvitedAccount } from "~/models/account.server";
import { newId } from "~/utils/crypto.server";
import { calendarDateIn, daysBetween } from "~/utils/dates";

export class UnknownTherapistError extends Error {
  constructor() {
    super("The chosen therapist is not in this program");
  }
}

/** Therapists of the program who can take patients (not disabled). */
export async function listAssignableTherapists(db: Database, programId: string) {
  return db
    .select({ id: memberships.id, name: memberships.name })
    .from(memberships)
    .where(and(eq(memberships.programId, programId), eq(memberships.role, "therapist"), ne(memberships.status, "disabled")))
    .orderBy(asc(memberships.name));
}

export type Enrolment = {
  name: string;
  email: string;
  startDate: string;
  plannedWeeks: number;
  therapistId: string;
};

/**
 * Enrols a patient: the account, its activation token and the IOP episode, in one transaction.
 * The therapist must belong to the actor's program and not be disabled.
 */
export async function enrolPatient(
  db: Database,
  actor: { id: string; programId: string; ipAddress: string | null },
  enrolment: Enrolment,
) {
  return db.transaction(async (tx) => {
    const therapist = await tx
      .select({ id: memberships.id, status: memberships.status })
      .from(memberships)
      .where(
        and(
          eq(memberships.id, enrolment.therapistId),
          eq(memberships.programId, actor.programId),
          eq(memberships.role, "therapist"),
        ),
      )
      .get();
    if (!therapist || therapist.status === "disabled") throw new UnknownTherapistError();
    const { userId, activationToken } = await createInvitedAccount(tx, actor, {
      name: enrolment.name,
      email: enrolment.email,
      role: "patient",
    });
    const episodeId = newId();
    await tx.insert(episodes).values({
      id: episodeId,
      programId: actor.programId,
      patientId: userId,
      primaryTherapistId: therapist.id,
      startDate: enrolment.startDate,
      plannedWeeks: enrolment.plannedWeeks,
    });
    await recordAudit(tx, {
      action: "episode.created",
      outcome: "success",
      programId: actor.programId,
      actorUserId: actor.id,
      targetType: "episode",
      targetId: episodeId,
      ipAddress: actor.ipAddress,
    });
    return { patientId: userId, episodeId, activationToken };
  });
}

export type ProgramWeek = { week: number; plannedWeeks: number; started: boolean; finished: boolean };

/** Which week of the planned episode "today" (in the program's time zone) falls in. */
export function programWeek(startDate: string, plannedWeeks: number, today: string): ProgramWeek {
  const days = daysBetween(startDate, today);
  if (days < 0) return { week: 0, plannedWeeks, started: false, finished: false };
  const week = Math.floor(days / 7) + 1;
  return { week: Math.min(week, plannedWeeks), plannedWeeks, started: true, finished: week > plannedWeeks };
}

/** The patient's open episode with the therapist's name and the program, or undefined. */
export async function currentEpisode(db: Database, patientId: string, now = new Date()) {
  const therapist = alias(memberships, "therapist");
  const row = await db
    .select({
      id: episodes.id,
      startDate: episodes.startDate,
      plannedWeeks: episodes.plannedWeeks,
      therapistName: therapist.name,
      programName: programs.name,
      timeZone: programs.timeZone,
    })
    .from(episodes)
    .innerJoin(therapist, eq(therapist.id, episodes.primaryTherapistId))
    .innerJoin(programs, eq(programs.id, episodes.programId))
    .where(and(eq(episodes.patientId, patientId), isNull(episodes.endedAt)))
    .get();
  if (!row) return undefined;
  return { ...row, week: programWeek(row.startDate, row.plannedWeeks, calendarDateIn(row.timeZone, now)) };
}

/**
 * Ends a patient's open episode. Consents tied to it ("until the end of my IOP episode") end with it:
 * the access check sees the ended episode on the supporter's next request.
 */
export async function endEpisode(
  db: Database,
  actor: { id: string; programId: string; ipAddress: string | null },
  patientId: string,
) {
  return db.transaction(async (tx) => {
    const [ended] = await tx
      .update(episodes)
      .set({ endedAt: new Date() })
      .where(and(eq(episodes.patientId, patientId), eq(episodes.programId, actor.programId), isNull(episodes.endedAt)))
      .returning({ id: episodes.id });
    if (!ended) return null;
    await recordAudit(tx, {
      action: "episode.ended",
      outcome: "success",
      programId: actor.programId,
      actorUserId: actor.id,
      targetType: "episode",
      targetId: ended.id,
      ipAddress: actor.ipAddress,
    });
    return ended;
  });
}
