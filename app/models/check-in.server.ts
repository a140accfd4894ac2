import { and, desc, eq, gte, inArray, isNull, lt, max, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Database } from "#db/database";
import { checkInAudience, checkInReplies, checkIns, circleLinks, episodes, events, memberships } from "#db/schema";
import { type CheckInKind, type ReplyPreset } from "~/vocabulary";

import { release, supportersWhoMaySee, type Capability, type CareTeamAccess } from "~/models/access.server";
import { recordEvents } from "~/models/events.server";
import { newId } from "~/utils/crypto.server";
import { earlierCheckInsLimit } from "~/forms/limits";

export const checkInPageSize = 20;

/** What the patient writes. Every field is optional, but a check-in says at least something. */
export type CheckInInput = {
  kind: CheckInKind;
  mood: number | null;
  craving: number | null;
  wins: string | null;
  hard: string | null;
  helpRequest: string | null;
  /** Links of supporters to share with: each must hold a live consent that includes `progress`. */
  audience: string[];
  sharedWithCareTeam: boolean;
};

export class CheckInRuleError extends Error {
  constructor(
    readonly field: string,
    readonly messageKey: string,
  ) {
    super(messageKey);
  }
}

export type Cursor = { at: number; id: string };

type Patient = { id: string; programId: string };

/** The supporters a patient may share a check-in with right now. */
export async function shareableAudience(db: Database, patientId: string) {
  return (await supportersWhoMaySee(db, patientId, "progress")).map((supporter) => ({
    linkId: supporter.linkId,
    name: supporter.supporterName,
  }));
}

/** The supporters behind the chosen links, each of whom must still be one the patient may share with. */
async function checkAudience(db: Database, patientId: string, audience: string[]) {
  const allowed = new Map(
    (await supportersWhoMaySee(db, patientId, "progress")).map((supporter) => [supporter.linkId, supporter]),
  );
  return [...new Set(audience)].map((linkId) => {
    const supporter = allowed.get(linkId);
    if (!supporter) throw new CheckInRuleError("audience", "checkIn.audience.outside");
    return supporter;
  });
}

type AudienceMember = Awaited<ReturnType<typeof checkAudience>>[number];

/** Shares the check-in with these supporters; each hears of it the first time it is shared with them. */
async function writeAudience(tx: Database, patient: Patient, checkInId: string, audience: AudienceMember[], createdAt: Date) {
  if (audience.length === 0) return;
  await tx.insert(checkInAudience).values(audience.map(({ linkId }) => ({ checkInId, linkId, createdAt })));
  const told = new Set(
    (
      await tx
        .select({ linkId: events.linkId })
        .from(events)
        .where(and(eq(events.subjectId, checkInId), eq(events.kind, "check_in_shared")))
    ).map((row) => row.linkId),
  );
  await recordEvents(
    tx,
    audience
      .filter((supporter) => !told.has(supporter.linkId))
      .map((supporter) => ({
        recipientId: supporter.supporterId,
        kind: "check_in_shared" as const,
        programId: patient.programId,
        patientId: patient.id,
        linkId: supporter.linkId,
        subjectId: checkInId,
      })),
  );
}

export async function createCheckIn(db: Database, patient: Patient, input: CheckInInput) {
  const id = newId();
  const now = new Date();
  // The audience is checked in the transaction that writes it: a consent revoked meanwhile cannot slip in.
  await db.transaction(async (tx) => {
    const audience = await checkAudience(tx, patient.id, input.audience);
    const { audience: _chosen, ...fields } = input;
    await tx
      .insert(checkIns)
      .values({ ...fields, id, programId: patient.programId, patientId: patient.id, createdAt: now, updatedAt: now });
    await writeAudience(tx, patient, id, audience, now);
  });
  return id;
}

/**
 * Changes the patient's own check-in and who sees it. Someone taken off the audience stops seeing
 * it on their next request; someone added sees it in its place in time. Returns false if it is not theirs.
 */
export async function updateCheckIn(db: Database, patient: Patient, checkInId: string, input: CheckInInput) {
  return db.transaction(async (tx) => {
    const audience = await checkAudience(tx, patient.id, input.audience);
    const { audience: _chosen, ...fields } = input;
    const [updated] = await tx
      .update(checkIns)
      .set({ ...fields, updatedAt: new Date() })
      .where(and(eq(checkIns.id, checkInId), eq(checkIns.patientId, patient.id)))
      .returning({ createdAt: checkIns.createdAt });
    if (!updated) return false;
    await tx.delete(checkInAudience).where(eq(checkInAudience.checkInId, checkInId));
    await writeAudience(tx, patient, checkInId, audience, updated.createdAt);
    return true;
  });
}

