import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, type DB } from "#db/client";
import { circleLinks, consents, disclosureLog, episodes, memberships, people, programs } from "#db/schema";
import { sharingCategories, type LinkStatus, type Relationship, type SharingCategory } from "~/vocabulary";
import { translator } from "~/i18n/i18n";
import { recordAudit, type AuditAction } from "~/models/audit.server";
import { assertTransition, openStatuses, type CircleActor } from "~/models/circle-state";
import { consentText, type ConsentElements } from "~/models/consent-text";
import { normalizeEmail } from "~/models/account.server";
import { isLimited, recordHit, type RateLimit } from "~/models/rate-limit.server";
import { newId, randomToken, sha256Hex } from "~/utils/crypto.server";
import { calendarDateIn } from "~/utils/dates";

type Tx = Parameters<Parameters<DB["transaction"]>[0]>[0];

export const invitationLifetimeMs = 7 * 24 * 3_600_000;
export const invitationLimit: RateLimit = { limit: 20, windowMs: 24 * 3_600_000 };

export type Actor = { id: string; programId: string; ipAddress: string | null };

export class CircleRuleError extends Error {
  constructor(
    readonly field: string,
    readonly messageKey: string,
  ) {
    super(messageKey);
  }
}

/** What the patient fills in to invite someone or to change what they see. */
export type ConsentChoice = {
  categories: SharingCategory[];
  purpose: string;
  expiryKind: "date" | "episode_end";
  expiresOn: string | null;
  signature: string;
};

export type Invitation = ConsentChoice & { name: string; email: string; relationship: Relationship };

/** The patient's open episode and program, needed for every consent. */
function patientContext(executor: Pick<DB, "select">, patientId: string) {
  return executor
    .select({
      patientName: memberships.name,
      patientEmail: people.email,
      programId: programs.id,
      programName: programs.name,
      timeZone: programs.timeZone,
      episodeId: episodes.id,
    })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .innerJoin(programs, eq(programs.id, memberships.programId))
    .innerJoin(episodes, and(eq(episodes.patientId, memberships.id), isNull(episodes.endedAt)))
    .where(and(eq(memberships.id, patientId), eq(memberships.role, "patient")))
    .get();
}

export type PatientContext = NonNullable<ReturnType<typeof patientContext>>;

/**
 * Whether the address signs in as a therapist or admin of this program. The care team is already
 * in the patient's care; as a supporter they would see it a second way, outside their duty.
 */
function isProgramStaff(programId: string, email: string) {
  return Boolean(
    db
      .select({ id: memberships.id })
      .from(memberships)
      .innerJoin(people, eq(people.id, memberships.personId))
      .where(and(eq(people.email, email), eq(memberships.programId, programId), inArray(memberships.role, ["admin", "therapist"])))
      .get(),
  );
}

function namesMatch(signature: string, name: string) {
  const normalize = (value: string) => value.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
  return normalize(signature) === normalize(name);
}

/** Checks the rules a consent must meet beyond its form (the signature, the expiry date). */
function checkConsentChoice(context: PatientContext, choice: ConsentChoice) {
  if (!namesMatch(choice.signature, context.patientName)) throw new CircleRuleError("signature", "consent.signature.mismatch");
  if (choice.expiryKind === "date") {
    const today = calendarDateIn(context.timeZone);
    if (!choice.expiresOn || choice.expiresOn <= today) throw new CircleRuleError("expiresOn", "consent.expiresOn.past");
  }
}

/** The elements of the consent as they will be stored, for the preview and for signing. */
export function consentElements(
  context: PatientContext,
  recipient: { name: string; email: string; relationship: Relationship },
  choice: ConsentChoice,
): ConsentElements {
  return {
    patientName: context.patientName,
    disclosingProgram: context.programName,
    // In the product's order, whatever order the form sent them in.
    categories: sharingCategories.filter((category) => choice.categories.includes(category)),
    recipientName: recipient.name.trim(),
    recipientEmail: normalizeEmail(recipient.email),
    recipientRelationship: recipient.relationship,
    purpose: choice.purpose.trim(),
    expiryKind: choice.expiryKind,
    expiresOn: choice.expiryKind === "date" ? choice.expiresOn : null,
    signature: choice.signature.trim(),
    signedOn: calendarDateIn(context.timeZone),
  };
}

