import { and, asc, eq, gt, inArray, isNull, lt, ne, sql } from "drizzle-orm";
import type { Database } from "#db/database";
import {
  calendarFeeds,
  circleLinks,
  episodes,
  familySessionInvitees,
  familySessions,
  memberships,
  people,
  programs,
} from "#db/schema";
import type { FamilySessionResponse, Role } from "~/vocabulary";
import type { SessionTime } from "~/forms/family-session";
import { recordAudit } from "~/models/audit.server";
import { FieldRuleError } from "~/models/rule-error";
import { clashesWithGroups } from "~/models/schedule.server";
import {
  liveSupportersOf,
  releaseFamilySessions,
  supporterAccesses,
  type CareTeamAccess,
  type Viewer,
  type SupporterAccess,
} from "~/models/access.server";
import type { Actor } from "~/models/circle-link.server";
import { recordEvents } from "~/models/events.server";
import { newId, randomToken, sha256Hex } from "~/utils/crypto.server";
import { instantAt, isoWeekday, minutesOfClockTime } from "~/utils/dates";

/**
 * Family sessions: a meeting the therapist proposes for one of their patients, to which they invite
 * supporters of that patient's circle. The patient and the therapist see everything about it; a
 * supporter sees a session only while the link they were invited through is live, and each showing
 * is written to the disclosure log by the access module. Every change raises `sequence`, which
 * calendars use to replace the event they hold.
 */

export class FamilySessionRuleError extends FieldRuleError {}

const minuteMs = 60_000;

/** When the session ends, in SQL: its start plus its length. */
const endsAtSql = sql`${familySessions.startsAt} + ${familySessions.durationMinutes} * ${minuteMs}`;

/** What a calendar, an e-mail or a page needs of a session: when, where, and whether it still holds. */
const sessionColumns = {
  id: familySessions.id,
  startsAt: familySessions.startsAt,
  durationMinutes: familySessions.durationMinutes,
  location: familySessions.location,
  videoUrl: familySessions.videoUrl,
  status: familySessions.status,
  sequence: familySessions.sequence,
  updatedAt: familySessions.updatedAt,
};

/**
 * The instant and length the form asked for, in the program's time zone, refused when it has passed
 * or when the patient already has a scheduled session overlapping it.
 */
async function placeInTime(db: Database, access: CareTeamAccess, time: SessionTime, now: Date, exceptSessionId?: string) {
  const startsAt = instantAt(access.timeZone, time.date, time.startTime);
  const durationMinutes = minutesOfClockTime(time.endTime) - minutesOfClockTime(time.startTime);
  if (startsAt.getTime() <= now.getTime()) throw new FamilySessionRuleError("date", "familySessions.validation.past");
  const slot = { weekday: isoWeekday(time.date), startTime: time.startTime, durationMinutes };
  if (await clashesWithGroups(db, access, slot)) {
    throw new FamilySessionRuleError("startTime", "familySessions.validation.groupOverlap");
  }
  const overlapping = await db
    .select({ id: familySessions.id })
    .from(familySessions)
    .where(
      and(
        eq(familySessions.programId, access.programId),
        eq(familySessions.patientId, access.patientId),
        eq(familySessions.status, "scheduled"),
        exceptSessionId ? ne(familySessions.id, exceptSessionId) : undefined,
        lt(familySessions.startsAt, new Date(startsAt.getTime() + durationMinutes * minuteMs)),
        sql`${endsAtSql} > ${startsAt.getTime()}`,
      ),
    )
    .get();
  if (overlapping) throw new FamilySessionRuleError("startTime", "familySessions.validation.overlap");
  return {
    startsAt,
    durationMinutes,
    location: time.location || null,
    videoUrl: time.videoUrl || null,
  };
}

function audit(db: Database, actor: Actor, action: Parameters<typeof recordAudit>[1]["action"], sessionId: string) {
  return recordAudit(db, {
    action,
    outcome: "success",
    programId: actor.programId,
    actorUserId: actor.id,
    targetType: "family_session",
    targetId: sessionId,
    ipAddress: actor.ipAddress,
  });
}

