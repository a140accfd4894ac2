import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, asc, eq, inArray, isNull, lte, sql, type SQL } from "drizzle-orm";
import type { Database } from "#db/database";
import { digests, events, memberships, notificationPreferences, people, programs, signingKeys } from "#db/schema";
import { env } from "~/env.server";
import type { Translate } from "~/i18n/i18n";
import { deliverDueMail, sendFamilySessionMail, sendMail, type FamilySessionNews } from "~/mail.server";
import { recordAudit } from "~/models/audit.server";
import { releaseNews, supporterAccesses, type SupporterAccess } from "~/models/access.server";
import { familySessionForMail } from "~/models/family-sessions.server";
import { categoryOfKind, visibleToSupporter } from "~/models/news.server";
import { calendarDateIn, clockTimeIn, minutesOfClockTime } from "~/utils/dates";
import { newId } from "~/utils/crypto.server";
import { eventKindsFor, type Delivery, type EventKind, type EventNotice, type Role } from "~/vocabulary";

/**
 * E-mail about the stream of events (decision 023). Each person chooses, per kind of event, to hear of
 * it at once, in a daily digest, or not at all, and when their quiet hours are; the role decides what
 * they have not chosen. The notifier reads events nobody has looked at yet, decides each one once, and
 * writes the mail to the outbox; the digest job gathers the rest once a day. A supporter hears only of
 * what their consent covers when the mail is made, and that telling is logged as a disclosure.
 * Mail about events names nobody and quotes nothing: it says what kind of thing happened.
 */

export type NotifiedRole = keyof typeof eventKindsFor;

export function isNotifiedRole(role: Role): role is NotifiedRole {
  return role in eventKindsFor;
}

/** What a role hears of each kind until the person chooses: what needs them at once, the rest once a day. */
const roleDefaults: Record<NotifiedRole, Partial<Record<EventKind, Delivery>>> = {
  patient: {
    supporter_accepted: "immediate",
    supporter_approved: "immediate",
    supporter_refused: "immediate",
    supporter_left: "immediate",
    supporter_link_ended: "immediate",
    check_in_replied: "digest",
    module_finished: "digest",
    family_session_proposed: "immediate",
    family_session_changed: "immediate",
    family_session_cancelled: "immediate",
  },
  supporter: {
    circle_approved: "immediate",
    circle_ended: "immediate",
    check_in_shared: "digest",
    module_assigned: "digest",
    family_session_proposed: "immediate",
    family_session_changed: "immediate",
    family_session_cancelled: "immediate",
  },
};

export function defaultDelivery(role: Role, kind: EventKind): Delivery {
  return (isNotifiedRole(role) && roleDefaults[role][kind]) || "off";
}

/** Quiet hours as the person set them, and the time zone they are read in. */
export type QuietHours = { on: boolean; from: string; until: string; timeZone: string };

/** The hours shown when quiet hours are off, for a person to turn them on with. */
const suggestedQuietHours = { from: "21:00", until: "08:00" };

/** A person's stored quiet hours ("HH:MM-HH:MM", "off", or null for the configured default), read. */
export function readQuietHours(stored: string | null): Omit<QuietHours, "timeZone"> {
  const value = stored ?? env().DEFAULT_QUIET_HOURS;
  if (value === "off") return { on: false, ...suggestedQuietHours };
  const [from, until] = value.split("-") as [string, string];
  return { on: true, from, until };
}

export function inQuietHours(quiet: QuietHours, at: Date) {
  if (!quiet.on || quiet.from === quiet.until) return false;
  const now = minutesOfClockTime(clockTimeIn(quiet.timeZone, at));
  const from = minutesOfClockTime(quiet.from);
  const until = minutesOfClockTime(quiet.until);
  return from < until ? now >= from && now < until : now >= from || now < until;
}

/** When quiet hours that hold `at` end (the first minute the clock shows `until`), else `at` itself. */
export function quietHoursEnd(quiet: QuietHours, at: Date) {
  if (!inQuietHours(quiet, at)) return at;
  const now = minutesOfClockTime(clockTimeIn(quiet.timeZone, at));
  const wait = (minutesOfClockTime(quiet.until) - now + 24 * 60) % (24 * 60);
  const end = new Date(Math.floor(at.getTime() / 60_000) * 60_000 + wait * 60_000);
  // A daylight-saving change in between moves the wall clock by its offset: move back with it.
  const drift = minutesOfClockTime(clockTimeIn(quiet.timeZone, end)) - minutesOfClockTime(quiet.until);
  return new Date(end.getTime() - drift * 60_000);
}

// ---------------------------------------------------------------------------------------------------
// Settings

