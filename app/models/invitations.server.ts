import type { LocaleInfo } from "~/i18n/i18n";
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "#db/database";
import { circleLinks, consents, memberships, people } from "#db/schema";
import type { Relationship, SharingCategory } from "~/vocabulary";
import { recordAudit } from "~/models/audit.server";
import { normalizeEmail } from "~/models/account.server";
import { releaseToInvitee } from "~/models/access.server";
import { assertTransition, openStatuses } from "~/models/circle-state";
import { auditLink, CircleRuleError, endCurrentConsent, moveLink, type Actor } from "~/models/circle-link.server";
import { linkEvents, recordEvents } from "~/models/events.server";
import { checkConsentChoice, consentElements, patientContext, writeConsent, type ConsentChoice } from "~/models/consent.server";
import { isLimited, recordHit, type RateLimit } from "~/models/rate-limit.server";
import { newId, randomToken, sha256Hex } from "~/utils/crypto.server";

/**
 * Invitations: the patient invites (signing consent version 1), re-sends or cancels; the invitee
 * opens the single-use link and accepts, as a new person or as the person they already are.
 */

export const invitationLifetimeMs = 7 * 24 * 3_600_000;

export const invitationLimit: RateLimit = { limit: 20, windowMs: 24 * 3_600_000 };

export type Invitation = ConsentChoice & { name: string; email: string; relationship: Relationship };

/**
 * Whether the address signs in as a therapist or admin of this program. The care team is already
 * in the patient's care; as a supporter they would see it a second way, outside their duty.
 */
async function isProgramStaff(db: Database, programId: string, email: string) {
  return Boolean(
    await db
      .select({ id: memberships.id })
      .from(memberships)
      .innerJoin(people, eq(people.id, memberships.personId))
      .where(
        and(eq(people.email, email), eq(memberships.programId, programId), inArray(memberships.role, ["admin", "therapist"])),
      )
      .get(),
  );
}

/** Creates the invitation and its signed consent (version 1). Returns the raw token for the e-mail. */
export async function invite(db: Database, actor: Actor, invitation: Invitation, locale: LocaleInfo) {
  const context = await patientContext(db, actor.id);
  if (!context) throw new CircleRuleError("form", "circle.invite.noEpisode");
  const email = normalizeEmail(invitation.email);
  if (email === context.patientEmail) throw new CircleRuleError("email", "circle.invite.ownEmail");
  if (await isProgramStaff(db, context.programId, email)) throw new CircleRuleError("email", "circle.invite.staffEmail");
  checkConsentChoice(context, invitation);
  const rateKey = `invitations:patient:${actor.id}`;

  // The limit is read and the hit counted in the one transaction that writes the invitation, so two
  // requests at once cannot both pass a limit that has room for one more.
  return db.transaction(async (tx) => {
    if (await isLimited(tx, rateKey, invitationLimit)) throw new CircleRuleError("form", "circle.invite.rateLimited");
    const duplicate = await tx
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
    await tx.insert(circleLinks).values({
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
    });
    await writeConsent(tx, link, context, consentElements(context, invitation, invitation), 1, locale, actor.id);
    await auditLink(tx, "circle.invited", actor, link.id);
    await recordHit(tx, rateKey, invitationLimit);
    return { linkId: link.id, token, email };
  });
}

/** A new invitation link for an invitation the supporter has not accepted yet; the old link dies. */
export async function resendInvitation(db: Database, actor: Actor, linkId: string) {
  const rateKey = `invitations:patient:${actor.id}`;
  // As for `invite`: the limit is read and the hit counted in the transaction that renews the link.
  return db.transaction(async (tx) => {
    if (await isLimited(tx, rateKey, invitationLimit)) throw new CircleRuleError("form", "circle.invite.rateLimited");
    const link = await tx
      .select()
      .from(circleLinks)
      .where(and(eq(circleLinks.id, linkId), eq(circleLinks.patientId, actor.id), eq(circleLinks.status, "invited")))
      .get();
    if (!link) return null;
    const token = randomToken();
    const now = new Date();
    await tx
      .update(circleLinks)
      .set({
        invitationTokenHash: sha256Hex(token),
        invitationExpiresAt: new Date(now.getTime() + invitationLifetimeMs),
        updatedAt: now,
      })
      .where(eq(circleLinks.id, link.id));
    await auditLink(tx, "circle.invitation_resent", actor, link.id);
    await recordHit(tx, rateKey, invitationLimit);
    return { token, email: link.invitedEmail };
  });
}

/** Cancels an invitation that was not accepted yet; the link in the e-mail stops working. */
export async function cancelInvitation(db: Database, actor: Actor, linkId: string) {
  return db.transaction(async (tx) => {
    const link = await tx
      .select()
      .from(circleLinks)
      .where(and(eq(circleLinks.id, linkId), eq(circleLinks.patientId, actor.id)))
      .get();
    if (!link) return null;
    await moveLink(tx, link, "cancelled", "patient", { invitationTokenHash: null, endedAt: new Date(), endedBy: actor.id });
    await endCurrentConsent(tx, link, "ended", "invitation_cancelled", actor.id);
    await auditLink(tx, "circle.invitation_cancelled", actor, link.id);
    return link;
  });
}