export function renderConsent(elements: ConsentElements, locale: string) {
  return consentText(translator("en"), locale, elements);
}

export function getPatientContext(patientId: string) {
  return patientContext(db, patientId);
}

function writeConsent(
  tx: Tx,
  link: { id: string; programId: string; patientId: string },
  context: PatientContext,
  elements: ConsentElements,
  version: number,
  locale: string,
  actorId: string,
) {
  const consentId = newId();
  const now = new Date();
  tx.insert(consents)
    .values({
      id: consentId,
      programId: link.programId,
      linkId: link.id,
      patientId: link.patientId,
      version,
      patientName: elements.patientName,
      disclosingProgram: elements.disclosingProgram,
      categories: elements.categories,
      recipientName: elements.recipientName,
      recipientEmail: elements.recipientEmail,
      recipientRelationship: elements.recipientRelationship,
      purpose: elements.purpose,
      revocationStatement: translator("en")("consent.text.revoke"),
      expiryKind: elements.expiryKind,
      expiresOn: elements.expiresOn,
      episodeId: context.episodeId,
      signature: elements.signature,
      signedAt: now,
      // The signature line carries the name on the account, as in the preview the patient signed.
      text: renderConsent({ ...elements, signature: context.patientName }, locale),
    })
    .run();
  logConsentEvent(tx, link, consentId, "consent_signed", version === 1 ? "signed" : "new_version", actorId, now);
  return consentId;
}

function logConsentEvent(
  tx: Tx,
  link: { id: string; programId: string; patientId: string },
  consentId: string,
  kind: "consent_signed" | "consent_superseded" | "consent_ended",
  detail: string,
  actorId: string | null,
  at = new Date(),
) {
  tx.insert(disclosureLog)
    .values({
      programId: link.programId,
      patientId: link.patientId,
      linkId: link.id,
      consentId,
      kind,
      detail,
      actorUserId: actorId,
      occurredAt: at,
    })
    .run();
}

function audit(tx: Tx, action: AuditAction, actor: { id: string | null; programId: string; ipAddress: string | null }, linkId: string) {
  recordAudit(
    {
      action,
      outcome: "success",
      programId: actor.programId,
      actorUserId: actor.id,
      targetType: "circle_link",
      targetId: linkId,
      ipAddress: actor.ipAddress,
    },
    tx,
  );
}

/**
 * Moves a link from one status to another, checked against the state machine and guarded in the
 * UPDATE itself (a concurrent change makes it a no-op, reported as false).
 */
function moveLink(
  tx: Tx,
  link: { id: string; status: LinkStatus },
  to: LinkStatus,
  by: CircleActor,
  changes: Partial<typeof circleLinks.$inferInsert> = {},
): boolean {
  assertTransition(link.status, to, by);
  const result = tx
    .update(circleLinks)
    .set({ ...changes, status: to, updatedAt: new Date() })
    .where(and(eq(circleLinks.id, link.id), eq(circleLinks.status, link.status)))
    .run();
  return result.changes === 1;
}

/** Ends the link's current consent (revoked, expired, ended by refusal) and logs it for the patient. */
function endCurrentConsent(
  tx: Tx,
  link: { id: string; programId: string; patientId: string },
  status: "revoked" | "expired" | "ended",
  detail: string,
  actorId: string | null,
  at = new Date(),
) {
  const [ended] = tx
    .update(consents)
    .set({ status, endedAt: at })
    .where(and(eq(consents.linkId, link.id), eq(consents.status, "active")))
    .returning({ id: consents.id })
    .all();
  if (ended) logConsentEvent(tx, link, ended.id, "consent_ended", detail, actorId, at);
}

// ---------------------------------------------------------------------------------------------
// The patient's side

