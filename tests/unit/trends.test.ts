import { describe, expect, it } from "vitest";
import { weeklyTrend } from "~/models/trends";

const zone = "America/Chicago";
// Wednesday 15 April 2026, midday in Chicago.
const now = new Date("2026-04-15T17:00:00Z");

describe("weekly trend", () => {
  it("averages mood and craving per Monday-to-Sunday week in the program's time zone", () => {
    const weeks = weeklyTrend(
      [
        { createdAt: new Date("2026-04-13T15:00:00Z"), mood: 2, craving: 8 }, // Monday this week
        { createdAt: new Date("2026-04-14T15:00:00Z"), mood: 3, craving: null },
        // Sunday 12 April at 22:00 in Chicago is already Monday in UTC: it belongs to last week.
        { createdAt: new Date("2026-04-13T03:00:00Z"), mood: 5, craving: 1 },
      ],
      zone,
      now,
      3,
    );
    expect(weeks).toEqual([
      { weekStart: "2026-03-30", mood: null, craving: null, count: 0 },
      { weekStart: "2026-04-06", mood: 5, craving: 1, count: 1 },
      { weekStart: "2026-04-13", mood: 2.5, craving: 8, count: 2 },
    ]);
  });

  it("leaves out check-ins older than the weeks shown", () => {
    const weeks = weeklyTrend([{ createdAt: new Date("2025-01-01T12:00:00Z"), mood: 1, craving: 10 }], zone, now, 2);
    expect(weeks.every((week) => week.count === 0)).toBe(true);
  });
});
