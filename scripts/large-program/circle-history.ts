import { englishLocale } from "~/i18n/i18n";
import type { circleLinks, consents, disclosureLog } from "#db/schema";
import { consentEventRow } from "~/models/circle-link.server";
import {
  checkConsentChoice,
  consentElements,
  consentRow,
  type ConsentChoice,
  type PatientContext,
} from "~/models/consent.server";
import type { ConsentStatus } from "~/vocabulary";
import type { AuditTrail } from "./audit-trail";
import type { ProgramCalendar } from "./calendar";
import type { LinkPlan, ProgramPlan } from "./plan";
import type { Random } from "./random";

/**
 * A link's history as rows: the link in its final state, and each consent version exactly as the app
 * signs it (its elements and text from the app's own functions, after the checks the consent form makes),
 * with the status it has today, and the consent events of the patient's accounting of disclosures.
 */

const locale = englishLocale;

type DisclosureRow = typeof disclosureLog.$inferInsert;

export function linkRow(plan: ProgramPlan, link: LinkPlan): typeof circleLinks.$inferInsert {
  const updatedAt = Math.max(link.invitedAt, link.resentAt ?? 0, link.acceptedAt ?? 0, link.decidedAt ?? 0, link.endedAt ?? 0);
  return {
    id: link.id,
    programId: plan.programId,
    patientId: link.patient.member.id,
    episodeId: link.patient.episodeId,
    supporterId: link.supporter?.member.id ?? null,
    invitedName: link.invitedName,
    invitedEmail: link.invitee.email,
    relationship: link.relationship,
    status: link.status,
    invitationTokenHash: link.invitationTokenHash,
    invitationExpiresAt: new Date(link.invitationExpiresAt),
    invitedAt: new Date(link.invitedAt),
    acceptedAt: link.acceptedAt === null ? null : new Date(link.acceptedAt),
    decidedAt: link.decidedAt === null ? null : new Date(link.decidedAt),
    decidedBy: link.decidedBy?.id ?? null,
    refusalReason: link.refusalReason,
    safetyConcern: link.safetyNote !== null,
    safetyNote: link.safetyNote,
    endedAt: link.endedAt === null ? null : new Date(link.endedAt),
    endedBy: link.endedBy?.id ?? null,
    updatedAt: new Date(updatedAt),
  };
}

/** How the current consent ends with the link: its status and the event's detail. */
function consentEnding(link: LinkPlan): { status: ConsentStatus; detail: string } | null {
  if (link.status === "revoked") return { status: "revoked", detail: `revoked_by_${link.endedAs}` };
  if (link.status === "expired") return { status: "expired", detail: "expired_on_date" };
  if (link.status === "cancelled") return { status: "ended", detail: "invitation_cancelled" };
  if (link.status === "refused") return { status: "ended", detail: link.safetyNote ? "refused_safety" : "refused" };
  return null;
}

/** Every version of the link's consent, and the events of signing, superseding and ending them. */
export function consentHistoryRows(plan: ProgramPlan, calendar: ProgramCalendar, link: LinkPlan) {
  const patient = link.patient;
  const context: PatientContext = {
    patientName: patient.member.name,
    patientEmail: patient.member.person.email,
    programId: plan.programId,
    programName: plan.programName,
    timeZone: calendar.timeZone,
    episodeId: patient.episodeId,
  };
  const ref = { id: link.id, programId: plan.programId, patientId: patient.member.id };
  const recipient = { name: link.invitedName, email: link.invitee.email, relationship: link.relationship };
  const consentRows: (typeof consents.$inferInsert)[] = [];
  const events: DisclosureRow[] = [];
  const event = (
    consentId: string,
    kind: Parameters<typeof consentEventRow>[2],
    detail: string,
    actorId: string | null,
    at: number,
  ) =>
    events.push({
      ...consentEventRow(ref, consentId, kind, detail, actorId, new Date(at)),
      category: null,
      itemType: null,
      itemId: null,
      day: null,
      count: 1,
      lastOccurredAt: null,
    });
  const ending = consentEnding(link);
  link.consents.forEach((consent, i) => {
    const at = new Date(consent.signedAt);
    const choice: ConsentChoice = {
      categories: consent.categories,
      purpose: consent.purpose,
      expiryKind: consent.expiryKind,
      expiresOn: consent.expiresOn,
      signature: patient.member.name,
    };
    // The rules the consent form enforces (the signature, an expiry date after the day of signing).
    checkConsentChoice(context, choice, at);
    const row = consentRow(ref, context, consentElements(context, recipient, choice, at), consent.version, locale, at);
    consent.id = row.id;
    const isCurrent = i === link.consents.length - 1;
    consentRows.push({
      ...row,
      status: isCurrent ? (ending?.status ?? "active") : "superseded",
      endedAt: consent.endedAt === null ? null : new Date(consent.endedAt),
    });
    event(row.id, "consent_signed", i === 0 ? "signed" : "new_version", patient.member.id, consent.signedAt);
    if (!isCurrent) event(row.id, "consent_superseded", "superseded", patient.member.id, consent.endedAt!);
    else if (ending) event(row.id, "consent_ended", ending.detail, link.endedBy?.id ?? null, consent.endedAt!);
  });
  return { consents: consentRows, events };
}

