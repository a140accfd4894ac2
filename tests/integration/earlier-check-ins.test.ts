import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { checkInAudience, circleLinks, events } from "#db/schema";
import { capabilitiesFor } from "~/models/access.server";
import { revokeLink } from "~/models/care-circle.server";
import {
  createCheckIn,
  earlierCheckInsFor,
  shareEarlierCheckIns,
  supporterFeed,
  type CheckInInput,
} from "~/models/check-in.server";
import { db } from "../support/database";
import { createActiveUser, createProgramWithStaff, joinApproved, type TestUser } from "../support/fixtures";
import { remixHandler, requestAs } from "../support/remix-handler";

/**
 * A supporter approved after the patient started writing sees only what is shared from then on; the
 * patient may add them to earlier check-ins they pick, never to a private one and never by itself.
 */

let app: Awaited<ReturnType<typeof remixHandler>>;
beforeAll(async () => {
  app = await remixHandler();
});

const checkIn = (wins: string, audience: string[], sharedWithCareTeam: boolean): CheckInInput => ({
  kind: "check_in",
  mood: 3,
  craving: 1,
  wins,
  hard: null,
  helpRequest: null,
  audience,
  sharedWithCareTeam,
});

/** A patient who wrote three check-ins before a second supporter joined: one for the team, one private, one for the first supporter. */
async function world() {
  const staff = await createProgramWithStaff("Earlier check-ins");
  const firstLink = await joinApproved(staff.patient, staff.supporter, staff.therapist, ["progress"]);
  const forTeam = await createCheckIn(db, staff.patient, checkIn("Team only", [], true));
  const privateOne = await createCheckIn(db, staff.patient, checkIn("Nobody", [], false));
  const forFirst = await createCheckIn(db, staff.patient, checkIn("First supporter", [firstLink], false));
  const newcomer = await createActiveUser(staff.program.id, "supporter", "Newcomer");
  const newLink = await joinApproved(staff.patient, newcomer, staff.therapist, ["progress"]);
  return { ...staff, firstLink, forTeam, privateOne, forFirst, newcomer, newLink };
}

async function feedOf(supporter: TestUser) {
  return (await supporterFeed(db, await capabilitiesFor(db, supporter, "progress"))).entries.map((entry) => entry.wins);
}

describe("sharing earlier check-ins with a newly approved supporter", () => {
  it("offers the patient's shared check-ins, never a private one, and shares only those picked", async () => {
    const { patient, newcomer, newLink, forTeam, privateOne, forFirst } = await world();
    expect(await feedOf(newcomer)).toEqual([]);

    const offered = await earlierCheckInsFor(db, patient, newLink);
    expect(offered!.supporterName).toBe(newcomer.name);
    expect(offered!.entries.map((entry) => entry.id)).toEqual([forFirst, forTeam]);

    expect(await shareEarlierCheckIns(db, patient, newLink, [forTeam, privateOne])).toBe(1);
    expect(await feedOf(newcomer)).toEqual(["Team only"]);
    expect((await earlierCheckInsFor(db, patient, newLink))!.entries.map((entry) => entry.id)).toEqual([forFirst]);

    // The supporter hears of it on their home, once.
    const told = await db
      .select({ subjectId: events.subjectId })
      .from(events)
      .where(and(eq(events.recipientId, newcomer.id), eq(events.kind, "check_in_shared")));
    expect(told).toEqual([{ subjectId: forTeam }]);
    expect(await shareEarlierCheckIns(db, patient, newLink, [forTeam])).toBe(0);
  });

  it("ignores another patient's check-ins among the picks", async () => {
    const { patient, newcomer, newLink } = await world();
    const theirs = (await world()).forTeam;
    expect(await shareEarlierCheckIns(db, patient, newLink, [theirs])).toBe(0);
    expect(await db.select().from(checkInAudience).where(eq(checkInAudience.checkInId, theirs))).toEqual([]);
    expect(await feedOf(newcomer)).toEqual([]);
  });

  it("offers nothing while the supporter may not see check-ins, and shares nothing", async () => {
    const { patient, therapist, program, forTeam, firstLink } = await world();
    const reader = await createActiveUser(program.id, "supporter", "Education only");
    const educationLink = await joinApproved(patient, reader, therapist, ["education"]);
    expect(await earlierCheckInsFor(db, patient, educationLink)).toBeUndefined();
    expect(await shareEarlierCheckIns(db, patient, educationLink, [forTeam])).toBeUndefined();

    const link = (await db.select().from(circleLinks).where(eq(circleLinks.id, firstLink)).get())!;
    await revokeLink(db, { actor: { id: patient.id, programId: patient.programId, ipAddress: null }, as: "patient" }, link);
    expect(await earlierCheckInsFor(db, patient, firstLink)).toBeUndefined();
    expect(await shareEarlierCheckIns(db, patient, firstLink, [forTeam])).toBeUndefined();
    expect(await db.select().from(checkInAudience).where(eq(checkInAudience.checkInId, forTeam))).toEqual([]);
  });

  it("is a page of the patient's own links only, with a message at the field when nothing is picked", async () => {
    const { patient, newcomer, newLink, forTeam } = await world();
    const page = await requestAs(app, `/patient/circle/${newLink}/earlier-check-ins`, patient.id);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`Share earlier check-ins with ${newcomer.name}`);
    expect(html).toContain("Team only");
    expect(html).not.toContain("Nobody");

    const stranger = await world();
    expect((await requestAs(app, `/patient/circle/${newLink}/earlier-check-ins`, stranger.patient.id)).status).toBe(404);
    expect(
      (await requestAs(app, `/patient/circle/${newLink}/earlier-check-ins`, stranger.patient.id, { checkIns: forTeam })).status,
    ).toBe(404);

    const empty = await requestAs(app, `/patient/circle/${newLink}/earlier-check-ins`, patient.id, {});
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Pick at least one check-in to share, or choose Not now.");
    expect(await feedOf(newcomer)).toEqual([]);

    const shared = await requestAs(app, `/patient/circle/${newLink}/earlier-check-ins`, patient.id, { checkIns: [forTeam] });
    expect(shared.status).toBe(302);
    expect(shared.headers.get("Location")).toBe("/patient/circle?sharedEarlier=1");
    expect(await feedOf(newcomer)).toEqual(["Team only"]);
  });
});
