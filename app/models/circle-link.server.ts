import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Database } from "#db/database";
import { preparedRead } from "#db/prepared";
import { circleLinks, consents, disclosureLog, episodes, memberships, programs } from "#db/schema";
import type { LinkStatus } from "~/vocabulary";
import { recordAudit, type AuditAction } from "~/models/audit.server";
import { linkEvents, recordEvents } from "~/models/events.server";
import { assertTransition, type CircleActor } from "~/models/circle-state";
import { calendarDateIn } from "~/utils/dates";

/**
 * The care-circle link itself: its errors, the move between states with its audit, the consent
 * events it writes to the patient's log, and expiry, settled whenever a link is read. Invitations,
 * consent, access and the circle views all stand on this module; it stands on none of them.
 */

export type Actor = { id: string; programId: string; ipAddress: string | null };

export class CircleRuleError extends Error {
  constructor(
    readonly field: string,
    readonly messageKey: string,
  ) {
    super(messageKey);
  }
}

/** A change of consent as the patient's accounting of disclosures records it. */
export function consentEventRow(
  link: { id: string; programId: string; patientId: string },
  consentId: string,
  kind: "consent_signed" | "consent_superseded" | "consent_ended",
  detail: string,
  actorId: string | null,
  at: Date,
): typeof disclosureLog.$inferInsert {
  return {
    programId: link.programId,
    patientId: link.patientId,
    linkId: link.id,
    consentId,
    kind,
    detail,
    actorUserId: actorId,
    occurredAt: at,
  };
}

export async function logConsentEvent(
  tx: Database,
  link: { id: string; programId: string; patientId: string },
  consentId: string,
  kind: "consent_signed" | "consent_superseded" | "consent_ended",
  detail: string,
  actorId: string | null,
  at = new Date(),
) {
  await tx.insert(disclosureLog).values(consentEventRow(link, consentId, kind, detail, actorId, at));
}

export async function auditLink(
  tx: Database,
  action: AuditAction,
  actor: { id: string | null; programId: string; ipAddress: string | null },
  linkId: string,
) {
  await recordAudit(tx, {
    action,
    outcome: "success",
    programId: actor.programId,
    actorUserId: actor.id,
    targetType: "circle_link",
    targetId: linkId,
    ipAddress: actor.ipAddress,
  });
}

/**
 * Moves a link from one status to another, checked against the state machine and guarded in the
 * UPDATE itself (a concurrent change makes it a no-op, reported as false). Whoever the move concerns
 * hears of it in their stream of events, in the same transaction.
 */
export async function moveLink(
  tx: Database,
  link: { id: string; status: LinkStatus },
  to: LinkStatus,
  by: CircleActor,
  changes: Partial<typeof circleLinks.$inferInsert> = {},
): Promise<boolean> {
  assertTransition(link.status, to, by);
  const moved = await tx
    .update(circleLinks)
    .set({ ...changes, status: to, updatedAt: new Date() })
    .where(and(eq(circleLinks.id, link.id), eq(circleLinks.status, link.status)))
    .returning({
      id: circleLinks.id,
      programId: circleLinks.programId,
      patientId: circleLinks.patientId,
      supporterId: circleLinks.supporterId,
    });
  const [row] = moved;
  if (!row) return false;
  await recordEvents(tx, linkEvents(row, to, by));
  return true;
}

/** Ends the link's current consent (revoked, expired, ended by refusal) and logs it for the patient. */
export async function endCurrentConsent(
  tx: Database,
  link: { id: string; programId: string; patientId: string },
  status: "revoked" | "expired" | "ended",
  detail: string,
  actorId: string | null,
  at = new Date(),
) {
  const [ended] = await tx
    .update(consents)
    .set({ status, endedAt: at })
    .where(and(eq(consents.linkId, link.id), eq(consents.status, "active")))
    .returning({ id: consents.id });
  if (ended) await logConsentEvent(tx, link, ended.id, "consent_ended", detail, actorId, at);
}

export async function findPatientLink(db: Database, patientId: string, linkId: string) {
  return db
    .select()
    .from(circleLinks)
    .where(and(eq(circleLinks.id, linkId), eq(circleLinks.patientId, patientId)))
    .get();
}