/** Creates the invitation and its signed consent (version 1). Returns the raw token for the e-mail. */
export function invite(actor: Actor, invitation: Invitation, locale: string) {
  const context = patientContext(db, actor.id);
  if (!context) throw new CircleRuleError("form", "circle.invite.noEpisode");
  const email = normalizeEmail(invitation.email);
  if (email === context.patientEmail) throw new CircleRuleError("email", "circle.invite.ownEmail");
  if (isProgramStaff(context.programId, email)) throw new CircleRuleError("email", "circle.invite.staffEmail");
  checkConsentChoice(context, invitation);
  const rateKey = `invitations:patient:${actor.id}`;
  if (isLimited(rateKey, invitationLimit)) throw new CircleRuleError("form", "circle.invite.rateLimited");

  const result = db.transaction((tx) => {
    const duplicate = tx
      .select({ id: circleLinks.id })
      .from(circleLinks)
      .where(
        and(
          eq(circleLinks.patientId, actor.id),
          eq(circleLinks.invitedEmail, email),
          inArray(circleLinks.status, [...openStatuses]),
        ),
      )
      .get();
    if (duplicate) throw new CircleRuleError("email", "circle.invite.duplicate");
    const token = randomToken();
    const now = new Date();
    const link = { id: newId(), programId: context.programId, patientId: actor.id };
    tx.insert(circleLinks)
      .values({
        ...link,
        episodeId: context.episodeId,
        invitedName: invitation.name.trim(),
        invitedEmail: email,
        relationship: invitation.relationship,
        status: "invited",
        invitationTokenHash: sha256Hex(token),
        invitationExpiresAt: new Date(now.getTime() + invitationLifetimeMs),
        invitedAt: now,
        updatedAt: now,
      })
      .run();
    writeConsent(tx, link, context, consentElements(context, invitation, invitation), 1, locale, actor.id);
    audit(tx, "circle.invited", actor, link.id);
    return { linkId: link.id, token, email };
  });
  recordHit(rateKey, invitationLimit);
  return result;
}

/** A new invitation link for an invitation the supporter has not accepted yet; the old link dies. */
export function resendInvitation(actor: Actor, linkId: string) {
  const rateKey = `invitations:patient:${actor.id}`;
  if (isLimited(rateKey, invitationLimit)) throw new CircleRuleError("form", "circle.invite.rateLimited");
  const result = db.transaction((tx) => {
    const link = tx
      .select()
      .from(circleLinks)
      .where(and(eq(circleLinks.id, linkId), eq(circleLinks.patientId, actor.id), eq(circleLinks.status, "invited")))
      .get();
    if (!link) return null;
    const token = randomToken();
    const now = new Date();
    tx.update(circleLinks)
      .set({
        invitationTokenHash: sha256Hex(token),
        invitationExpiresAt: new Date(now.getTime() + invitationLifetimeMs),
        updatedAt: now,
      })
      .where(eq(circleLinks.id, link.id))
      .run();
    audit(tx, "circle.invitation_resent", actor, link.id);
    return { token, email: link.invitedEmail };
  });
  if (result) recordHit(rateKey, invitationLimit);
  return result;
}

/** Cancels an invitation that was not accepted yet; the link in the e-mail stops working. */
export function cancelInvitation(actor: Actor, linkId: string) {
  return db.transaction((tx) => {
    const link = tx
      .select()
      .from(circleLinks)
      .where(and(eq(circleLinks.id, linkId), eq(circleLinks.patientId, actor.id)))
      .get();
    if (!link) return null;
    moveLink(tx, link, "cancelled", "patient", { invitationTokenHash: null, endedAt: new Date(), endedBy: actor.id });
    endCurrentConsent(tx, link, "ended", "invitation_cancelled", actor.id);
    audit(tx, "circle.invitation_cancelled", actor, link.id);
    return link;
  });
}

