import type { Translate } from "~/i18n/i18n";

type Entry = {
  kind: "disclosure" | "consent_signed" | "consent_superseded" | "consent_ended";
  category: string | null;
  itemType: string | null;
  detail: string | null;
  supporterName: string | null;
  recipientName: string;
  consentVersion: number;
};

/** One line of the accounting of disclosures, in words ("Pat Rivera saw Milestones: program week"). */
export function describeDisclosure(t: Translate, entry: Entry) {
  const who = entry.supporterName ?? entry.recipientName;
  if (entry.kind === "disclosure") {
    if (entry.itemType === "invitation") return t("disclosures.entry.invitation", { who });
    if (entry.itemType === "circle_list") return t("disclosures.entry.circleList", { who });
    if (!entry.category) {
      return t("disclosures.entry.sawItem", {
        who,
        item: t(`disclosures.item.${entry.itemType}` as "disclosures.item.program_week", { defaultValue: entry.itemType ?? "" }),
      });
    }
    return t("disclosures.entry.saw", {
      who,
      category: entry.category ? t(`category.${entry.category}.title` as "category.progress.title") : "",
      item: t(`disclosures.item.${entry.itemType}` as "disclosures.item.program_week", { defaultValue: entry.itemType ?? "" }),
    });
  }
  return t(`disclosures.entry.${entry.kind}` as "disclosures.entry.consent_signed", {
    who,
    version: entry.consentVersion,
    detail: t(`disclosures.detail.${entry.detail}` as "disclosures.detail.signed", { defaultValue: entry.detail ?? "" }),
  });
}