/** The patient and every invitee hear that their session was proposed, changed or cancelled. */
async function tellInStream(
  tx: Database,
  access: CareTeamAccess,
  sessionId: string,
  kind: "family_session_proposed" | "family_session_changed" | "family_session_cancelled",
  now: Date,
) {
  const invitees = await tx
    .select({ linkId: circleLinks.id, supporterId: circleLinks.supporterId })
    .from(familySessionInvitees)
    .innerJoin(circleLinks, eq(circleLinks.id, familySessionInvitees.linkId))
    .where(eq(familySessionInvitees.sessionId, sessionId));
  const about = { kind, programId: access.programId, patientId: access.patientId, subjectId: sessionId };
  await recordEvents(
    tx,
    [
      { ...about, recipientId: access.patientId },
      ...invitees.flatMap(({ linkId, supporterId }) => (supporterId ? [{ ...about, recipientId: supporterId, linkId }] : [])),
    ],
    now,
  );
}

/**
 * The therapist proposes a session for their patient and invites supporters whose link is active
 * and whose consent holds now (at most 20). Returns the new session's id.
 */
export async function proposeFamilySession(
  db: Database,
  access: CareTeamAccess,
  actor: Actor,
  input: SessionTime & { invitees: string[] },
  now = new Date(),
) {
  const invitees = [...new Set(input.invitees)];
  const live = new Set((await liveSupportersOf(db, access.patientId)).map((supporter) => supporter.linkId));
  if (invitees.some((linkId) => !live.has(linkId))) {
    throw new FamilySessionRuleError("invitees", "familySessions.validation.inviteeUnknown");
  }
  const placed = await placeInTime(db, access, input, now);
  const episode = await db
    .select({ id: episodes.id })
    .from(episodes)
    .where(and(eq(episodes.patientId, access.patientId), eq(episodes.programId, access.programId), isNull(episodes.endedAt)))
    .get();
  if (!episode) throw new Error("A care-team access without an open episode");
  const id = newId();
  await db.transaction(async (tx) => {
    await tx.insert(familySessions).values({
      id,
      programId: access.programId,
      patientId: access.patientId,
      episodeId: episode.id,
      proposedBy: actor.id,
      ...placed,
      createdAt: now,
      updatedAt: now,
    });
    await tx.insert(familySessionInvitees).values(invitees.map((linkId) => ({ sessionId: id, linkId })));
    await audit(tx, actor, "family_session.proposed", id);
    await tellInStream(tx, access, id, "family_session_proposed", now);
  });
  return id;
}

/** A session of the care team's patient, by id, or undefined (the route answers 404). */
export async function careTeamSession(db: Database, access: CareTeamAccess, sessionId: string) {
  return db
    .select(sessionColumns)
    .from(familySessions)
    .where(
      and(
        eq(familySessions.id, sessionId),
        eq(familySessions.programId, access.programId),
        eq(familySessions.patientId, access.patientId),
      ),
    )
    .get();
}

/**
 * Moves a scheduled session or changes its place. When the time changes, answers given for the old
 * time no longer hold and everyone is asked again; a new place alone keeps them. False when there is
 * no such scheduled session of this patient.
 */
export async function changeFamilySession(
  db: Database,
  access: CareTeamAccess,
  actor: Actor,
  sessionId: string,
  time: SessionTime,
  now = new Date(),
) {
  const session = await careTeamSession(db, access, sessionId);
  if (!session || session.status !== "scheduled") return false;
  const placed = await placeInTime(db, access, time, now, sessionId);
  const moved = placed.startsAt.getTime() !== session.startsAt.getTime() || placed.durationMinutes !== session.durationMinutes;
  await db.transaction(async (tx) => {
    await tx
      .update(familySessions)
      .set({ ...placed, sequence: sql`${familySessions.sequence} + 1`, updatedAt: now })
      .where(eq(familySessions.id, sessionId));
    if (moved) {
      await tx
        .update(familySessionInvitees)
        .set({ response: "invited", respondedAt: null })
        .where(eq(familySessionInvitees.sessionId, sessionId));
    }
    await audit(tx, actor, "family_session.changed", sessionId);
    await tellInStream(tx, access, sessionId, "family_session_changed", now);
  });
  return true;
}