/** The settings page: each kind the role hears of with how, and the person's quiet hours. */
export async function notificationSettings(
  db: Database,
  member: { id: string; role: Role; programId: string; personId: string },
) {
  const deliveryOf = await chosenDeliveries(db, member.id, member.role);
  const person = (await db
    .select({
      quietHours: people.quietHours,
      timeZone: people.timeZone,
      programTimeZone: programs.timeZone,
    })
    .from(people)
    .innerJoin(memberships, eq(memberships.personId, people.id))
    .innerJoin(programs, eq(programs.id, memberships.programId))
    .where(and(eq(people.id, member.personId), eq(memberships.id, member.id)))
    .get())!;
  const kinds = isNotifiedRole(member.role) ? eventKindsFor[member.role] : [];
  return {
    kinds: kinds.map((kind) => ({ kind, delivery: deliveryOf(kind) })),
    quiet: readQuietHours(person.quietHours),
    timeZone: person.timeZone,
    programTimeZone: person.programTimeZone,
  };
}

/** How the membership hears of each kind: as it chose, else as its role does by default. */
async function chosenDeliveries(db: Database, membershipId: string, role: Role) {
  const chosen = new Map(
    (
      await db
        .select({ kind: notificationPreferences.kind, delivery: notificationPreferences.delivery })
        .from(notificationPreferences)
        .where(eq(notificationPreferences.membershipId, membershipId))
    ).map((row) => [row.kind, row.delivery]),
  );
  return (kind: EventKind): Delivery => chosen.get(kind) ?? defaultDelivery(role, kind);
}

export type NotificationSettingsInput = {
  deliveries: Partial<Record<EventKind, Delivery>>;
  /** Null: no quiet hours. */
  quietHours: { from: string; until: string } | null;
  /** null: the program's. */
  timeZone: string | null;
};

async function setDeliveries(tx: Database, membershipId: string, deliveries: Partial<Record<EventKind, Delivery>>) {
  const rows = Object.entries(deliveries).map(([kind, delivery]) => ({ membershipId, kind: kind as EventKind, delivery }));
  if (rows.length === 0) return;
  await tx
    .insert(notificationPreferences)
    .values(rows)
    .onConflictDoUpdate({
      target: [notificationPreferences.membershipId, notificationPreferences.kind],
      set: { delivery: sql`excluded.delivery` },
    });
}

