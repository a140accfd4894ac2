import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, calendarDateIn, clockTimeIn, instantAt } from "~/utils/dates";

describe("wall-clock times in a program's time zone", () => {
  it("places 18:00 in Los Angeles on either side of both daylight-saving changes", () => {
    expect(instantAt("America/Los_Angeles", "2027-03-13", "18:00").toISOString()).toBe("2027-03-14T02:00:00.000Z");
    expect(instantAt("America/Los_Angeles", "2027-03-15", "18:00").toISOString()).toBe("2027-03-16T01:00:00.000Z");
    expect(instantAt("America/Los_Angeles", "2027-11-06", "18:00").toISOString()).toBe("2027-11-07T01:00:00.000Z");
    expect(instantAt("America/Los_Angeles", "2027-11-08", "18:00").toISOString()).toBe("2027-11-09T02:00:00.000Z");
  });

  it("reads back the same date and time it was given, in any zone, on any day", () => {
    const zones = ["America/Los_Angeles", "America/Chicago", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 3 * 366 }),
        // 03:00 onward: no zone here skips or repeats those hours.
        fc.integer({ min: 3 * 60, max: 24 * 60 - 1 }),
        (zone, day, minutes) => {
          const date = addDays("2026-01-01", day);
          const time = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
          const instant = instantAt(zone, date, time);
          expect([calendarDateIn(zone, instant), clockTimeIn(zone, instant)]).toEqual([date, time]);
        },
      ),
    );
  });
});
