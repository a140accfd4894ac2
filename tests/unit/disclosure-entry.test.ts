import { describe, expect, it } from "vitest";
import { describeDisclosure } from "~/components/disclosure-entry";
import { translator } from "~/i18n/i18n";

const t = translator("en");
const base = {
  kind: "disclosure" as const,
  detail: null,
  supporterName: "Pat Rivera",
  recipientName: "Pat Rivera",
  consentVersion: 1,
};

describe("the accounting of disclosures, in words", () => {
  it.each([
    ["progress", "check_in", "Pat Rivera saw Progress: a check-in"],
    ["progress", "slip", "Pat Rivera saw Progress: a slip you shared"],
    ["progress", "trend", "Pat Rivera saw Progress: mood and craving over the weeks"],
    ["milestones", "recovery_days", "Pat Rivera saw Milestones: your days in recovery"],
    ["milestones", "program_week", "Pat Rivera saw Milestones: your week in the program"],
    [null, "support_plan_item", "Pat Rivera saw a part of your support plan"],
    [null, "circle_list", "Pat Rivera saw your name in their list of people they support"],
  ])("%s / %s", (category, itemType, words) => {
    expect(describeDisclosure(t, { ...base, category, itemType })).toBe(words);
  });
});
