import { describe, expect, it } from "vitest";
import { negotiateFormatLocale, negotiateLanguage, translator } from "~/i18n/i18n";
import { programWeek } from "~/models/episode.server";
import { safeRedirectPath } from "~/policy.server";
import { addDays, calendarDateIn, daysBetween, formatCalendarDate, isCalendarDate } from "~/utils/dates";

describe("calendar dates", () => {
  it("accepts only real dates", () => {
    expect(isCalendarDate("2026-02-28")).toBe(true);
    expect(isCalendarDate("2028-02-29")).toBe(true);
    expect(isCalendarDate("2026-02-29")).toBe(false);
    expect(isCalendarDate("2026-13-01")).toBe(false);
    expect(isCalendarDate("26-1-1")).toBe(false);
  });

  it("uses the program's time zone for 'today'", () => {
    const instant = new Date("2026-03-10T03:30:00Z");
    expect(calendarDateIn("America/Chicago", instant)).toBe("2026-03-09");
    expect(calendarDateIn("Europe/Madrid", instant)).toBe("2026-03-10");
  });

  it("counts days across month ends and daylight-saving changes", () => {
    expect(daysBetween("2026-03-07", "2026-03-09")).toBe(2);
    expect(daysBetween("2026-03-09", "2026-03-07")).toBe(-2);
    expect(addDays("2026-02-27", 3)).toBe("2026-03-02");
  });

  it("formats for the reader's locale", () => {
    expect(formatCalendarDate("en-US", "2026-03-04")).toBe("March 4, 2026");
    expect(formatCalendarDate("en-GB", "2026-03-04")).toBe("4 March 2026");
  });
});

describe("program week", () => {
  it("is week 1 on the first day and week 3 on day 15", () => {
    expect(programWeek("2026-01-05", 10, "2026-01-05")).toEqual({ week: 1, plannedWeeks: 10, started: true, finished: false });
    expect(programWeek("2026-01-05", 10, "2026-01-19").week).toBe(3);
  });

  it("knows before the start and after the planned end", () => {
    expect(programWeek("2026-01-05", 10, "2026-01-04").started).toBe(false);
    expect(programWeek("2026-01-05", 10, "2026-03-16")).toMatchObject({ week: 10, finished: true });
  });
});

describe("languages", () => {
  it("speaks Spanish to a Spanish browser, English to any other, and writes dates in the reader's variant of it", () => {
    expect(negotiateLanguage("es-MX,es;q=0.9,en;q=0.5")).toBe("es");
    expect(negotiateLanguage("fr-FR,de;q=0.8")).toBe("en");
    expect(negotiateLanguage("fr-FR,es;q=0.3,en;q=0.2")).toBe("es");
    expect(negotiateLanguage(null)).toBe("en");
    expect(negotiateFormatLocale("en-GB,en;q=0.8")).toBe("en-GB");
    expect(negotiateFormatLocale("es-MX,es;q=0.9", "es")).toBe("es-MX");
    // A page in Spanish for a browser that asked for English writes its dates the Spanish way.
    expect(negotiateFormatLocale("en-GB", "es")).toBe("es-US");
    expect(negotiateFormatLocale("xx-invalid-@@, fr;q=0.5")).toBe("en-US");
    expect(negotiateFormatLocale(null)).toBe("en-US");
  });

  it("interpolates and keeps e-mail text neutral", () => {
    const t = translator("en");
    expect(t("episode.week", { week: 3, weeks: 10 })).toBe("Week 3 of 10");
    expect(t("mail.activation.subject")).toBe("You have been invited to Care Circle");
  });
});

describe("return paths after sign-in", () => {
  it("keeps local paths and drops everything else", () => {
    expect(safeRedirectPath("/account/sessions", "/patient")).toBe("/account/sessions");
    expect(safeRedirectPath("//evil.example/x", "/patient")).toBe("/patient");
    expect(safeRedirectPath("/\\evil.example", "/patient")).toBe("/patient");
    expect(safeRedirectPath("https://evil.example", "/patient")).toBe("/patient");
    expect(safeRedirectPath(null, "/patient")).toBe("/patient");
  });
});