export type InvitationView =
  | { state: "valid"; link: typeof circleLinks.$inferSelect; patientName: string; categories: SharingCategory[] }
  | { state: "invalid" | "expired" | "used" | "cancelled" };

/** What an invitation link is worth, without using it. A tampered token is simply invalid. */
export async function inspectInvitation(db: Database, token: string, now = new Date()): Promise<InvitationView> {
  if (!token || token.length > 200) return { state: "invalid" };
  const row = await db
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
async function supporterMembershipFor(tx: Database, person: { id: string }, link: { programId: string; invitedName: string }) {
  const existing = await tx
    .select({ id: memberships.id, status: memberships.status })
    .from(memberships)
    .where(and(eq(memberships.personId, person.id), eq(memberships.programId, link.programId), eq(memberships.role, "supporter")))
    .get();
  if (existing) return existing.status === "active" ? existing.id : null;
  const id = newId();
  await tx
    .insert(memberships)
    .values({ id, personId: person.id, programId: link.programId, name: link.invitedName, role: "supporter", status: "active" });
  return id;
}

/** Someone used the link a moment earlier; thrown to roll back whatever the acceptance wrote. */
class InvitationTakenError extends Error {}

/** Takes the link for `supporterId`: single use, the token cleared in the same guarded UPDATE. */
async function takeInvitation(tx: Database, link: { id: string }, token: string, supporterId: string) {
  assertTransition("invited", "accepted", "supporter");
  const [taken] = await tx
    .update(circleLinks)
    .set({ status: "accepted", supporterId, acceptedAt: new Date(), invitationTokenHash: null, updatedAt: new Date() })
    .where(
      and(eq(circleLinks.id, link.id), eq(circleLinks.status, "invited"), eq(circleLinks.invitationTokenHash, sha256Hex(token))),
    )
    .returning({ id: circleLinks.id, programId: circleLinks.programId, patientId: circleLinks.patientId });
  if (!taken) throw new InvitationTakenError();
  await recordEvents(tx, linkEvents({ ...taken, supporterId }, "accepted", "supporter"));
}

async function orTaken<T>(accept: () => Promise<T>) {
  try {
    return await accept();
  } catch (error) {
    if (error instanceof InvitationTakenError) return { ok: false as const, reason: "used" as const };
    throw error;
  }
}

/**
 * A signed-in person takes the invitation sent to their address, as their supporter membership in
 * the inviting patient's program. Returns that membership, for the session to act as it.
 */
export async function acceptInvitation(
  db: Database,
  token: string,
  person: { id: string; email: string },
  ipAddress: string | null,
) {
  const view = await inspectInvitation(db, token);
  if (view.state !== "valid") return { ok: false as const, reason: view.state };
  if (normalizeEmail(person.email) !== view.link.invitedEmail) return { ok: false as const, reason: "wrong_account" as const };
  return orTaken(() =>
    db.transaction(async (tx) => {
      const supporterId = await supporterMembershipFor(tx, person, view.link);
      if (!supporterId) return { ok: false as const, reason: "membership_disabled" as const };
      await takeInvitation(tx, view.link, token, supporterId);
      await auditLink(tx, "circle.accepted", { id: supporterId, programId: view.link.programId, ipAddress }, view.link.id);
      return { ok: true as const, linkId: view.link.id, supporterId };
    }),
  );
}

/**
 * A new person with a supporter membership, and the accepted invitation, together: the invitation
 * proves the e-mail address, so the account is active at once. Fails (changing nothing) if the
 * address already signs in: that person signs in and accepts.
 */
export async function acceptWithNewAccount(
  db: Database,
  token: string,
  account: { name: string; passwordHash: string },
  ipAddress: string | null,
) {
  const view = await inspectInvitation(db, token);
  if (view.state !== "valid") return { ok: false as const, reason: view.state };
  return orTaken(() =>
    db.transaction(async (tx) => {
      const existing = await tx.select({ id: people.id }).from(people).where(eq(people.email, view.link.invitedEmail)).get();
      if (existing) return { ok: false as const, reason: "account_exists" as const };
      const personId = newId();
      await tx.insert(people).values({ id: personId, email: view.link.invitedEmail, passwordHash: account.passwordHash });
      const supporterId = newId();
      await tx.insert(memberships).values({
        id: supporterId,
        personId,
        programId: view.link.programId,
        name: account.name.trim(),
        role: "supporter",
        status: "active",
      });
      await takeInvitation(tx, view.link, token, supporterId);
      const actor = { id: supporterId, programId: view.link.programId, ipAddress };
      await recordAudit(tx, {
        action: "account.activated",
        outcome: "success",
        programId: actor.programId,
        actorUserId: supporterId,
        targetType: "user",
        targetId: supporterId,
        ipAddress,
      });
      await auditLink(tx, "circle.accepted", actor, view.link.id);
      return { ok: true as const, linkId: view.link.id, personId, supporterId };
    }),
  );
}

/** Records that the invitation page showed the patient's name to whoever holds the link. */
export async function recordInvitationViewed(db: Database, link: { id: string; programId: string; patientId: string }) {
  const consent = await db
    .select({ id: consents.id })
    .from(consents)
    .where(and(eq(consents.linkId, link.id), eq(consents.status, "active")))
    .get();
  if (consent) await releaseToInvitee(db, link, consent.id);
}
