/** Calendar dates are ISO strings (YYYY-MM-DD) in the program's time zone; instants are Dates. */

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const match = isoDate.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The formats this module uses; each formatter is made for a locale and a time zone. */
const formats = {
  calendarDate: { year: "numeric", month: "2-digit", day: "2-digit" },
  longDate: { dateStyle: "long" },
  instant: { dateStyle: "medium", timeStyle: "short" },
  clockTime: { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/**
 * Building an Intl formatter costs far more than using one: one is kept per format, locale and time zone,
 * found by a key made of those three strings (a page of a year's disclosures formats hundreds of instants).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(format: keyof typeof formats, locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${format}|${locale}|${timeZone}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(locale, { ...formats[format], timeZone });
    formatters.set(key, cached);
  }
  return cached;
}

/** The calendar date that `instant` falls on in `timeZone`. */
export function calendarDateIn(timeZone: string, instant: Date = new Date()): string {
  const parts = formatter("calendarDate", "en-CA", timeZone).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

function toUtcDay(date: string): number {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return toUtcDay(to) - toUtcDay(from);
}

/** The ISO day of the week of a calendar date: 1 for Monday to 7 for Sunday. */
export function isoWeekday(date: string): number {
  return ((new Date(toUtcDay(date) * 86_400_000).getUTCDay() + 6) % 7) + 1;
}

export function addDays(date: string, days: number): string {
  return new Date((toUtcDay(date) + days) * 86_400_000).toISOString().slice(0, 10);
}

/** A calendar date for the reader's locale, e.g. "March 3, 2026" or "3 March 2026". */
export function formatCalendarDate(locale: string, date: string): string {
  return formatter("longDate", locale, "UTC").format(new Date(toUtcDay(date) * 86_400_000));
}

/** An instant shown in the program's time zone, for the reader's locale. */
export function formatInstant(locale: string, timeZone: string, instant: Date | number): string {
  return formatter("instant", locale, timeZone).format(instant);
}

/**
 * The first instant of calendar day `date` in `timeZone`. Found by bisection on whole minutes rather than
 * from an offset, so that a day whose midnight a daylight-saving change skips still starts when its first
 * minute does (offsets lie within ±14 hours, so the answer is within 15 hours of midnight UTC).
 */
export function startOfDayIn(timeZone: string, date: string): Date {
  const minuteMs = 60_000;
  const midnightUtc = Date.parse(`${date}T00:00:00Z`) / minuteMs;
  let before = midnightUtc - 15 * 60;
  let onOrAfter = midnightUtc + 15 * 60;
  while (onOrAfter - before > 1) {
    const middle = Math.floor((before + onOrAfter) / 2);
    if (calendarDateIn(timeZone, new Date(middle * minuteMs)) >= date) onOrAfter = middle;
    else before = middle;
  }
  return new Date(onOrAfter * minuteMs);
}

const clockTime = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A wall-clock time "HH:MM" (24-hour). */
export function isClockTime(value: string): boolean {
  return clockTime.test(value);
}

/** Minutes since midnight of a wall-clock time "HH:MM". */
export function minutesOfClockTime(value: string): number {
  const [hours, minutes] = value.split(":").map(Number) as [number, number];
  return hours * 60 + minutes;
}

/** The wall-clock time "HH:MM" that `instant` shows in `timeZone`. */
export function clockTimeIn(timeZone: string, instant: Date): string {
  const parts = formatter("clockTime", "en-GB", timeZone).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("hour")}:${part("minute")}`;
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(timeZone: string, instant: number): number {
  const wall = Date.parse(`${calendarDateIn(timeZone, new Date(instant))}T${clockTimeIn(timeZone, new Date(instant))}:00Z`);
  return wall - Math.floor(instant / 60_000) * 60_000;
}

/**
 * The instant at which `timeZone`'s wall clock shows `time` on `date`. The offset is read twice, so
 * that a date on either side of a daylight-saving change gets its own (a time the change skips
 * resolves to an instant beside it).
 */
export function instantAt(timeZone: string, date: string, time: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  const first = wall - offsetAt(timeZone, wall);
  return new Date(wall - offsetAt(timeZone, first));
}