/** Cancels a scheduled session (calendars keep it, marked cancelled). False when there is none to cancel. */
export async function cancelFamilySession(
  db: Database,
  access: CareTeamAccess,
  actor: Actor,
  sessionId: string,
  now = new Date(),
) {
  const session = await careTeamSession(db, access, sessionId);
  if (!session || session.status !== "scheduled") return false;
  await db.transaction(async (tx) => {
    await tx
      .update(familySessions)
      .set({ status: "cancelled", sequence: sql`${familySessions.sequence} + 1`, updatedAt: now })
      .where(eq(familySessions.id, sessionId));
    await audit(tx, actor, "family_session.cancelled", sessionId);
    await tellInStream(tx, access, sessionId, "family_session_cancelled", now);
  });
  return true;
}

/** Who is invited to these sessions and what each answered, by session. */
async function inviteesOf(db: Database, sessionIds: string[]) {
  if (sessionIds.length === 0) return new Map<string, { linkId: string; name: string; response: FamilySessionResponse }[]>();
  const rows = await db
    .select({
      sessionId: familySessionInvitees.sessionId,
      linkId: familySessionInvitees.linkId,
      name: circleLinks.invitedName,
      response: familySessionInvitees.response,
    })
    .from(familySessionInvitees)
    .innerJoin(circleLinks, eq(circleLinks.id, familySessionInvitees.linkId))
    .where(inArray(familySessionInvitees.sessionId, sessionIds))
    .orderBy(asc(circleLinks.invitedName));
  const bySession = new Map<string, { linkId: string; name: string; response: FamilySessionResponse }[]>();
  for (const { sessionId, ...invitee } of rows) bySession.set(sessionId, [...(bySession.get(sessionId) ?? []), invitee]);
  return bySession;
}

/** Sessions of one patient not yet over, soonest first, with who is invited and their answers. */
async function upcomingOfPatient(db: Database, programId: string, patientId: string, now: Date) {
  const sessions = await db
    .select(sessionColumns)
    .from(familySessions)
    .where(
      and(eq(familySessions.programId, programId), eq(familySessions.patientId, patientId), sql`${endsAtSql} > ${now.getTime()}`),
    )
    .orderBy(asc(familySessions.startsAt));
  const invitees = await inviteesOf(
    db,
    sessions.map((session) => session.id),
  );
  return sessions.map((session) => ({ ...session, invitees: invitees.get(session.id) ?? [] }));
}

/** The care team's view of the patient's coming sessions, and whom they could invite. */
export async function careTeamFamilySessions(db: Database, access: CareTeamAccess, now = new Date()) {
  return {
    sessions: await upcomingOfPatient(db, access.programId, access.patientId, now),
    supporters: (await liveSupportersOf(db, access.patientId)).map(({ linkId, supporterName }) => ({
      linkId,
      name: supporterName,
    })),
  };
}

/** The patient's own coming sessions and who is coming. */
export function patientFamilySessions(db: Database, patient: Viewer, now = new Date()) {
  return upcomingOfPatient(db, patient.programId, patient.id, now);
}

/**
 * The sessions a supporter is invited to through their live links, each released (and so logged)
 * under the access of its link. Nothing of the patient's treatment comes with them.
 */
export async function supporterFamilySessions(db: Database, viewer: Viewer, now = new Date()) {
  return familySessionsUnder(db, await supporterAccesses(db, viewer), now);
}

