import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi, afterEach } from "vitest";
import { disclosureLog } from "#db/schema";
import { type SharingCategory } from "~/vocabulary";
import { FutureDateError, recoveryOf, setRecoveryStart } from "~/models/milestones.server";
import { db } from "../support/database";
import { createProgramWithStaff, joinApproved } from "../support/fixtures";
import { remixHandler, requestAs } from "../support/remix-handler";

let app: Awaited<ReturnType<typeof remixHandler>>;
beforeAll(async () => {
  app = await remixHandler();
});
afterEach(() => {
  vi.useRealTimers();
});

const zone = "America/Chicago";

async function sharing(categories: SharingCategory[]) {
  const world = await createProgramWithStaff();
  const linkId = await joinApproved(world.patient, world.supporter, world.therapist, categories);
  return { ...world, linkId };
}

describe("days in recovery", () => {
  it("count whole days in the program's time zone, with the marks reached and the next one", async () => {
    const { patient } = await createProgramWithStaff();
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-04-10T12:00:00Z") });
    await setRecoveryStart(db, patient, "2026-03-01", zone);
    expect(await recoveryOf(db, patient.id, zone)).toEqual({ startDate: "2026-03-01", days: 40, reached: [1, 7, 30], next: 60 });
    // 10 April, 23:30 in Chicago is already 11 April in UTC: still day 40 for the patient.
    vi.setSystemTime(new Date("2026-04-11T04:30:00Z"));
    expect((await recoveryOf(db, patient.id, zone))?.days).toBe(40);
  });

  it("are optional: the patient may stop counting, and cannot start in the future", async () => {
    const { patient } = await createProgramWithStaff();
    expect(await recoveryOf(db, patient.id, zone)).toBeNull();
    await expect(setRecoveryStart(db, patient, "2999-01-01", zone)).rejects.toThrow(FutureDateError);
    expect(await recoveryOf(db, patient.id, zone)).toBeNull();
    await setRecoveryStart(db, patient, "2026-01-01", zone);
    await setRecoveryStart(db, patient, null, zone);
    expect(await recoveryOf(db, patient.id, zone)).toBeNull();
  });
});

describe("a supporter's view of milestones", () => {
  it("shows the days with a tip on celebrating, and logs it, only under a consent that includes milestones", async () => {
    const withMilestones = await sharing(["milestones"]);
    await setRecoveryStart(db, withMilestones.patient, "2026-01-01", zone);
    const html = await (await requestAs(app, `/supporter/circles/${withMilestones.linkId}`, withMilestones.supporter.id)).text();
    expect(html).toMatch(/\d+ days in recovery/);
    expect(html).toContain("Celebrating well");
    const logged = await db
      .select()
      .from(disclosureLog)
      .where(and(eq(disclosureLog.linkId, withMilestones.linkId), eq(disclosureLog.itemType, "recovery_days")))
      .all();
    expect(logged).toHaveLength(1);

    const progressOnly = await sharing(["progress"]);
    await setRecoveryStart(db, progressOnly.patient, "2026-01-01", zone);
    const other = await (await requestAs(app, `/supporter/circles/${progressOnly.linkId}`, progressOnly.supporter.id)).text();
    expect(other).not.toMatch(/days in recovery/);
    expect(await db.select().from(disclosureLog).where(eq(disclosureLog.itemType, "recovery_days")).all()).toHaveLength(1);
  });

  it("the patient's form refuses a date in the future at the field", async () => {
    const { patient } = await createProgramWithStaff();
    const response = await requestAs(app, "/patient/milestones", patient.id, { intent: "save", startDate: "2999-01-01" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Choose today or a day before.");
    expect(await recoveryOf(db, patient.id, zone)).toBeNull();
  });
});