/** A new consent version for a link that is waiting or active; the previous version is superseded. */
export function changeConsent(actor: Actor, linkId: string, choice: ConsentChoice, locale: string) {
  const context = patientContext(db, actor.id);
  if (!context) throw new CircleRuleError("form", "circle.invite.noEpisode");
  checkConsentChoice(context, choice);
  return db.transaction((tx) => {
    const link = tx
      .select()
      .from(circleLinks)
      .where(
        and(
          eq(circleLinks.id, linkId),
          eq(circleLinks.patientId, actor.id),
          inArray(circleLinks.status, [...openStatuses]),
        ),
      )
      .get();
    if (!link) return null;
    const current = tx
      .select()
      .from(consents)
      .where(and(eq(consents.linkId, link.id), eq(consents.status, "active")))
      .get();
    if (!current) return null;
    tx.update(consents).set({ status: "superseded", endedAt: new Date() }).where(eq(consents.id, current.id)).run();
    logConsentEvent(tx, link, current.id, "consent_superseded", "superseded", actor.id);
    const elements = consentElements(
      context,
      { name: current.recipientName, email: current.recipientEmail, relationship: current.recipientRelationship },
      choice,
    );
    const consentId = writeConsent(tx, link, context, elements, current.version + 1, locale, actor.id);
    audit(tx, "circle.consent_changed", actor, link.id);
    return { consentId, version: current.version + 1 };
  });
}

// ---------------------------------------------------------------------------------------------
// Ending a link: the patient, the supporter or the care team

export type Ender = { actor: Actor; as: "patient" | "supporter" | "care_team" };

/**
 * Ends a waiting or active link. The query names the ender's relationship to the link, so nobody
 * can end a link that is not theirs (the care team's reach is checked by the caller's query).
 */
export function revokeLink(ender: Ender, link: { id: string; status: LinkStatus; programId: string; patientId: string; supporterId: string | null }, safety?: { note: string }) {
  return db.transaction((tx) => {
    const moved = moveLink(tx, link, "revoked", ender.as, {
      endedAt: new Date(),
      endedBy: ender.actor.id,
      ...(safety ? { safetyConcern: true, safetyNote: safety.note } : {}),
    });
    if (!moved) return false;
    endCurrentConsent(tx, link, "revoked", `revoked_by_${ender.as}`, ender.actor.id);
    audit(tx, "circle.revoked", { ...ender.actor, programId: link.programId }, link.id);
    return true;
  });
}

export function findPatientLink(patientId: string, linkId: string) {
  return db
    .select()
    .from(circleLinks)
    .where(and(eq(circleLinks.id, linkId), eq(circleLinks.patientId, patientId)))
    .get();
}

export function findSupporterLink(supporterId: string, linkId: string) {
  return db
    .select()
    .from(circleLinks)
    .where(and(eq(circleLinks.id, linkId), eq(circleLinks.supporterId, supporterId)))
    .get();
}

/**
 * A link the care-team member may decide on: the patient's primary therapist, or an admin of the
 * link's program. Anyone else gets undefined (and the route answers 404).
 */