/** The audit rows of a link's history, as each model function writes them. */
export function auditLinkHistory(audit: AuditTrail, link: LinkPlan) {
  const target = { type: "circle_link", id: link.id };
  const patient = link.patient.member;
  audit.add(link.invitedAt, "circle.invited", patient, target);
  if (link.resentAt !== null) audit.add(link.resentAt, "circle.invitation_resent", patient, target);
  if (link.acceptedAt !== null && link.supporter) {
    const supporter = link.supporter.member;
    // Signing up through the invitation activates the new account before the link is taken.
    if (link.invitee.signedUpBy === link)
      audit.add(link.acceptedAt, "account.activated", supporter, { type: "user", id: supporter.id });
    audit.add(link.acceptedAt, "circle.accepted", supporter, target);
  }
  if (link.decidedAt !== null) {
    const decision = link.approvedAt !== null ? "circle.approved" : link.safetyNote ? "circle.safety_flagged" : "circle.refused";
    audit.add(link.decidedAt, decision, link.decidedBy, target);
  }
  for (const consent of link.consents.slice(1)) audit.add(consent.signedAt, "circle.consent_changed", patient, target);
  if (link.endedAt === null) return;
  if (link.status === "revoked") audit.add(link.endedAt, "circle.revoked", link.endedBy, target);
  if (link.status === "expired") audit.add(link.endedAt, "circle.expired", null, target);
  if (link.status === "cancelled") audit.add(link.endedAt, "circle.invitation_cancelled", patient, target);
}

/**
 * The invitation page names the patient to whoever holds the link, and is logged like any disclosure
 * (`releaseToInvitee`): every accepted invitation was opened first, and some still waiting were opened.
 */
export function invitationViews(plan: ProgramPlan, calendar: ProgramCalendar, random: Random, link: LinkPlan): DisclosureRow[] {
  const first = link.consents[0]!;
  const minute = 60_000;
  let at: number;
  if (link.acceptedAt !== null) {
    at = Math.max(link.invitedAt + minute, link.acceptedAt - random.between(2, 60) * minute);
  } else {
    if (!random.chance(0.5)) return [];
    const until = Math.min(link.endedAt ?? link.invitationExpiresAt, calendar.at(1, 22));
    at = random.between(link.invitedAt + minute, until);
  }
  const until = link.acceptedAt ?? link.endedAt ?? calendar.at(1, 22.5);
  if (!(at < until)) return [];
  const again = at + random.between(1, 10) * minute;
  const day = calendar.daysAgoOf(at);
  const twice = random.chance(0.3) && again < until && calendar.daysAgoOf(again) === day;
  return [
    {
      programId: plan.programId,
      patientId: link.patient.member.id,
      linkId: link.id,
      consentId: first.id,
      kind: "disclosure",
      category: null,
      itemType: "invitation",
      itemId: link.id,
      detail: null,
      actorUserId: null,
      occurredAt: new Date(at),
      day: calendar.date(day),
      count: twice ? 2 : 1,
      lastOccurredAt: new Date(twice ? again : at),
    },
  ];
}
