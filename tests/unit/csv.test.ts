import { describe, expect, it } from "vitest";
import { csvField, csvRow } from "~/utils/csv";
import { calendarDateIn, startOfDayIn } from "~/utils/dates";

describe("CSV fields", () => {
  it("quotes every field and doubles quotes inside", () => {
    expect(csvField("plain")).toBe('"plain"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("a, b")).toBe('"a, b"');
    expect(csvField("line one\nline two\r\nthree")).toBe('"line one\nline two\r\nthree"');
    expect(csvField(42)).toBe('"42"');
    expect(csvField(null)).toBe('""');
    expect(csvField(undefined)).toBe('""');
    expect(csvField("")).toBe('""');
  });

  it("defuses cells a spreadsheet would run as a formula", () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField("+1+2")).toBe('"\'+1+2"');
    expect(csvField("-2+3")).toBe('"\'-2+3"');
    expect(csvField("@SUM(A1)")).toBe('"\'@SUM(A1)"');
    expect(csvField("\t=1")).toBe('"\'\t=1"');
    expect(csvField("\r=1")).toBe('"\'\r=1"');
    // Only a leading character makes a formula.
    expect(csvField("a=b")).toBe('"a=b"');
    expect(csvField("2026-03-08T08:00:00.000Z")).toBe('"2026-03-08T08:00:00.000Z"');
  });

  it("writes a record with a CRLF line end", () => {
    expect(csvRow(["a", 1, null, "=x"])).toBe('"a","1","","\'=x"\r\n');
  });
});

describe("the first instant of a day in a time zone", () => {
  it("is local midnight, whatever the offset that day", () => {
    expect(startOfDayIn("America/Los_Angeles", "2026-01-15").toISOString()).toBe("2026-01-15T08:00:00.000Z");
    expect(startOfDayIn("America/Los_Angeles", "2026-07-15").toISOString()).toBe("2026-07-15T07:00:00.000Z");
    expect(startOfDayIn("UTC", "2026-07-15").toISOString()).toBe("2026-07-15T00:00:00.000Z");
    expect(startOfDayIn("Asia/Kolkata", "2026-07-15").toISOString()).toBe("2026-07-14T18:30:00.000Z");
    expect(startOfDayIn("Pacific/Kiritimati", "2026-07-15").toISOString()).toBe("2026-07-14T10:00:00.000Z");
    expect(startOfDayIn("Pacific/Pago_Pago", "2026-07-15").toISOString()).toBe("2026-07-15T11:00:00.000Z");
  });

  it("gives the 23- and 25-hour days of daylight-saving changes their true length", () => {
    const hours = (timeZone: string, from: string, to: string) =>
      (startOfDayIn(timeZone, to).getTime() - startOfDayIn(timeZone, from).getTime()) / 3_600_000;
    expect(hours("America/Los_Angeles", "2026-03-08", "2026-03-09")).toBe(23);
    expect(hours("America/Los_Angeles", "2026-11-01", "2026-11-02")).toBe(25);
  });

  it("starts a day whose midnight is skipped at its first minute", () => {
    // Chile moves its clocks from 00:00 to 01:00 on the first Sunday of September.
    const start = startOfDayIn("America/Santiago", "2026-09-06");
    expect(calendarDateIn("America/Santiago", start)).toBe("2026-09-06");
    expect(calendarDateIn("America/Santiago", new Date(start.getTime() - 60_000))).toBe("2026-09-05");
  });
});
