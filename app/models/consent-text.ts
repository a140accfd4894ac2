import type { Relationship, SharingCategory } from "~/vocabulary";
import type { Translate } from "~/i18n/i18n";
import { formatCalendarDate } from "~/utils/dates";

/** Everything a consent says (docs/product.md, "Consent", elements 1–9). */
export type ConsentElements = {
  patientName: string;
  disclosingProgram: string;
  categories: SharingCategory[];
  recipientName: string;
  recipientEmail: string;
  recipientRelationship: Relationship;
  purpose: string;
  expiryKind: "date" | "episode_end";
  expiresOn: string | null;
  signature: string;
  /** Calendar date of signing in the program's time zone. */
  signedOn: string;
};

export const defaultPurposeKey = "consent.purpose.default";

/**
 * The consent in plain language. Before signing (`"unsigned"`) it differs from the stored text only
 * in its last line, which says who will sign it and when instead of that it was signed: a preview
 * never claims a signature that has not been given. Dates are written out for the locale it is signed in.
 */
export function consentText(t: Translate, locale: string, c: ConsentElements, state: "unsigned" | "signed"): string {
  const lines = [
    t("consent.text.title"),
    "",
    t("consent.text.who", { patient: c.patientName, program: c.disclosingProgram }),
    t("consent.text.recipient", {
      name: c.recipientName,
      relationship: t(`relationship.${c.recipientRelationship}`),
      email: c.recipientEmail,
    }),
    "",
    t("consent.text.what"),
    ...c.categories.map((category) => `- ${t(`category.${category}.title`)}: ${t(`category.${category}.description`)}`),
    t("consent.text.nothingElse"),
    "",
    t("consent.text.purpose", { purpose: c.purpose }),
    "",
    t("consent.text.revoke"),
    "",
    c.expiryKind === "date"
      ? t("consent.text.expiresOn", { date: formatCalendarDate(locale, c.expiresOn ?? "") })
      : t("consent.text.expiresAtEpisodeEnd"),
    "",
    t("consent.text.redisclosure"),
    "",
    t(state === "signed" ? "consent.text.signature" : "consent.text.toBeSigned", {
      signature: c.signature,
      date: formatCalendarDate(locale, c.signedOn),
    }),
  ];
  return lines.join("\n");
}
