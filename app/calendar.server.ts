import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import icalTimezones from "@touch4it/ical-timezones";
import type { Language } from "~/i18n/i18n";
import { serverTranslator } from "~/i18n/locale.server";
import { calendarDateIn, clockTimeIn } from "~/utils/dates";

/**
 * Family sessions as iCalendar, for a download, a feed and an e-mail attachment alike. Each event
 * carries the program's time zone (TZID with its VTIMEZONE), a UID that never changes for the session,
 * and the session's SEQUENCE, so that a calendar replaces the event it already holds. The title is
 * neutral and nothing names the patient or their treatment: a calendar is seen by many eyes.
 */

/** UIDs must be unique across the world and the same on every download: the session id at a domain of ours. */
export const calendarUidDomain = "family-sessions.care-circle.app";

export type CalendarSession = {
  id: string;
  startsAt: Date;
  durationMinutes: number;
  location: string | null;
  videoUrl: string | null;
  status: "scheduled" | "cancelled";
  sequence: number;
  updatedAt: Date;
};

/**
 * ical-generator writes a native Date under a TZID with the Date's local-time getters, i.e. in the
 * server's own zone. So it is handed a Date whose local clock reads what the program's clock reads
 * at that instant; the TZID and VTIMEZONE then say which zone that wall-clock time belongs to.
 */
function wallClock(timeZone: string, instant: Date) {
  const [year, month, day] = calendarDateIn(timeZone, instant).split("-").map(Number) as [number, number, number];
  const [hours, minutes] = clockTimeIn(timeZone, instant).split(":").map(Number) as [number, number];
  return new Date(year, month - 1, day, hours, minutes);
}

export function calendarUid(sessionId: string) {
  return `${sessionId}@${calendarUidDomain}`;
}

/**
 * A discreet calendar (decision 021) is the same events, under the same UIDs so a calendar keeps
 * replacing them, but titled "Appointment" in a calendar that names no product.
 */
export function sessionsCalendar(
  sessions: CalendarSession[],
  timeZone: string,
  { discreet = false, language = "en" }: { discreet?: boolean; language?: Language } = {},
): string {
  const t = serverTranslator(language);
  const calendar = ical({
    prodId: discreet
      ? { company: "Calendar", product: "Appointments", language: language.toUpperCase() }
      : { company: "Care Circle", product: "Family sessions", language: language.toUpperCase() },
    name: t(discreet ? "calendar.discreet.name" : "familySessions.calendar.name"),
    method: ICalCalendarMethod.PUBLISH,
    timezone: { name: timeZone, generator: icalTimezones.getVtimezoneComponent },
  });
  for (const session of sessions) {
    calendar.createEvent({
      id: calendarUid(session.id),
      sequence: session.sequence,
      start: wallClock(timeZone, session.startsAt),
      end: wallClock(timeZone, new Date(session.startsAt.getTime() + session.durationMinutes * 60_000)),
      timezone: timeZone,
      // Written, like the times, with local getters and no zone: read as UTC by passing UTC's wall clock.
      stamp: wallClock("UTC", session.updatedAt),
      summary: t(discreet ? "calendar.discreet.summary" : "familySessions.calendar.summary"),
      location: session.location ?? session.videoUrl,
      url: session.videoUrl,
      description: session.videoUrl ? t("familySessions.calendar.videoDescription", { link: session.videoUrl }) : null,
      status: session.status === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
