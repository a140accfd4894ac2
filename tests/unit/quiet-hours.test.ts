import { describe, expect, it } from "vitest";
import { digestPeriod, inQuietHours, quietHoursEnd, type QuietHours } from "~/models/notifications.server";

const chicago = (quiet: Partial<QuietHours> = {}): QuietHours => ({
  on: true,
  from: "22:00",
  until: "07:30",
  timeZone: "America/Chicago",
  ...quiet,
});
const at = (iso: string) => new Date(iso);

describe("quiet hours", () => {
  it("hold from their start up to (not including) their end, across midnight or within a day, and not when off", () => {
    expect(inQuietHours(chicago(), at("2027-01-11T03:59:00Z"))).toBe(false); // 21:59 CST
    expect(inQuietHours(chicago(), at("2027-01-11T04:00:00Z"))).toBe(true); // 22:00
    expect(inQuietHours(chicago(), at("2027-01-11T13:29:00Z"))).toBe(true); // 07:29
    expect(inQuietHours(chicago(), at("2027-01-11T13:30:00Z"))).toBe(false); // 07:30
    const afternoon = chicago({ from: "13:00", until: "15:00" });
    expect(inQuietHours(afternoon, at("2027-01-11T20:00:00Z"))).toBe(true); // 14:00
    expect(inQuietHours(afternoon, at("2027-01-11T22:00:00Z"))).toBe(false); // 16:00
    expect(inQuietHours(chicago({ on: false }), at("2027-01-11T05:00:00Z"))).toBe(false);
  });

  it("end at their end time on the wall clock, across a change to daylight-saving time too", () => {
    expect(quietHoursEnd(chicago(), at("2027-01-11T05:00:00Z"))).toEqual(at("2027-01-11T13:30:00Z"));
    // 23:00 CST on 13 March 2027; the clocks go forward that night: 07:30 is CDT.
    expect(quietHoursEnd(chicago(), at("2027-03-14T05:00:00Z"))).toEqual(at("2027-03-14T12:30:00Z"));
    expect(quietHoursEnd(chicago(), at("2027-01-11T18:00:00Z"))).toEqual(at("2027-01-11T18:00:00Z"));
  });
});

describe("the digest's period", () => {
  it("begins at 18:00 local: none before, the day's date after, none in quiet hours", () => {
    const quiet = chicago({ from: "21:00", until: "08:00" });
    expect(digestPeriod(quiet, at("2027-01-11T23:59:00Z"))).toBeNull(); // 17:59 CST
    expect(digestPeriod(quiet, at("2027-01-12T00:10:00Z"))).toBe("2027-01-11"); // 18:10
    expect(digestPeriod(quiet, at("2027-01-12T03:30:00Z"))).toBeNull(); // 21:30, quiet
    expect(digestPeriod(quiet, at("2027-01-12T15:00:00Z"))).toBeNull(); // 09:00 the next day
  });

  it("when quiet hours hold 18:00, comes as soon as they end, still in the evening's period", () => {
    const quiet = chicago({ from: "17:00", until: "09:00" });
    expect(digestPeriod(quiet, at("2027-01-12T00:30:00Z"))).toBeNull(); // 18:30, quiet
    expect(digestPeriod(quiet, at("2027-01-12T15:05:00Z"))).toBe("2027-01-11"); // 09:05 the next day
  });
});