/** The supporter's own link, with the name of the patient who invited them (known to them from the invitation). */
export async function findSupporterLink(db: Database, supporterId: string, linkId: string) {
  const patient = alias(memberships, "patient");
  const row = await db
    .select({ link: circleLinks, patientName: patient.name })
    .from(circleLinks)
    .innerJoin(patient, eq(patient.id, circleLinks.patientId))
    .where(and(eq(circleLinks.id, linkId), eq(circleLinks.supporterId, supporterId)))
    .get();
  return row ? { ...row.link, patientName: row.patientName } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Expiry, checked on every access: no job has to remember it

type ExpiryFacts = {
  expiryKind: "date" | "episode_end";
  expiresOn: string | null;
  episodeEndedAt: Date | null;
  timeZone: string;
};

/** When the consent ended by itself, or null while it still holds. */
export function consentLapsedAt(facts: ExpiryFacts, now = new Date()): Date | null {
  if (facts.expiryKind === "episode_end")
    return facts.episodeEndedAt && facts.episodeEndedAt <= now ? facts.episodeEndedAt : null;
  // A consent "ends on" its date: it holds through that whole day in the program's time zone.
  if (facts.expiresOn && facts.expiresOn < calendarDateIn(facts.timeZone, now)) return now;
  return null;
}

const linkEpisode = alias(episodes, "link_episode");
const linkPatient = alias(memberships, "link_patient");

/** Links waiting or active among `which`, each with its current consent and what its expiry depends on. */
function liveLinksQuery(db: Database, which: SQL | undefined) {
  return db
    .select({
      link: circleLinks,
      patientName: linkPatient.name,
      consentId: consents.id,
      categories: consents.categories,
      version: consents.version,
      expiryKind: consents.expiryKind,
      expiresOn: consents.expiresOn,
      episodeEndedAt: linkEpisode.endedAt,
      timeZone: programs.timeZone,
    })
    .from(circleLinks)
    .innerJoin(consents, and(eq(consents.linkId, circleLinks.id), eq(consents.status, "active")))
    .innerJoin(linkEpisode, eq(linkEpisode.id, consents.episodeId))
    .innerJoin(linkPatient, eq(linkPatient.id, circleLinks.patientId))
    .innerJoin(programs, eq(programs.id, circleLinks.programId))
    .where(and(inArray(circleLinks.status, ["accepted", "active"]), which));
}

// Read on every page a supporter opens and every check-in a patient shares: built once (db/prepared.ts).
const patientsLinks = preparedRead((db) => liveLinksQuery(db, eq(circleLinks.patientId, sql.placeholder("patientId"))).prepare());
const supportersLinks = preparedRead((db) =>
  liveLinksQuery(
    db,
    and(eq(circleLinks.supporterId, sql.placeholder("supporterId")), eq(circleLinks.programId, sql.placeholder("programId"))),
  ).prepare(),
);
/** One link by its id, of this supporter or this patient, in the program. */
function oneLinkQuery(db: Database, owner: "supporterId" | "patientId") {
  return liveLinksQuery(
    db,
    and(
      eq(circleLinks.id, sql.placeholder("linkId")),
      eq(circleLinks[owner], sql.placeholder(owner)),
      eq(circleLinks.programId, sql.placeholder("programId")),
    ),
  ).prepare();
}
const supportersLink = preparedRead((db) => oneLinkQuery(db, "supporterId"));
const patientsLink = preparedRead((db) => oneLinkQuery(db, "patientId"));

/**
 * Live links (waiting or active, with their current consent) of one patient, of one supporter in a
 * program, or one link of either, each by the query itself.
 */
export async function liveLinksWithConsent(
  db: Database,
  of:
    | { patientId: string }
    | { patientId: string; programId: string; linkId: string }
    | { supporterId: string; programId: string; linkId?: string },
) {
  if ("supporterId" in of) {
    const { supporterId, programId, linkId } = of;
    return linkId === undefined
      ? supportersLinks(db).all({ supporterId, programId })
      : supportersLink(db).all({ supporterId, programId, linkId });
  }
  return "linkId" in of ? patientsLink(db).all(of) : patientsLinks(db).all(of);
}

export type LiveLink = Awaited<ReturnType<typeof liveLinksWithConsent>>[number];

/** Marks every lapsed link among these as expired, with its consent, in one transaction each. */
export async function settleExpiry(db: Database, rows: LiveLink[], now = new Date()) {
  const live: typeof rows = [];
  for (const row of rows) {
    const lapsedAt = consentLapsedAt(row, now);
    if (!lapsedAt) {
      live.push(row);
      continue;
    }
    await db.transaction(async (tx) => {
      // A new consent version signed since the read above replaced the one that lapsed: the link holds.
      const stillCurrent = await tx
        .select({ id: consents.id })
        .from(consents)
        .where(and(eq(consents.id, row.consentId), eq(consents.status, "active")))
        .get();
      if (!stillCurrent) return;
      if (!(await moveLink(tx, row.link, "expired", "system", { endedAt: lapsedAt }))) return;
      await endCurrentConsent(
        tx,
        row.link,
        "expired",
        row.expiryKind === "date" ? "expired_on_date" : "episode_ended",
        null,
        lapsedAt,
      );
      await auditLink(tx, "circle.expired", { id: null, programId: row.link.programId, ipAddress: null }, row.link.id);
    });
  }
  return live;
}

/** Expires whatever has lapsed in one patient's circle (called before the circle is shown). */
export async function settlePatientCircle(db: Database, patientId: string) {
  await settleExpiry(db, await liveLinksWithConsent(db, { patientId }));
}
