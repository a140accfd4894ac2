import { addDays, calendarDateIn, daysBetween } from "~/utils/dates";

const hourMs = 3_600_000;

/**
 * The program's calendar, counted in days before today: day 1 is yesterday. Everything the seed writes
 * happens on day 1 or earlier, at a local hour of the program's time zone, so that nothing is in the future.
 */
export class ProgramCalendar {
  readonly today: string;
  private readonly offsets = new Map<number, number>();
  private readonly dates = new Map<number, string>();

  constructor(
    readonly timeZone: string,
    readonly now: Date,
  ) {
    this.today = calendarDateIn(timeZone, now);
  }

  /** The calendar date `daysAgo` days before today. */
  date(daysAgo: number): string {
    let date = this.dates.get(daysAgo);
    if (date === undefined) {
      date = addDays(this.today, -daysAgo);
      this.dates.set(daysAgo, date);
    }
    return date;
  }

  /** The instant (epoch ms) of local `hour` (fractions allowed, 0–24) on the day `daysAgo` days before today. */
  at(daysAgo: number, hour: number): number {
    const midnightUtc = Date.parse(`${this.date(daysAgo)}T00:00:00Z`);
    return midnightUtc + hour * hourMs - this.offsetOf(daysAgo, midnightUtc);
  }

  /** The day (days before today) an instant falls on in the program's time zone. */
  daysAgoOf(instant: number): number {
    return daysBetween(calendarDateIn(this.timeZone, new Date(instant)), this.today);
  }

  /** 0 = Sunday … 6 = Saturday. */
  weekday(daysAgo: number): number {
    return new Date(`${this.date(daysAgo)}T00:00:00Z`).getUTCDay();
  }

  /** How far the zone's clock is ahead of UTC at noon that day (hours the seed uses are far from a DST switch). */
  private offsetOf(daysAgo: number, midnightUtc: number): number {
    let offset = this.offsets.get(daysAgo);
    if (offset === undefined) {
      const noon = midnightUtc + 12 * hourMs;
      const parts = new Intl.DateTimeFormat("en-US", {
        timeZone: this.timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
      }).formatToParts(new Date(noon));
      const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
      offset = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute")) - noon;
      this.offsets.set(daysAgo, offset);
    }
    return offset;
  }
}

export const hours = (count: number) => count * hourMs;
export const days = (count: number) => count * 24 * hourMs;
