import { addDays, calendarDateIn, daysBetween } from "~/utils/dates";

export const trendWeeks = 12;

export type TrendWeek = { weekStart: string; mood: number | null; craving: number | null; count: number };

/** The Monday of the week `date` falls in. */
function mondayOf(date: string) {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

/**
 * Average mood and craving per week (Monday to Sunday in the program's time zone), for the last
 * `weeks` weeks up to and including this one. Weeks without a value stay empty rather than zero.
 */
export function weeklyTrend(
  entries: { createdAt: Date; mood: number | null; craving: number | null }[],
  timeZone: string,
  now = new Date(),
  weeks = trendWeeks,
): TrendWeek[] {
  const thisWeek = mondayOf(calendarDateIn(timeZone, now));
  const first = addDays(thisWeek, -7 * (weeks - 1));
  const buckets = Array.from({ length: weeks }, (_, i) => ({
    weekStart: addDays(first, 7 * i),
    moods: [] as number[],
    cravings: [] as number[],
  }));
  for (const entry of entries) {
    const index = Math.floor(daysBetween(first, calendarDateIn(timeZone, entry.createdAt)) / 7);
    const bucket = buckets[index];
    if (!bucket) continue;
    if (entry.mood !== null) bucket.moods.push(entry.mood);
    if (entry.craving !== null) bucket.cravings.push(entry.craving);
  }
  const mean = (values: number[]) =>
    values.length ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10 : null;
  return buckets.map((bucket) => ({
    weekStart: bucket.weekStart,
    mood: mean(bucket.moods),
    craving: mean(bucket.cravings),
    count: Math.max(bucket.moods.length, bucket.cravings.length),
  }));
}

/** Earliest instant a trend needs: the Monday `weeks - 1` weeks ago, with a day's margin for time zones. */
export function trendSince(now = new Date(), weeks = trendWeeks) {
  return new Date(now.getTime() - (7 * weeks + 1) * 86_400_000);
}
