import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Database } from "#db/database";
import { circleLinks, consents, episodes, memberships, people, programs } from "#db/schema";
import { sharingCategories, type Relationship, type SharingCategory } from "~/vocabulary";
import type { LocaleInfo } from "~/i18n/i18n";
import { serverTranslator } from "~/i18n/locale.server";
import { normalizeEmail } from "~/models/account.server";
import { openStatuses } from "~/models/circle-state";
import { auditLink, CircleRuleError, logConsentEvent, type Actor } from "~/models/circle-link.server";
import { consentText, type ConsentElements } from "~/models/consent-text";
import { newId } from "~/utils/crypto.server";
import { calendarDateIn } from "~/utils/dates";

/**
 * Part 2 consents: the elements the patient signs, their text, and new versions. A consent is
 * never edited; a change of what a supporter sees is a new version and the old one is superseded.
 */

/** What the patient fills in to invite someone or to change what they see. */
export type ConsentChoice = {
  categories: SharingCategory[];
  purpose: string;
  expiryKind: "date" | "episode_end";
  expiresOn: string | null;
  signature: string;
};

/** The patient's open episode and program, needed for every consent. */
export async function patientContext(db: Database, patientId: string) {
  return db
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

export type PatientContext = NonNullable<Awaited<ReturnType<typeof patientContext>>>;

function namesMatch(signature: string, name: string) {
  const normalize = (value: string) => value.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
  return normalize(signature) === normalize(name);
}

/** Checks the rules a consent signed at `at` must meet beyond its form (the signature, the expiry date). */
export function checkConsentChoice(context: PatientContext, choice: ConsentChoice, at = new Date()) {
  if (!namesMatch(choice.signature, context.patientName)) throw new CircleRuleError("signature", "consent.signature.mismatch");
  if (choice.expiryKind === "date") {
    const today = calendarDateIn(context.timeZone, at);
    if (!choice.expiresOn || choice.expiresOn <= today) throw new CircleRuleError("expiresOn", "consent.expiresOn.past");
  }
}

/** The elements of the consent as they will be stored, for the preview and for signing at `at`. */
export function consentElements(
  context: PatientContext,
  recipient: { name: string; email: string; relationship: Relationship },
  choice: ConsentChoice,
  at = new Date(),
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
    signedOn: calendarDateIn(context.timeZone, at),
  };
}

/** The consent in the language it is read and signed in, dates written for it. */
export function renderConsent(elements: ConsentElements, locale: LocaleInfo, state: "unsigned" | "signed") {
  return consentText(serverTranslator(locale.language), locale.formatLocale, elements, state);
}

/** The consent as it is stored when signed at `signedAt`: its elements and its text exactly as the patient read it. */
export function consentRow(
  link: { id: string; programId: string; patientId: string },
  context: PatientContext,
  elements: ConsentElements,
  version: number,
  locale: LocaleInfo,
  signedAt: Date,
): typeof consents.$inferInsert & { id: string } {
  return {
    id: newId(),
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
    revocationStatement: serverTranslator(locale.language)("consent.text.revoke"),
    expiryKind: elements.expiryKind,
    expiresOn: elements.expiresOn,
    episodeId: context.episodeId,
    signature: elements.signature,
    signedAt,
    // The signature line carries the name on the account, as in the preview the patient signed.
    text: renderConsent({ ...elements, signature: context.patientName }, locale, "signed"),
    language: locale.language,
  };
}

export async function writeConsent(
  tx: Database,
  link: { id: string; programId: string; patientId: string },
  context: PatientContext,
  elements: ConsentElements,
  version: number,
  locale: LocaleInfo,
  actorId: string,
) {
  const now = new Date();
  const row = consentRow(link, context, elements, version, locale, now);
  await tx.insert(consents).values(row);
  await logConsentEvent(tx, link, row.id, "consent_signed", version === 1 ? "signed" : "new_version", actorId, now);
  return row.id;
}

/** A new consent version for a link that is waiting or active; the previous version is superseded. */
export async function changeConsent(db: Database, actor: Actor, linkId: string, choice: ConsentChoice, locale: LocaleInfo) {
  const context = await patientContext(db, actor.id);
  if (!context) throw new CircleRuleError("form", "circle.invite.noEpisode");
  checkConsentChoice(context, choice);
  return db.transaction(async (tx) => {
    const link = await tx
      .select()
      .from(circleLinks)
      .where(and(eq(circleLinks.id, linkId), eq(circleLinks.patientId, actor.id), inArray(circleLinks.status, [...openStatuses])))
      .get();
    if (!link) return null;
    const current = await tx
      .select()
      .from(consents)
      .where(and(eq(consents.linkId, link.id), eq(consents.status, "active")))
      .get();
    if (!current) return null;
    await tx.update(consents).set({ status: "superseded", endedAt: new Date() }).where(eq(consents.id, current.id));
    await logConsentEvent(tx, link, current.id, "consent_superseded", "superseded", actor.id);
    const elements = consentElements(
      context,
      { name: current.recipientName, email: current.recipientEmail, relationship: current.recipientRelationship },
      choice,
    );
    const consentId = await writeConsent(tx, link, context, elements, current.version + 1, locale, actor.id);
    await auditLink(tx, "circle.consent_changed", actor, link.id);
    return { consentId, version: current.version + 1 };
  });
}

/**
 * The consent written again in the reader's language from its stored elements, for reference beside
 * the text as signed; null when the reader reads the language it was signed in. The purpose stays in
 * the words the patient signed.
 */
export function courtesyTranslation(consent: typeof consents.$inferSelect, locale: LocaleInfo, timeZone: string) {
  if (consent.language === locale.language) return null;
  const elements: ConsentElements = {
    patientName: consent.patientName,
    disclosingProgram: consent.disclosingProgram,
    categories: consent.categories,
    recipientName: consent.recipientName,
    recipientEmail: consent.recipientEmail,
    recipientRelationship: consent.recipientRelationship,
    purpose: consent.purpose,
    expiryKind: consent.expiryKind,
    expiresOn: consent.expiresOn,
    // As in the stored text: the signature line carries the name on the account.
    signature: consent.patientName,
    signedOn: calendarDateIn(timeZone, consent.signedAt),
  };
  return renderConsent(elements, locale, "signed");
}

export async function consentHistory(db: Database, linkId: string) {
  return db.select().from(consents).where(eq(consents.linkId, linkId)).orderBy(desc(consents.version)).all();
}
