import { daysBetween } from "~/utils/dates";

/** The days worth marking (docs/product.md, "Milestones"). Shared with the browser, so not in a .server module. */
export const milestoneDays = [1, 7, 30, 60, 90, 180, 365] as const;

export type Recovery = { startDate: string; days: number; reached: number[]; next: number | null };

/** Whole days from the start date to `today` (both calendar dates), with the marks reached and the next one. */
export function recoveryFrom(startDate: string, today: string): Recovery {
  const days = Math.max(0, daysBetween(startDate, today));
  return {
    startDate,
    days,
    reached: milestoneDays.filter((mark) => days >= mark),
    next: milestoneDays.find((mark) => days < mark) ?? null,
  };
}