/** Deletes the patient's own check-in, with its audience and replies. Returns false if it is not theirs. */
export async function deleteCheckIn(db: Database, patient: Patient, checkInId: string) {
  return (
    (
      await db
        .delete(checkIns)
        .where(and(eq(checkIns.id, checkInId), eq(checkIns.patientId, patient.id)))
        .returning({ id: checkIns.id })
    ).length === 1
  );
}

/** What a reader of a check-in sees of it (never who else it is shared with). */
const checkInContent = {
  id: checkIns.id,
  kind: checkIns.kind,
  mood: checkIns.mood,
  craving: checkIns.craving,
  wins: checkIns.wins,
  hard: checkIns.hard,
  helpRequest: checkIns.helpRequest,
};

/**
 * The patient's check-ins a supporter may be added to afterwards: shared with someone already (one shared
 * with nobody stays private) and not yet with this link.
 */
function offeredTo(patientId: string, linkId: string) {
  return and(
    eq(checkIns.patientId, patientId),
    // Spelled out: the outer table is unaliased, so `check_ins.id` names the row being filtered.
    or(eq(checkIns.sharedWithCareTeam, true), sql`exists (select 1 from check_in_audience a where a.check_in_id = check_ins.id)`),
    sql`not exists (select 1 from check_in_audience a where a.check_in_id = check_ins.id and a.link_id = ${linkId})`,
  );
}

async function progressSupporter(db: Database, patientId: string, linkId: string) {
  return (await supportersWhoMaySee(db, patientId, "progress")).find((supporter) => supporter.linkId === linkId);
}

/**
 * The earlier check-ins the patient may now share with the supporter of this link, newest first, or
 * undefined while that supporter may not see check-ins (not approved, consent without `progress`, ended).
 */
export async function earlierCheckInsFor(db: Database, patient: Patient, linkId: string) {
  const supporter = await progressSupporter(db, patient.id, linkId);
  if (!supporter) return undefined;
  const entries = await db
    .select({ ...checkInContent, createdAt: checkIns.createdAt })
    .from(checkIns)
    .where(offeredTo(patient.id, linkId))
    .orderBy(desc(checkIns.createdAt), desc(checkIns.id))
    .limit(earlierCheckInsLimit)
    .all();
  return { supporterName: supporter.supporterName, entries };
}

/**
 * Adds the supporter to the audience of the picked check-ins, each in its place in time; picks that are
 * not the patient's, are private or are shared with them already change nothing. Returns how many were
 * shared, or undefined while the supporter may not see check-ins.
 */
export async function shareEarlierCheckIns(db: Database, patient: Patient, linkId: string, checkInIds: string[]) {
  return db.transaction(async (tx) => {
    const supporter = await progressSupporter(tx, patient.id, linkId);
    if (!supporter) return undefined;
    const picked = await tx
      .select({ id: checkIns.id, createdAt: checkIns.createdAt })
      .from(checkIns)
      .where(and(inArray(checkIns.id, [...new Set(checkInIds)]), offeredTo(patient.id, linkId)))
      .all();
    for (const checkIn of picked) await writeAudience(tx, patient, checkIn.id, [supporter], checkIn.createdAt);
    return picked.length;
  });
}

export async function findOwnCheckIn(db: Database, patientId: string, checkInId: string) {
  const checkIn = await db
    .select()
    .from(checkIns)
    .where(and(eq(checkIns.id, checkInId), eq(checkIns.patientId, patientId)))
    .get();
  if (!checkIn) return undefined;
  const audience = (
    await db.select({ linkId: checkInAudience.linkId }).from(checkInAudience).where(eq(checkInAudience.checkInId, checkInId))
  ).map((row) => row.linkId);
  return { ...checkIn, audience };
}

function before(
  cursor: Cursor | undefined,
  at: typeof checkIns.createdAt | typeof checkInAudience.createdAt,
  id: typeof checkIns.id | typeof checkInAudience.checkInId,
) {
  if (!cursor) return undefined;
  return or(lt(at, new Date(cursor.at)), and(eq(at, new Date(cursor.at)), lt(id, cursor.id)));
}

function page<Row extends { createdAt: Date; id: string }>(rows: Row[]) {
  const entries = rows.slice(0, checkInPageSize);
  const last = entries.at(-1);
  return { entries, next: rows.length > checkInPageSize && last ? { at: last.createdAt.getTime(), id: last.id } : null };
}

