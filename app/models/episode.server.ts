import { and, asc, count, desc, eq, inArray, isNull, ne } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Database } from "#db/database";
import { circleLinks, episodes, programs, memberships } from "#db/schema";
import { recordAudit, type AuditAction } from "~/models/audit.server";
import { changeAccountStatus, createInvitedAccount } from "~/models/account.server";
import { auditLink, endCurrentConsent, moveLink } from "~/models/circle-link.server";
import { openStatuses } from "~/models/circle-state";
import type { EpisodeEndReason, EpisodeKind } from "~/vocabulary";
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

type Actor = { id: string; programId: string; ipAddress: string | null };

/** A mistake in what was asked, reported at `field` with a translation key; nothing was changed. */
export class EpisodeRuleError extends Error {
  constructor(
    readonly field: string,
    readonly messageKey: string,
  ) {
    super(messageKey);
  }
}

/** A therapist of the program who can take patients (not disabled), or undefined. */
async function assignableTherapist(db: Database, programId: string, therapistId: string) {
  return db
    .select({ id: memberships.id })
    .from(memberships)
    .where(
      and(
        eq(memberships.id, therapistId),
        eq(memberships.programId, programId),
        eq(memberships.role, "therapist"),
        ne(memberships.status, "disabled"),
      ),
    )
    .get();
}

function episodeEvent(action: AuditAction, actor: Actor, episodeId: string) {
  return {
    action,
    outcome: "success",
    programId: actor.programId,
    actorUserId: actor.id,
    targetType: "episode",
    targetId: episodeId,
    ipAddress: actor.ipAddress,
  } as const;
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
    const therapist = await assignableTherapist(tx, actor.programId, enrolment.therapistId);
    if (!therapist) throw new UnknownTherapistError();
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
    await recordAudit(tx, episodeEvent("episode.created", actor, episodeId));
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
      kind: episodes.kind,
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
 * Ends a patient's open episode in the actor's program, with its reason. Every care-circle link of the
 * episode ends with it, in the same transaction, whatever its consent's term: a consent belongs to one
 * episode (decision 018), so its supporters see nothing from the next request on, and an invitation not
 * yet accepted stops working. The patient keeps their account, history and disclosure log.
 * Returns null when the patient has no open episode here.
 */
export async function endEpisode(db: Database, actor: Actor, patientId: string, reason: EpisodeEndReason, now = new Date()) {
  return db.transaction(async (tx) => {
    const [ended] = await tx
      .update(episodes)
      .set({ endedAt: now, endReason: reason, endedBy: actor.id })
      .where(and(eq(episodes.patientId, patientId), eq(episodes.programId, actor.programId), isNull(episodes.endedAt)))
      .returning({ id: episodes.id });
    if (!ended) return null;
    const links = await tx
      .select()
      .from(circleLinks)
      .where(and(eq(circleLinks.episodeId, ended.id), inArray(circleLinks.status, [...openStatuses])));
    for (const link of links) {
      await moveLink(tx, link, "expired", "system", { endedAt: now, endedBy: actor.id, invitationTokenHash: null });
      await endCurrentConsent(tx, link, "expired", "episode_ended", actor.id, now);
      await auditLink(tx, "circle.expired", actor, link.id);
    }
    await recordAudit(tx, episodeEvent("episode.ended", actor, ended.id));
    return {
      ...ended,
      linksEnded: links.length,
      /** Supporters who had joined: each is told, neutrally, that their access changed. */
      supporterIds: links.flatMap((link) => link.supporterId ?? []),
    };
  });
}

export type NextEpisode = { kind: EpisodeKind; startDate: string; plannedWeeks: number; therapistId: string };

/**
 * Starts a new episode (IOP or aftercare) for a patient of the actor's program whose last one has
 * ended. Returns null for anyone who is not such a patient.
 */
export async function startEpisode(db: Database, actor: Actor, patientId: string, next: NextEpisode) {
  return db.transaction(async (tx) => {
    const patient = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.id, patientId), eq(memberships.programId, actor.programId), eq(memberships.role, "patient")))
      .get();
    if (!patient) return null;
    const open = await tx
      .select({ id: episodes.id })
      .from(episodes)
      .where(and(eq(episodes.patientId, patient.id), isNull(episodes.endedAt)))
      .get();
    if (open) throw new EpisodeRuleError("kind", "episode.start.alreadyOpen");
    if (!(await assignableTherapist(tx, actor.programId, next.therapistId))) {
      throw new EpisodeRuleError("therapistId", "validation.therapist.required");
    }
    const id = newId();
    await tx.insert(episodes).values({
      id,
      programId: actor.programId,
      patientId: patient.id,
      primaryTherapistId: next.therapistId,
      kind: next.kind,
      startDate: next.startDate,
      plannedWeeks: next.plannedWeeks,
    });
    await recordAudit(tx, episodeEvent("episode.created", actor, id));
    return { id };
  });
}