/** The coming sessions the supporter is invited to through these accesses (their own, or the patient's preview of them). */
export async function familySessionsUnder(db: Database, accesses: SupporterAccess[], now = new Date()) {
  if (accesses.length === 0) return [];
  const rows = await db
    .select({ ...sessionColumns, linkId: familySessionInvitees.linkId, response: familySessionInvitees.response })
    .from(familySessionInvitees)
    .innerJoin(familySessions, eq(familySessions.id, familySessionInvitees.sessionId))
    .where(
      and(
        inArray(
          familySessionInvitees.linkId,
          accesses.map((access) => access.linkId),
        ),
        eq(familySessions.programId, accesses[0]!.programId),
        sql`${endsAtSql} > ${now.getTime()}`,
      ),
    )
    .orderBy(asc(familySessions.startsAt));
  const names = new Map(accesses.map((access) => [access.linkId, access.patientName]));
  return releaseFamilySessions(
    db,
    accesses,
    rows.map((row) => ({ ...row, patientName: names.get(row.linkId)! })),
    (row) => ({ linkId: row.linkId, sessionId: row.id }),
  );
}

/** A supporter accepts or declines a scheduled session they are invited to; false when they may not. */
export async function answerFamilySession(
  db: Database,
  viewer: Viewer,
  actor: Actor,
  sessionId: string,
  answer: "accepted" | "declined",
  now = new Date(),
) {
  const linkIds = (await supporterAccesses(db, viewer)).map((access) => access.linkId);
  if (linkIds.length === 0) return false;
  const invitation = await db
    .select({ linkId: familySessionInvitees.linkId })
    .from(familySessionInvitees)
    .innerJoin(familySessions, eq(familySessions.id, familySessionInvitees.sessionId))
    .where(
      and(
        eq(familySessionInvitees.sessionId, sessionId),
        inArray(familySessionInvitees.linkId, linkIds),
        eq(familySessions.programId, viewer.programId),
        eq(familySessions.status, "scheduled"),
        gt(familySessions.startsAt, now),
      ),
    )
    .get();
  if (!invitation) return false;
  await db.transaction(async (tx) => {
    await tx
      .update(familySessionInvitees)
      .set({ response: answer, respondedAt: now })
      .where(and(eq(familySessionInvitees.sessionId, sessionId), eq(familySessionInvitees.linkId, invitation.linkId)));
    await audit(tx, actor, "family_session.answered", sessionId);
  });
  return true;
}

/** Whoever may have a session in their calendar: the acting membership with its role. */
export type CalendarMember = Viewer & { role: Role };

/**
 * The sessions in a person's calendar (one of them with `sessionId`): the therapist's for the patients
 * whose episode they lead, the patient's own, and a supporter's through their live links (released,
 * and so logged). Null when a supporter no longer holds any live link: their calendar is gone.
 */
export async function calendarSessions(db: Database, member: CalendarMember, sessionId?: string) {
  const one = sessionId ? eq(familySessions.id, sessionId) : undefined;
  const inProgram = eq(familySessions.programId, member.programId);
  if (member.role === "therapist") {
    return db
      .select(sessionColumns)
      .from(familySessions)
      .innerJoin(episodes, eq(episodes.id, familySessions.episodeId))
      .where(and(inProgram, eq(episodes.primaryTherapistId, member.id), one))
      .orderBy(asc(familySessions.startsAt));
  }
  if (member.role === "patient") {
    return db
      .select(sessionColumns)
      .from(familySessions)
      .where(and(inProgram, eq(familySessions.patientId, member.id), one))
      .orderBy(asc(familySessions.startsAt));
  }
  if (member.role !== "supporter") return [];
  const accesses = await supporterAccesses(db, member);
  if (accesses.length === 0) return null;
  const rows = await db
    .select({ ...sessionColumns, linkId: familySessionInvitees.linkId })
    .from(familySessionInvitees)
    .innerJoin(familySessions, eq(familySessions.id, familySessionInvitees.sessionId))
    .where(
      and(
        inArray(
          familySessionInvitees.linkId,
          accesses.map((access) => access.linkId),
        ),
        inProgram,
        one,
      ),
    )
    .orderBy(asc(familySessions.startsAt));
  return releaseFamilySessions(db, accesses, rows, (row) => ({ linkId: row.linkId, sessionId: row.id }));
}