const replier = alias(memberships, "replier");

async function repliesTo(db: Database, checkInIds: string[], supporterId?: string) {
  if (checkInIds.length === 0) return [];
  return db
    .select({
      id: checkInReplies.id,
      checkInId: checkInReplies.checkInId,
      preset: checkInReplies.preset,
      message: checkInReplies.message,
      createdAt: checkInReplies.createdAt,
      supporterName: replier.name,
    })
    .from(checkInReplies)
    .innerJoin(replier, eq(replier.id, checkInReplies.supporterId))
    .where(
      and(inArray(checkInReplies.checkInId, checkInIds), supporterId ? eq(checkInReplies.supporterId, supporterId) : undefined),
    )
    .orderBy(checkInReplies.createdAt)
    .all();
}

/** The patient's own check-ins, newest first, with who each is shared with and every reply. */
export async function patientCheckIns(db: Database, patientId: string, cursor?: Cursor) {
  const { entries, next } = page(
    await db
      .select()
      .from(checkIns)
      .where(and(eq(checkIns.patientId, patientId), before(cursor, checkIns.createdAt, checkIns.id)))
      .orderBy(desc(checkIns.createdAt), desc(checkIns.id))
      .limit(checkInPageSize + 1)
      .all(),
  );
  const ids = entries.map((entry) => entry.id);
  const audience =
    ids.length === 0
      ? []
      : await db
          .select({ checkInId: checkInAudience.checkInId, name: circleLinks.invitedName })
          .from(checkInAudience)
          .innerJoin(circleLinks, eq(circleLinks.id, checkInAudience.linkId))
          .where(inArray(checkInAudience.checkInId, ids))
          .all();
  const replies = await repliesTo(db, ids);
  return {
    entries: entries.map((entry) => ({
      ...entry,
      audience: audience.filter((row) => row.checkInId === entry.id).map((row) => row.name),
      replies: replies.filter((reply) => reply.checkInId === entry.id),
    })),
    next,
  };
}

const author = alias(memberships, "author");

/**
 * What the patient shared with this supporter under each `progress` capability, newest first across
 * patients: only check-ins whose audience names the capability's link. Every entry is released
 * (written to the disclosure log) as it is returned.
 */
export async function supporterFeed(db: Database, capabilities: Capability<"progress">[], cursor?: Cursor) {
  if (capabilities.length === 0) return { entries: [], next: null };
  const { entries, next } = page(
    await db
      .select({
        ...checkInContent,
        linkId: checkInAudience.linkId,
        createdAt: checkInAudience.createdAt,
        patientName: author.name,
      })
      .from(checkInAudience)
      .innerJoin(checkIns, eq(checkIns.id, checkInAudience.checkInId))
      .innerJoin(author, eq(author.id, checkIns.patientId))
      .where(
        and(
          inArray(
            checkInAudience.linkId,
            capabilities.map((capability) => capability.access.linkId),
          ),
          before(cursor, checkInAudience.createdAt, checkInAudience.checkInId),
        ),
      )
      .orderBy(desc(checkInAudience.createdAt), desc(checkInAudience.checkInId))
      .limit(checkInPageSize + 1)
      .all(),
  );
  await release(db, capabilities, entries, (entry) => ({ linkId: entry.linkId, type: entry.kind, id: entry.id }));
  const replies = await repliesTo(
    db,
    entries.map((entry) => entry.id),
    capabilities[0]!.access.supporterId,
  );
  return {
    entries: entries.map((entry) => ({ ...entry, replies: replies.filter((reply) => reply.checkInId === entry.id) })),
    next,
  };
}

/** The capability under which this check-in was shared with the supporter, or undefined. */
async function capabilityForCheckIn(db: Database, capabilities: Capability<"progress">[], checkInId: string) {
  if (capabilities.length === 0) return undefined;
  const row = await db
    .select({ linkId: checkInAudience.linkId })
    .from(checkInAudience)
    .where(
      and(
        eq(checkInAudience.checkInId, checkInId),
        inArray(
          checkInAudience.linkId,
          capabilities.map((capability) => capability.access.linkId),
        ),
      ),
    )
    .get();
  return row ? capabilities.find((capability) => capability.access.linkId === row.linkId) : undefined;
}

export type ReplyInput = { preset: ReplyPreset; message: null } | { preset: null; message: string };