/** The patient's episodes in the program, newest first: for the admin's episode page. */
export async function patientEpisodes(db: Database, programId: string, patientId: string) {
  const therapist = alias(memberships, "therapist");
  return db
    .select({
      id: episodes.id,
      kind: episodes.kind,
      startDate: episodes.startDate,
      plannedWeeks: episodes.plannedWeeks,
      endedAt: episodes.endedAt,
      endReason: episodes.endReason,
      therapistId: episodes.primaryTherapistId,
      therapistName: therapist.name,
    })
    .from(episodes)
    .innerJoin(therapist, eq(therapist.id, episodes.primaryTherapistId))
    .where(and(eq(episodes.patientId, patientId), eq(episodes.programId, programId)))
    .orderBy(desc(episodes.createdAt), desc(episodes.startDate));
}

/** A patient of the program, by id, or undefined (the route answers 404). */
export async function programPatient(db: Database, programId: string, patientId: string) {
  return db
    .select({ id: memberships.id, name: memberships.name })
    .from(memberships)
    .where(and(eq(memberships.id, patientId), eq(memberships.programId, programId), eq(memberships.role, "patient")))
    .get();
}

/** Names another therapist of the program as primary on the patient's open episode; null when there is none. */
export async function reassignPrimaryTherapist(db: Database, actor: Actor, patientId: string, therapistId: string) {
  return db.transaction(async (tx) => {
    if (!(await assignableTherapist(tx, actor.programId, therapistId))) {
      throw new EpisodeRuleError("therapistId", "validation.therapist.required");
    }
    const [moved] = await tx
      .update(episodes)
      .set({ primaryTherapistId: therapistId })
      .where(and(eq(episodes.patientId, patientId), eq(episodes.programId, actor.programId), isNull(episodes.endedAt)))
      .returning({ id: episodes.id });
    if (!moved) return null;
    await recordAudit(tx, episodeEvent("episode.reassigned", actor, moved.id));
    return moved;
  });
}

/** How many open episodes name this member of the program as primary therapist. */
export async function openEpisodesOf(db: Database, programId: string, therapistId: string) {
  return db
    .select({ id: episodes.id })
    .from(episodes)
    .where(and(eq(episodes.primaryTherapistId, therapistId), eq(episodes.programId, programId), isNull(episodes.endedAt)));
}

/** For each therapist of the program with open episodes, how many (for the admin's list). */
export async function openEpisodeCounts(db: Database, programId: string): Promise<Record<string, number>> {
  const rows = await db
    .select({ therapistId: episodes.primaryTherapistId, open: count() })
    .from(episodes)
    .where(and(eq(episodes.programId, programId), isNull(episodes.endedAt)))
    .groupBy(episodes.primaryTherapistId);
  return Object.fromEntries(rows.map((row) => [row.therapistId, row.open]));
}

/**
 * Disables a membership of the actor's program. A therapist's open episodes (and with them their
 * approval queue, which follows the episode's primary therapist) move first to `colleagueId`, an
 * active therapist of the same program, required when there is any. One transaction: the handover,
 * the status and the end of every session it acts in. Returns null for anyone the actor may not disable.
 */
export async function disableWithHandover(db: Database, actor: Actor, membershipId: string, colleagueId?: string) {
  return db.transaction(async (tx) => {
    const open = await openEpisodesOf(tx, actor.programId, membershipId);
    if (open.length > 0) {
      if (!colleagueId) throw new EpisodeRuleError("colleagueId", "validation.colleague.required");
      if (colleagueId === membershipId || !(await assignableTherapist(tx, actor.programId, colleagueId))) {
        throw new EpisodeRuleError("colleagueId", "validation.colleague.invalid");
      }
    }
    const account = await changeAccountStatus(tx, actor, membershipId, true);
    if (!account) return null;
    for (const episode of open) {
      await tx.update(episodes).set({ primaryTherapistId: colleagueId }).where(eq(episodes.id, episode.id));
      await recordAudit(tx, episodeEvent("episode.reassigned", actor, episode.id));
    }
    return { ...account, handedOver: open.length };
  });
}