/** A family session as its e-mail tells of it (when, how long, where), with its program's time zone. */
export async function familySessionForMail(db: Database, sessionId: string) {
  return db
    .select({ ...sessionColumns, timeZone: programs.timeZone })
    .from(familySessions)
    .innerJoin(programs, eq(programs.id, familySessions.programId))
    .where(eq(familySessions.id, sessionId))
    .get();
}

/**
 * A new secret feed address for the membership, replacing any it had (the old one dies at once).
 * Only the token's hash is kept; the token is shown once, in the address.
 */
export async function replaceCalendarFeed(db: Database, member: Actor, now = new Date()) {
  const token = randomToken();
  await db.transaction(async (tx) => {
    await tx
      .update(calendarFeeds)
      .set({ revokedAt: now })
      .where(and(eq(calendarFeeds.membershipId, member.id), isNull(calendarFeeds.revokedAt)));
    await tx
      .insert(calendarFeeds)
      .values({ id: newId(), programId: member.programId, membershipId: member.id, tokenHash: sha256Hex(token), createdAt: now });
    await recordAudit(tx, {
      action: "calendar_feed.created",
      outcome: "success",
      programId: member.programId,
      actorUserId: member.id,
      ipAddress: member.ipAddress,
    });
  });
  return token;
}

export async function revokeCalendarFeed(db: Database, member: Actor, now = new Date()) {
  await db.transaction(async (tx) => {
    await tx
      .update(calendarFeeds)
      .set({ revokedAt: now })
      .where(and(eq(calendarFeeds.membershipId, member.id), isNull(calendarFeeds.revokedAt)));
    await recordAudit(tx, {
      action: "calendar_feed.revoked",
      outcome: "success",
      programId: member.programId,
      actorUserId: member.id,
      ipAddress: member.ipAddress,
    });
  });
}

/** Whether the membership has a feed address that works (its token itself is never kept). */
export async function hasCalendarFeed(db: Database, membershipId: string) {
  const feed = await db
    .select({ id: calendarFeeds.id })
    .from(calendarFeeds)
    .where(and(eq(calendarFeeds.membershipId, membershipId), isNull(calendarFeeds.revokedAt)))
    .get();
  return Boolean(feed);
}

/**
 * The calendar behind a feed token: its owner's sessions in their program's time zone, each fetch
 * written to the audit trail. Undefined for an unknown, revoked or replaced token, a membership
 * no longer active, or a supporter without a live link.
 */
export async function calendarFeed(db: Database, token: string, ipAddress: string | null) {
  const owner = await db
    .select({
      id: memberships.id,
      programId: memberships.programId,
      role: memberships.role,
      status: memberships.status,
      timeZone: programs.timeZone,
      discreet: people.discreet,
    })
    .from(calendarFeeds)
    .innerJoin(memberships, eq(memberships.id, calendarFeeds.membershipId))
    .innerJoin(people, eq(people.id, memberships.personId))
    .innerJoin(programs, eq(programs.id, memberships.programId))
    .where(and(eq(calendarFeeds.tokenHash, sha256Hex(token)), isNull(calendarFeeds.revokedAt)))
    .get();
  if (!owner || owner.status !== "active") return undefined;
  const sessions = await calendarSessions(db, owner);
  if (!sessions) return undefined;
  await recordAudit(db, {
    action: "calendar_feed.fetched",
    outcome: "success",
    programId: owner.programId,
    actorUserId: owner.id,
    ipAddress,
  });
  return { timeZone: owner.timeZone, sessions, discreet: owner.discreet };
}