export function findCareTeamLink(member: { id: string; programId: string; role: string }, linkId: string) {
  const row = db
    .select({ link: circleLinks, therapistId: episodes.primaryTherapistId })
    .from(circleLinks)
    .innerJoin(episodes, eq(episodes.id, circleLinks.episodeId))
    .where(and(eq(circleLinks.id, linkId), eq(circleLinks.programId, member.programId)))
    .get();
  if (!row) return undefined;
  if (member.role === "admin" || (member.role === "therapist" && row.therapistId === member.id)) return row.link;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The supporter's side

export type InvitationView =
  | { state: "valid"; link: typeof circleLinks.$inferSelect; patientName: string; categories: SharingCategory[] }
  | { state: "invalid" | "expired" | "used" | "cancelled" };

/** What an invitation link is worth, without using it. A tampered token is simply invalid. */
export function inspectInvitation(token: string, now = new Date()): InvitationView {
  if (!token || token.length > 200) return { state: "invalid" };
  const row = db
    .select({ link: circleLinks, patientName: memberships.name, categories: consents.categories })
    .from(circleLinks)
    .innerJoin(memberships, eq(memberships.id, circleLinks.patientId))
    .innerJoin(consents, and(eq(consents.linkId, circleLinks.id), eq(consents.status, "active")))
    .where(eq(circleLinks.invitationTokenHash, sha256Hex(token)))
    .get();
  if (!row) return { state: "invalid" };
  if (row.link.status !== "invited") return { state: row.link.status === "cancelled" ? "cancelled" : "used" };
  if (!row.link.invitationExpiresAt || row.link.invitationExpiresAt.getTime() <= now.getTime()) return { state: "expired" };
  return { state: "valid", link: row.link, patientName: row.patientName, categories: row.categories };
}

/**
 * The supporter membership this person holds in the link's program, made now if they hold none:
 * accepting an invitation from another program adds a membership there and touches nothing else.
 * Null when that membership was disabled by the program.
 */
function supporterMembershipFor(tx: Tx, person: { id: string }, link: { programId: string; invitedName: string }) {
  const existing = tx
    .select({ id: memberships.id, status: memberships.status })
    .from(memberships)
    .where(and(eq(memberships.personId, person.id), eq(memberships.programId, link.programId), eq(memberships.role, "supporter")))
    .get();
  if (existing) return existing.status === "active" ? existing.id : null;
  const id = newId();
  tx.insert(memberships)
    .values({ id, personId: person.id, programId: link.programId, name: link.invitedName, role: "supporter", status: "active" })
    .run();
  return id;
}

/** Someone used the link a moment earlier; thrown to roll back whatever the acceptance wrote. */
class InvitationTakenError extends Error {}

/** Takes the link for `supporterId`: single use, the token cleared in the same guarded UPDATE. */
function takeInvitation(tx: Tx, link: { id: string }, token: string, supporterId: string) {
  assertTransition("invited", "accepted", "supporter");
  const [taken] = tx
    .update(circleLinks)
    .set({ status: "accepted", supporterId, acceptedAt: new Date(), invitationTokenHash: null, updatedAt: new Date() })
    .where(and(eq(circleLinks.id, link.id), eq(circleLinks.status, "invited"), eq(circleLinks.invitationTokenHash, sha256Hex(token))))
    .returning({ id: circleLinks.id })
    .all();
  if (!taken) throw new InvitationTakenError();
}

function orTaken<T>(accept: () => T) {
  try {
    return accept();
  } catch (error) {
    if (error instanceof InvitationTakenError) return { ok: false as const, reason: "used" as const };
    throw error;
  }
}

/**
 * A signed-in person takes the invitation sent to their address, as their supporter membership in
 * the inviting patient's program. Returns that membership, for the session to act as it.
 */
export function acceptInvitation(token: string, person: { id: string; email: string }, ipAddress: string | null) {
  const view = inspectInvitation(token);
  if (view.state !== "valid") return { ok: false as const, reason: view.state };
  if (normalizeEmail(person.email) !== view.link.invitedEmail) return { ok: false as const, reason: "wrong_account" as const };
  return orTaken(() =>
    db.transaction((tx) => {
      const supporterId = supporterMembershipFor(tx, person, view.link);
      if (!supporterId) return { ok: false as const, reason: "membership_disabled" as const };
      takeInvitation(tx, view.link, token, supporterId);
      audit(tx, "circle.accepted", { id: supporterId, programId: view.link.programId, ipAddress }, view.link.id);
      return { ok: true as const, linkId: view.link.id, supporterId };
    }),
  );
}

/**
 * A new person with a supporter membership, and the accepted invitation, together: the invitation
 * proves the e-mail address, so the account is active at once. Fails (changing nothing) if the
 * address already signs in: that person signs in and accepts.
 */
export function acceptWithNewAccount(token: string, account: { name: string; passwordHash: string }, ipAddress: string | null) {
  const view = inspectInvitation(token);
  if (view.state !== "valid") return { ok: false as const, reason: view.state };
  return orTaken(() => db.transaction((tx) => {
    const existing = tx.select({ id: people.id }).from(people).where(eq(people.email, view.link.invitedEmail)).get();
    if (existing) return { ok: false as const, reason: "account_exists" as const };
    const personId = newId();
    tx.insert(people).values({ id: personId, email: view.link.invitedEmail, passwordHash: account.passwordHash }).run();
    const supporterId = newId();
    tx.insert(memberships)
      .values({ id: supporterId, personId, programId: view.link.programId, name: account.name.trim(), role: "supporter", status: "active" })
      .run();
    takeInvitation(tx, view.link, token, supporterId);
    const actor = { id: supporterId, programId: view.link.programId, ipAddress };
    recordAudit({ action: "account.activated", outcome: "success", programId: actor.programId, actorUserId: supporterId, targetType: "user", targetId: supporterId, ipAddress }, tx);
    audit(tx, "circle.accepted", actor, view.link.id);
    return { ok: true as const, linkId: view.link.id, personId, supporterId };
  }));
}

/** Records that the invitation page showed the patient's name to whoever holds the link. */
export function recordInvitationViewed(link: { id: string; programId: string; patientId: string }) {
  const consent = db
    .select({ id: consents.id })
    .from(consents)
    .where(and(eq(consents.linkId, link.id), eq(consents.status, "active")))
    .get();
  if (!consent) return;
  recordNameShown([{ linkId: link.id, programId: link.programId, patientId: link.patientId, consentId: consent.id }], "invitation", null);
}

/**
 * Records what a page showed a supporter outside any sharing category: the patient's name (the
 * invitation, the list of circles), and so the fact they are in treatment; or a support-plan item
 * the patient asked of them.
 */
export function recordNameShown(
  shown: { linkId: string; programId: string; patientId: string; consentId: string; itemId?: string }[],
  itemType: "invitation" | "circle_list" | "support_plan_item",
  supporterId: string | null,
) {
  if (shown.length === 0) return;
  const now = new Date();
  db.insert(disclosureLog)
    .values(
      shown.map((link) => ({
        programId: link.programId,
        patientId: link.patientId,
        linkId: link.linkId,
        consentId: link.consentId,
        kind: "disclosure" as const,
        itemType,
        itemId: link.itemId ?? link.linkId,
        actorUserId: supporterId,
        occurredAt: now,
      })),
    )
    .run();
}

// ---------------------------------------------------------------------------------------------
// The care team's decision

export type Decision =
  | { kind: "approve" }
  | { kind: "refuse"; reason: string }
  | { kind: "safety"; note: string };

export function decide(actor: Actor, link: typeof circleLinks.$inferSelect, decision: Decision) {
  return db.transaction((tx) => {
    const now = new Date();
    if (decision.kind === "approve") {
      if (!moveLink(tx, link, "active", "care_team", { decidedAt: now, decidedBy: actor.id })) return false;
      audit(tx, "circle.approved", actor, link.id);
      return true;
    }
    const changes =
      decision.kind === "refuse"
        ? { refusalReason: decision.reason }
        : { safetyConcern: true, safetyNote: decision.note };
    if (!moveLink(tx, link, "refused", "care_team", { ...changes, decidedAt: now, decidedBy: actor.id, endedAt: now, endedBy: actor.id })) {
      return false;
    }
    endCurrentConsent(tx, link, "ended", decision.kind === "refuse" ? "refused" : "refused_safety", actor.id, now);
    audit(tx, decision.kind === "refuse" ? "circle.refused" : "circle.safety_flagged", actor, link.id);
    return true;
  });
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
  if (facts.expiryKind === "episode_end") return facts.episodeEndedAt && facts.episodeEndedAt <= now ? facts.episodeEndedAt : null;
  // A consent "ends on" its date: it holds through that whole day in the program's time zone.
  if (facts.expiresOn && facts.expiresOn < calendarDateIn(facts.timeZone, now)) return now;
  return null;
}

const linkEpisode = alias(episodes, "link_episode");

function liveLinksWithConsent(where: ReturnType<typeof and>) {
  return db
    .select({
      link: circleLinks,
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
    .innerJoin(programs, eq(programs.id, circleLinks.programId))
    .where(and(inArray(circleLinks.status, ["accepted", "active"]), where))
    .all();
}

/** Marks every lapsed link among these as expired, with its consent, in one transaction each. */
function settleExpiry(rows: ReturnType<typeof liveLinksWithConsent>, now = new Date()) {
  const live: typeof rows = [];
  for (const row of rows) {
    const lapsedAt = consentLapsedAt(row, now);
    if (!lapsedAt) {
      live.push(row);
      continue;
    }
    db.transaction((tx) => {
      if (!moveLink(tx, row.link, "expired", "system", { endedAt: lapsedAt })) return;
      endCurrentConsent(tx, row.link, "expired", row.expiryKind === "date" ? "expired_on_date" : "episode_ended", null, lapsedAt);
      audit(tx, "circle.expired", { id: null, programId: row.link.programId, ipAddress: null }, row.link.id);
    });
  }
  return live;
}

/** Expires whatever has lapsed in one patient's circle (called before the circle is shown). */
export function settlePatientCircle(patientId: string) {
  settleExpiry(liveLinksWithConsent(eq(circleLinks.patientId, patientId)));
}

export type Grant = {
  linkId: string;
  programId: string;
  patientId: string;
  supporterId: string;
  consentId: string;
  consentVersion: number;
  categories: SharingCategory[];
};

/**
 * What this supporter may see of this link's patient right now: an approved link with an
 * unexpired consent, or null. Called on every request, so a revocation or an expiry takes effect
 * on the supporter's very next request.
 */
export function supporterGrant(supporterId: string, linkId: string): Grant | null {
  const rows = settleExpiry(
    liveLinksWithConsent(and(eq(circleLinks.id, linkId), eq(circleLinks.supporterId, supporterId))),
  );
  const row = rows.find((candidate) => candidate.link.status === "active");
  return row ? grantOf(row) : null;
}

function grantOf(row: ReturnType<typeof liveLinksWithConsent>[number]): Grant {
  return {
    linkId: row.link.id,
    programId: row.link.programId,
    patientId: row.link.patientId,
    supporterId: row.link.supporterId!,
    consentId: row.consentId,
    consentVersion: row.version,
    categories: row.categories,
  };
}

/** Every live grant this supporter holds, across patients (expiry settled first, as for one link). */
export function supporterGrants(supporterId: string): Grant[] {
  return settleExpiry(liveLinksWithConsent(eq(circleLinks.supporterId, supporterId)))
    .filter((row) => row.link.status === "active")
    .map(grantOf);
}

/** The patient's approved supporters whose live consent includes `category`, for choosing an audience. */
export function patientGrants(patientId: string, category: SharingCategory) {
  return settleExpiry(liveLinksWithConsent(eq(circleLinks.patientId, patientId)))
    .filter((row) => row.link.status === "active" && row.categories.includes(category))
    .map((row) => ({ ...grantOf(row), supporterName: row.link.invitedName }));
}

/** Writes one disclosure-log row per item shown to the supporter, in the request that shows it. */
export function recordDisclosures(grant: Grant, items: { category: SharingCategory; itemType: string; itemId: string }[]) {
  if (items.length === 0) return;
  const now = new Date();
  for (const item of items) {
    if (!grant.categories.includes(item.category)) throw new Error("Disclosure outside the consented categories");
  }
  db.insert(disclosureLog)
    .values(
      items.map((item) => ({
        programId: grant.programId,
        patientId: grant.patientId,
        linkId: grant.linkId,
        consentId: grant.consentId,
        kind: "disclosure" as const,
        category: item.category,
        itemType: item.itemType,
        itemId: item.itemId,
        actorUserId: grant.supporterId,
        occurredAt: now,
      })),
    )
    .run();
}

// ---------------------------------------------------------------------------------------------
// Lists

/** The patient's circle, newest first, with each link's current (or last) consent. */
export function patientCircle(patientId: string) {
  settlePatientCircle(patientId);
  const links = db
    .select()
    .from(circleLinks)
    .where(eq(circleLinks.patientId, patientId))
    .orderBy(desc(circleLinks.invitedAt))
    .all();
  const consentRows = db
    .select()
    .from(consents)
    .where(eq(consents.patientId, patientId))
    .orderBy(desc(consents.version))
    .all();
  return links.map((link) => ({
    link,
    consent: consentRows.find((consent) => consent.linkId === link.id)!,
  }));
}

export function consentHistory(linkId: string) {
  return db.select().from(consents).where(eq(consents.linkId, linkId)).orderBy(desc(consents.version)).all();
}

/**
 * The supporter's circles across patients, with each link's latest consent. Only what the
 * supporter may know: never the refusal reason or a safety note.
 */
export function supporterCircles(supporterId: string) {
  settleExpiry(liveLinksWithConsent(eq(circleLinks.supporterId, supporterId)));
  const patient = alias(memberships, "patient");
  return db
    .select({
      linkId: circleLinks.id,
      programId: circleLinks.programId,
      patientId: circleLinks.patientId,
      status: circleLinks.status,
      consentId: consents.id,
      patientName: patient.name,
      programName: programs.name,
      categories: consents.categories,
      consentStatus: consents.status,
    })
    .from(circleLinks)
    .innerJoin(patient, eq(patient.id, circleLinks.patientId))
    .innerJoin(programs, eq(programs.id, circleLinks.programId))
    .innerJoin(consents, eq(consents.linkId, circleLinks.id))
    .where(and(eq(circleLinks.supporterId, supporterId)))
    .orderBy(desc(circleLinks.updatedAt), desc(consents.version))
    .all()
    .filter((row, index, all) => all.findIndex((other) => other.linkId === row.linkId) === index);
}

/**
 * Links waiting for a decision that this care-team member may make: a therapist's own patients,
 * or the whole program for an admin. Oldest request first; dates in the program's time zone.
 */
export function approvalQueue(member: { id: string; programId: string; role: string }) {
  const patient = alias(memberships, "patient");
  const supporter = alias(memberships, "supporter");
  return db
    .select({
      link: circleLinks,
      patientName: patient.name,
      supporterName: supporter.name,
      categories: consents.categories,
      expiryKind: consents.expiryKind,
      expiresOn: consents.expiresOn,
      timeZone: programs.timeZone,
    })
    .from(circleLinks)
    .innerJoin(episodes, eq(episodes.id, circleLinks.episodeId))
    .innerJoin(programs, eq(programs.id, circleLinks.programId))
    .innerJoin(patient, eq(patient.id, circleLinks.patientId))
    .innerJoin(supporter, eq(supporter.id, circleLinks.supporterId))
    .innerJoin(consents, and(eq(consents.linkId, circleLinks.id), eq(consents.status, "active")))
    .where(
      and(
        eq(circleLinks.programId, member.programId),
        eq(circleLinks.status, "accepted"),
        member.role === "admin" ? undefined : eq(episodes.primaryTherapistId, member.id),
      ),
    )
    .orderBy(circleLinks.acceptedAt)
    .all()
    .map((row) => ({
      id: row.link.id,
      patientName: row.patientName,
      supporterName: row.supporterName,
      relationship: row.link.relationship,
      categories: row.categories,
      expiryKind: row.expiryKind,
      expiresOn: row.expiresOn,
      invitedOn: calendarDateIn(row.timeZone, row.link.invitedAt),
      acceptedOn: row.link.acceptedAt ? calendarDateIn(row.timeZone, row.link.acceptedAt) : null,
    }));
}

/** The patient's name, for their own therapist or an admin of the program; undefined for anyone else. */
export function careTeamPatientName(member: { id: string; programId: string; role: string }, patientId: string) {
  const row = db
    .select({ patientName: memberships.name, therapistId: episodes.primaryTherapistId })
    .from(memberships)
    .innerJoin(episodes, and(eq(episodes.patientId, memberships.id), isNull(episodes.endedAt)))
    .where(and(eq(memberships.id, patientId), eq(memberships.programId, member.programId), eq(memberships.role, "patient")))
    .get();
  if (!row || (member.role !== "admin" && row.therapistId !== member.id)) return undefined;
  return row.patientName;
}

/** One patient's whole circle, for their own therapist or an admin; undefined for anyone else. */
export function careTeamPatientCircle(member: { id: string; programId: string; role: string }, patientId: string) {
  const patientName = careTeamPatientName(member, patientId);
  if (patientName === undefined) return undefined;
  return { patientName, circle: patientCircle(patientId) };
}