/** Saves the acting membership's choices (only kinds its role hears of) and the person's quiet hours. */
export async function saveNotificationSettings(
  db: Database,
  actor: { id: string; role: Role; programId: string; personId: string },
  input: NotificationSettingsInput,
  ipAddress: string | null,
) {
  const allowed: readonly EventKind[] = isNotifiedRole(actor.role) ? eventKindsFor[actor.role] : [];
  const deliveries = Object.fromEntries(Object.entries(input.deliveries).filter(([kind]) => allowed.includes(kind as EventKind)));
  await db.transaction(async (tx) => {
    await setDeliveries(tx, actor.id, deliveries);
    await tx
      .update(people)
      .set({
        quietHours: input.quietHours ? `${input.quietHours.from}-${input.quietHours.until}` : "off",
        timeZone: input.timeZone,
        updatedAt: new Date(),
      })
      .where(eq(people.id, actor.personId));
    await recordAudit(tx, {
      action: "account.notifications_changed",
      outcome: "success",
      programId: actor.programId,
      actorUserId: actor.id,
      targetType: "user",
      targetId: actor.id,
      ipAddress,
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// One-click unsubscribe (RFC 8058): a signed, expiring token naming one membership and one kind

/** What an unsubscribe link turns off: one kind of event, or the digest (every kind it carries). */
export type UnsubscribeTopic = EventKind | "digest";

const unsubscribeLifetimeMs = 60 * 24 * 60 * 60 * 1000;

async function unsubscribeKey(db: Database) {
  await db
    .insert(signingKeys)
    .values({ name: "unsubscribe", secret: randomBytes(32).toString("base64url") })
    .onConflictDoNothing();
  return (await db.select().from(signingKeys).where(eq(signingKeys.name, "unsubscribe")).get())!.secret;
}

const sign = (key: string, payload: string) => createHmac("sha256", key).update(payload).digest("base64url");

export async function unsubscribeToken(db: Database, membershipId: string, topic: UnsubscribeTopic, now = new Date()) {
  const payload = Buffer.from(
    JSON.stringify({ m: membershipId, t: topic, e: Math.floor((now.getTime() + unsubscribeLifetimeMs) / 1000) }),
  ).toString("base64url");
  return `${payload}.${sign(await unsubscribeKey(db), payload)}`;
}

export async function unsubscribeUrl(db: Database, membershipId: string, topic: UnsubscribeTopic, now = new Date()) {
  return `${env().appUrl}/unsubscribe?token=${await unsubscribeToken(db, membershipId, topic, now)}`;
}

/** The membership and topic of a genuine token, or why not: forged or garbled (`invalid`), or too old (`expired`). */
export async function readUnsubscribeToken(
  db: Database,
  token: string,
  now = new Date(),
): Promise<{ ok: true; membershipId: string; topic: UnsubscribeTopic } | { ok: false; reason: "invalid" | "expired" }> {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: "invalid" };
  const expected = Buffer.from(sign(await unsubscribeKey(db), payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "invalid" };
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { m: string; t: UnsubscribeTopic; e: number };
  if (claims.e * 1000 < now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, membershipId: claims.m, topic: claims.t };
}

/**
 * Turns off what the link names, and nothing else: one kind, or (from a digest) every kind the
 * digest carries for that membership. Returns the kinds turned off.
 */
export async function unsubscribe(db: Database, membershipId: string, topic: UnsubscribeTopic) {
  const member = await db
    .select({ id: memberships.id, role: memberships.role, programId: memberships.programId })
    .from(memberships)
    .where(eq(memberships.id, membershipId))
    .get();
  if (!member || !isNotifiedRole(member.role)) return [];
  const deliveryOf = await chosenDeliveries(db, member.id, member.role);
  const kinds = eventKindsFor[member.role].filter((kind) =>
    topic === "digest" ? deliveryOf(kind) === "digest" : kind === topic,
  );
  await db.transaction(async (tx) => {
    await setDeliveries(tx, member.id, Object.fromEntries(kinds.map((kind) => [kind, "off" as const])));
    await recordAudit(tx, {
      action: "account.unsubscribed",
      outcome: "success",
      programId: member.programId,
      actorUserId: member.id,
      targetType: "user",
      targetId: member.id,
      ipAddress: null,
    });
  });
  return kinds;
}

// ---------------------------------------------------------------------------------------------------
// The notifier: each event decided once

/** Everything the notifier needs to know of an event's recipient. */
const recipientColumns = {
  membershipId: memberships.id,
  role: memberships.role,
  status: memberships.status,
  name: memberships.name,
  programId: memberships.programId,
  personId: people.id,
  email: people.email,
  quietHours: people.quietHours,
  timeZone: sql<string>`coalesce(${people.timeZone}, ${programs.timeZone})`,
};

type Recipient = {
  membershipId: string;
  role: Role;
  status: string;
  name: string;
  programId: string;
  personId: string;
  email: string;
  quietHours: string | null;
  timeZone: string;
};

const quietOf = (recipient: Recipient): QuietHours => ({ ...readQuietHours(recipient.quietHours), timeZone: recipient.timeZone });

type StreamEvent = { id: string; kind: EventKind; linkId: string | null; subjectId: string | null };

/**
 * Of these events of one supporter, the ones their consent covers now, and how to log the telling of
 * them as disclosed through the access module (telling of a shared check-in or an asked module tells
 * that it exists), once they are told.
 */
async function supporterView(db: Database, supporter: Recipient, rows: StreamEvent[]) {
  const accesses: SupporterAccess[] =
    rows.length === 0 ? [] : await supporterAccesses(db, { id: supporter.membershipId, programId: supporter.programId });
  const visible =
    rows.length === 0
      ? new Set<string>()
      : new Set(
          (
            await db
              .select({ id: events.id })
              .from(events)
              .where(
                and(
                  inArray(
                    events.id,
                    rows.map((row) => row.id),
                  ),
                  visibleToSupporter(accesses),
                ),
              )
          ).map((row) => row.id),
        );
  return {
    visible: (row: StreamEvent) => visible.has(row.id),
    release: (told: StreamEvent[]) =>
      releaseNews(
        db,
        accesses,
        told.filter((row) => row.kind !== "circle_ended"),
        (row) => ({ linkId: row.linkId!, category: categoryOfKind[row.kind] ?? null, eventId: row.id }),
      ),
  };
}

const familySessionNews: Partial<Record<EventKind, FamilySessionNews>> = {
  family_session_proposed: "invited",
  family_session_changed: "changed",
  family_session_cancelled: "cancelled",
};

/** The two lines at the foot of every mail about events: stop this, or choose. */
function footer(t: Translate, unsubscribe: string) {
  return t("mail.notice.footer", { unsubscribe, settings: `${env().appUrl}/account/notifications` });
}

/** Sends (or queues until quiet hours end) the one mail that tells of one event at once. */
async function mailAtOnce(db: Database, recipient: Recipient, event: StreamEvent, now: Date) {
  const unsubscribe = await unsubscribeUrl(db, recipient.membershipId, event.kind, now);
  const notBefore = quietHoursEnd(quietOf(recipient), now);
  const to = { programId: recipient.programId, email: recipient.email, name: recipient.name };
  const news = familySessionNews[event.kind];
  const session = news && event.subjectId ? await familySessionForMail(db, event.subjectId) : undefined;
  const sending = session
    ? sendFamilySessionMail(
        db,
        to,
        news!,
        { ...session, path: recipient.role === "patient" ? "/patient/family-sessions" : "/supporter/family-sessions" },
        { unsubscribeUrl: unsubscribe, notBefore, footer },
        now,
      )
    : sendMail(
        db,
        {
          programId: recipient.programId,
          to: recipient.email,
          compose: (t) => ({
            subject: t("mail.notice.subject"),
            text: `${t("mail.notice.body", {
              name: recipient.name,
              what: t(`notifications.kind.${event.kind}`),
              link: `${env().appUrl}/login`,
            })}\n\n${footer(t, unsubscribe)}`,
          }),
          unsubscribeUrl: unsubscribe,
          notBefore,
        },
        now,
      );
  // A failed first try is logged by the outbox and tried again there.
  await sending.catch(() => undefined);
}

/**
 * The events still waiting for the mail jobs, found through the partial index that holds only them
 * (`events_unnoticed_idx`, `events_digest_idx`). Written as a subquery on purpose: with statistics of a
 * large program, SQLite preferred walking every membership and each one's events (710,000 at 5,000
 * patients) to the partial index, and a round after each POST took hundreds of milliseconds.
 */
function waitingEvents(condition: SQL) {
  return sql`events.rowid in (select rowid from events where ${condition})`;
}

/** The notice for each of one recipient's events: the person's choice, else the role's; nothing for an inactive membership. */
async function noticesFor(db: Database, recipient: Recipient, rows: StreamEvent[]) {
  const chosen = await chosenDeliveries(db, recipient.membershipId, recipient.role);
  const deliveryOf = (kind: EventKind): Delivery => (recipient.status !== "active" ? "off" : chosen(kind));
  const view =
    recipient.role === "supporter"
      ? await supporterView(
          db,
          recipient,
          rows.filter((row) => deliveryOf(row.kind) === "immediate"),
        )
      : null;
  return {
    notices: rows.map((row): { event: StreamEvent; notice: EventNotice } => {
      const delivery = deliveryOf(row.kind);
      return { event: row, notice: delivery === "immediate" && view && !view.visible(row) ? "hidden" : delivery };
    }),
    release: async (told: StreamEvent[]) => {
      if (view) await view.release(told);
    },
  };
}

/**
 * Looks at every event nobody has looked at yet (oldest first, a batch at a time) and decides it once:
 * mailed now (or when quiet hours end), kept for the digest, off, or hidden. Each event is claimed with
 * a conditional update before its mail is written, so two processes never mail one event twice.
 * Returns how many events it decided.
 */
export async function notifyEvents(db: Database, now = new Date(), batch = 200) {
  const pending = await db
    .select({
      id: events.id,
      kind: events.kind,
      linkId: events.linkId,
      subjectId: events.subjectId,
      ...recipientColumns,
    })
    .from(events)
    .innerJoin(memberships, eq(memberships.id, events.recipientId))
    .innerJoin(people, eq(people.id, memberships.personId))
    .innerJoin(programs, eq(programs.id, memberships.programId))
    .where(waitingEvents(sql`notice is null and occurred_at <= ${now.getTime()}`))
    .orderBy(asc(events.occurredAt))
    .limit(batch);
  const byRecipient = new Map<string, { recipient: Recipient; rows: StreamEvent[] }>();
  for (const row of pending) {
    const entry = byRecipient.get(row.membershipId) ?? { recipient: row, rows: [] };
    entry.rows.push({ id: row.id, kind: row.kind, linkId: row.linkId, subjectId: row.subjectId });
    byRecipient.set(row.membershipId, entry);
  }
  let decided = 0;
  for (const { recipient, rows } of byRecipient.values()) {
    const { notices, release } = await noticesFor(db, recipient, rows);
    for (const { event, notice } of notices) {
      const [claimed] = await db
        .update(events)
        .set({ notice })
        .where(and(eq(events.id, event.id), isNull(events.notice)))
        .returning({ id: events.id });
      if (!claimed) continue;
      decided += 1;
      if (notice !== "immediate") continue;
      await release([event]);
      await mailAtOnce(db, recipient, event, now);
    }
  }
  return decided;
}

// ---------------------------------------------------------------------------------------------------
// The daily digest

/** The digest goes at 18:00 in the person's time zone, or, when their quiet hours hold 18:00, as soon as they end. */
export const digestTime = "18:00";

/**
 * The period a digest sent now belongs to: the local date of the last 18:00, so each period runs from
 * one 18:00 to the next; null when no digest may go now (quiet hours, or before 18:00 when quiet hours
 * do not hold 18:00).
 */
export function digestPeriod(quiet: QuietHours, now: Date) {
  if (inQuietHours(quiet, now)) return null;
  const clock = minutesOfClockTime(clockTimeIn(quiet.timeZone, now));
  const sinceDigestTime = (clock - minutesOfClockTime(digestTime) + 24 * 60) % (24 * 60);
  const lastDigestTime = new Date(now.getTime() - sinceDigestTime * 60_000);
  const quietAtDigestTime = inQuietHours(quiet, lastDigestTime);
  if (clock < minutesOfClockTime(digestTime) && !quietAtDigestTime) return null;
  return calendarDateIn(quiet.timeZone, lastDigestTime);
}

/**
 * Sends each person whose digest is due one mail for the period, counting what happened by kind:
 * never who, never what a check-in said. The `digests` row for the person and period is inserted
 * first and only its inserter goes on, so two processes running the job send one digest. Returns how
 * many digests were made.
 */
export async function sendDigests(db: Database, now = new Date()) {
  const waiting = await db
    .selectDistinct(recipientColumns)
    .from(events)
    .innerJoin(memberships, eq(memberships.id, events.recipientId))
    .innerJoin(people, eq(people.id, memberships.personId))
    .innerJoin(programs, eq(programs.id, memberships.programId))
    .where(
      and(
        waitingEvents(sql`notice = 'digest' and digest_id is null and occurred_at <= ${now.getTime()}`),
        // A membership disabled since gets no mail; what waited for it stays untold.
        eq(memberships.status, "active"),
      ),
    );
  const byPerson = new Map<string, Recipient[]>();
  for (const recipient of waiting) byPerson.set(recipient.personId, [...(byPerson.get(recipient.personId) ?? []), recipient]);

  let made = 0;
  for (const [personId, recipientsOfPerson] of byPerson) {
    const first = recipientsOfPerson[0]!;
    const period = digestPeriod(quietOf(first), now);
    if (!period) continue;
    const [digest] = await db
      .insert(digests)
      .values({ id: newId(), personId, period, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: digests.id });
    if (!digest) continue;
    made += 1;
    const counts = new Map<EventKind, number>();
    for (const recipient of recipientsOfPerson) {
      const claimed = await db
        .update(events)
        .set({ digestId: digest.id })
        .where(
          and(
            eq(events.recipientId, recipient.membershipId),
            eq(events.notice, "digest"),
            isNull(events.digestId),
            lte(events.occurredAt, now),
          ),
        )
        .returning({ id: events.id, kind: events.kind, linkId: events.linkId, subjectId: events.subjectId });
      let told = claimed;
      if (recipient.role === "supporter") {
        const view = await supporterView(db, recipient, claimed);
        told = claimed.filter(view.visible);
        await view.release(told);
      }
      for (const row of told) counts.set(row.kind, (counts.get(row.kind) ?? 0) + 1);
    }
    if (counts.size === 0) continue;
    // A person with two roles gets one digest; its link turns off the digest of the first.
    const unsubscribe = await unsubscribeUrl(db, first.membershipId, "digest", now);
    await sendMail(
      db,
      {
        programId: first.programId,
        to: first.email,
        compose: (t) => ({
          subject: t("mail.digest.subject"),
          text: `${t("mail.digest.body", {
            name: first.name,
            lines: [...counts]
              .map(([kind, count]) => t("mail.digest.line", { what: t(`notifications.kind.${kind}`), count }))
              .join("\n"),
            link: `${env().appUrl}/login`,
          })}\n\n${footer(t, unsubscribe)}`,
        }),
        unsubscribeUrl: unsubscribe,
      },
      now,
    ).catch(() => undefined);
  }
  return made;
}

/** One round of all the mail work: decide new events, send due digests, send what is due in the outbox. */
export async function runMailJobs(db: Database, now = new Date()) {
  const decided = await notifyEvents(db, now);
  const digestsMade = await sendDigests(db, now);
  const sent = await deliverDueMail(db, now);
  return { decided, digests: digestsMade, sent };
}