/** A supporter's encouragement on a check-in shared with them; false if they cannot see it. */
export async function replyToCheckIn(db: Database, capabilities: Capability<"progress">[], checkInId: string, reply: ReplyInput) {
  // Checked in the transaction that writes the reply, so the check-in cannot leave their audience in between.
  return db.transaction(async (tx) => {
    const capability = await capabilityForCheckIn(tx, capabilities, checkInId);
    if (!capability) return false;
    const { access } = capability;
    await tx.insert(checkInReplies).values({
      id: newId(),
      checkInId,
      linkId: access.linkId,
      supporterId: access.supporterId,
      ...reply,
      createdAt: new Date(),
    });
    await recordEvents(tx, [
      {
        recipientId: access.patientId,
        kind: "check_in_replied",
        programId: access.programId,
        patientId: access.patientId,
        linkId: access.linkId,
        subjectId: checkInId,
      },
    ]);
    return true;
  });
}

const patientUser = alias(memberships, "patient_user");

/**
 * Check-ins the therapist's current patients shared with the care team, newest first. Read from the
 * program's newest shared check-ins down (an index range), keeping the therapist's patients, so that
 * the first page costs the same after years of check-ins.
 */
export async function careTeamCheckIns(db: Database, therapist: { id: string; programId: string }, cursor?: Cursor) {
  const caseload = db
    .select({ patientId: episodes.patientId })
    .from(episodes)
    .where(and(eq(episodes.primaryTherapistId, therapist.id), isNull(episodes.endedAt)));
  return page(
    await db
      .select({
        ...checkInContent,
        patientId: checkIns.patientId,
        patientName: patientUser.name,
        createdAt: checkIns.createdAt,
      })
      .from(checkIns)
      .innerJoin(patientUser, eq(patientUser.id, checkIns.patientId))
      .where(
        and(
          eq(checkIns.programId, therapist.programId),
          eq(checkIns.sharedWithCareTeam, true),
          inArray(checkIns.patientId, caseload),
          before(cursor, checkIns.createdAt, checkIns.id),
        ),
      )
      .orderBy(desc(checkIns.createdAt), desc(checkIns.id))
      .limit(checkInPageSize + 1)
      .all(),
  );
}

/** The last check-in each of the therapist's current patients shared with the care team since `since`. */
export async function lastSharedCheckIns(db: Database, therapistId: string, since: Date) {
  return db
    .select({ patientId: checkIns.patientId, last: max(checkIns.createdAt) })
    .from(episodes)
    .innerJoin(
      checkIns,
      and(eq(checkIns.patientId, episodes.patientId), eq(checkIns.sharedWithCareTeam, true), gte(checkIns.createdAt, since)),
    )
    .where(and(eq(episodes.primaryTherapistId, therapistId), isNull(episodes.endedAt)))
    .groupBy(checkIns.patientId)
    .all();
}

const trendFields = { createdAt: checkIns.createdAt, mood: checkIns.mood, craving: checkIns.craving };

/** The patient's own mood and craving since `since`. */
export async function ownTrendEntries(db: Database, patientId: string, since: Date) {
  return db
    .select(trendFields)
    .from(checkIns)
    .where(and(eq(checkIns.patientId, patientId), gte(checkIns.createdAt, since)))
    .all();
}

/** Mood and craving the patient shared with the care team since `since`. */
export async function careTeamTrendEntries(db: Database, access: CareTeamAccess, since: Date) {
  return db
    .select(trendFields)
    .from(checkIns)
    .where(and(eq(checkIns.patientId, access.patientId), eq(checkIns.sharedWithCareTeam, true), gte(checkIns.createdAt, since)))
    .all();
}

/**
 * Mood and craving from the check-ins shared with this very link since `since`; the trend drawn
 * from them is released as one item.
 */
export async function sharedTrendEntries(db: Database, capability: Capability<"progress">, since: Date) {
  const entries = await db
    .select(trendFields)
    .from(checkInAudience)
    .innerJoin(checkIns, eq(checkIns.id, checkInAudience.checkInId))
    .where(
      and(
        eq(checkInAudience.linkId, capability.access.linkId),
        gte(checkInAudience.createdAt, since),
        eq(checkIns.patientId, capability.access.patientId),
        gte(checkIns.createdAt, since),
      ),
    )
    .all();
  const { linkId, patientId } = capability.access;
  if (entries.length > 0) await release(db, [capability], [{ linkId, type: "trend" as const, id: patientId }], (item) => item);
  return entries;
}
