import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { checkIns, circleLinks, disclosureLog } from "#db/schema";
import { type SharingCategory } from "~/vocabulary";
import { changeConsent } from "~/models/consent.server";
import { revokeLink } from "~/models/care-circle.server";
import { capabilitiesFor, careTeamAccess } from "~/models/access.server";
import {
  careTeamCheckIns,
  CheckInRuleError,
  createCheckIn,
  deleteCheckIn,
  findOwnCheckIn,
  lastSharedCheckIns,
  patientCheckIns,
  replyToCheckIn,
  shareableAudience,
  supporterFeed,
  careTeamTrendEntries,
  ownTrendEntries,
  sharedTrendEntries,
  updateCheckIn,
  type CheckInInput,
} from "~/models/check-in.server";
import { db } from "../support/database";
import { createActiveUser, createProgramWithStaff, enrolExisting, joinApproved, type TestUser } from "../support/fixtures";
import { englishLocale } from "~/i18n/i18n";

const actorOf = (user: TestUser) => ({ id: user.id, programId: user.programId, ipAddress: null });

const approve = (patient: TestUser, supporter: TestUser, therapist: TestUser, categories: SharingCategory[] = ["progress"]) =>
  joinApproved(patient, supporter, therapist, categories);

function entry(audience: string[], overrides: Partial<CheckInInput> = {}): CheckInInput {
  return {
    kind: "check_in",
    mood: 4,
    craving: 2,
    wins: "Went to group",
    hard: null,
    helpRequest: null,
    audience,
    sharedWithCareTeam: true,
    ...overrides,
  };
}

async function circleWithTwoSupporters() {
  const world = await createProgramWithStaff();
  const partner = await createActiveUser(world.program.id, "supporter", "partner");
  const mumLink = await approve(world.patient, world.supporter, world.therapist);
  const partnerLink = await approve(world.patient, partner, world.therapist);
  return { ...world, partner, mumLink, partnerLink };
}

const feedIds = async (supporter: TestUser) =>
  (await supporterFeed(db, await capabilitiesFor(db, supporter, "progress"))).entries.map((item) => item.id);

describe("who sees a check-in", () => {
  it("only the supporters the patient picked, and only while their consent includes progress", async () => {
    const world = await circleWithTwoSupporters();
    const shared = await createCheckIn(db, world.patient, entry([world.mumLink]));
    const journal = await createCheckIn(db, world.patient, entry([]));
    expect(await feedIds(world.supporter)).toEqual([shared]);
    expect(await feedIds(world.partner)).toEqual([]);

    await changeConsent(
      db,
      actorOf(world.patient),
      world.mumLink,
      {
        categories: ["milestones"],
        purpose: "Support",
        expiryKind: "episode_end",
        expiresOn: null,
        signature: world.patient.name,
      },
      englishLocale,
    );
    expect(await feedIds(world.supporter)).toEqual([]);
    // The private entry stays in the patient's own journal.
    expect((await patientCheckIns(db, world.patient.id)).entries.map((item) => [item.id, item.audience])).toEqual(
      expect.arrayContaining([[journal, []]]),
    );
  });

  it("disappears at once on revocation, and on deletion", async () => {
    const world = await circleWithTwoSupporters();
    const shared = await createCheckIn(db, world.patient, entry([world.mumLink, world.partnerLink]));
    await revokeLink(
      db,
      { actor: actorOf(world.patient), as: "patient" },
      (await db.select().from(circleLinks).where(eq(circleLinks.id, world.mumLink)).get())!,
    );
    expect(await feedIds(world.supporter)).toEqual([]);
    expect(await feedIds(world.partner)).toEqual([shared]);
    expect(await deleteCheckIn(db, world.patient, shared)).toBe(true);
    expect(await feedIds(world.partner)).toEqual([]);
  });

  it("a check-in written before a supporter joined is not theirs unless the patient adds them", async () => {
    const world = await createProgramWithStaff();
    const earlier = await createCheckIn(db, world.patient, entry([]));
    const link = await approve(world.patient, world.supporter, world.therapist);
    expect(await feedIds(world.supporter)).toEqual([]);
    expect(await updateCheckIn(db, world.patient, earlier, entry([link]))).toBe(true);
    expect(await feedIds(world.supporter)).toEqual([earlier]);
  });

  it("refuses an audience outside the circle, or without progress in its consent, and saves nothing", async () => {
    const world = await createProgramWithStaff();
    const milestonesOnly = await approve(world.patient, world.supporter, world.therapist, ["milestones"]);
    const other = await createProgramWithStaff("Other");
    const strangerLink = await approve(other.patient, other.supporter, other.therapist);
    expect(await shareableAudience(db, world.patient.id)).toEqual([]);
    for (const audience of [[milestonesOnly], [strangerLink], ["made-up"]]) {
      await expect(createCheckIn(db, world.patient, entry(audience))).rejects.toThrow(CheckInRuleError);
    }
    expect(await db.select().from(checkIns).where(eq(checkIns.patientId, world.patient.id)).all()).toEqual([]);
  });

  it("the database refuses a mood or craving out of range", async () => {
    const world = await createProgramWithStaff();
    // Drizzle reports a statement the database refused as "Failed query: …", with the database's own error as its cause.
    await expect(createCheckIn(db, world.patient, entry([], { mood: 7 }))).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/CHECK constraint/) as unknown },
    });
    await expect(createCheckIn(db, world.patient, entry([], { craving: -1 }))).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/CHECK constraint/) as unknown },
    });
  });
});

describe("a check-in saved while its supporter's progress consent is withdrawn", () => {
  const withdrawals = {
    "the consent is changed to leave progress out": async (world: Awaited<ReturnType<typeof circleWithTwoSupporters>>) => {
      const choice = {
        categories: ["milestones" as const],
        purpose: "Support",
        expiryKind: "episode_end" as const,
        expiresOn: null,
        signature: world.patient.name,
      };
      return () => changeConsent(db, actorOf(world.patient), world.mumLink, choice, englishLocale);
    },
    "the link is revoked": async (world: Awaited<ReturnType<typeof circleWithTwoSupporters>>) => {
      const link = (await db.select().from(circleLinks).where(eq(circleLinks.id, world.mumLink)).get())!;
      return () => revokeLink(db, { actor: actorOf(world.patient), as: "patient" }, link);
    },
  };
  const cases = Object.keys(withdrawals).flatMap((withdrawal) =>
    (["the check-in", "the withdrawal"] as const).map((first) => [withdrawal as keyof typeof withdrawals, first] as const),
  );

  it.each(cases)("%s, %s sent first: the check-in never reaches that supporter", async (withdrawal, first) => {
    const world = await circleWithTwoSupporters();
    const withdraw = await withdrawals[withdrawal](world);
    const save = () => createCheckIn(db, world.patient, entry([world.mumLink, world.partnerLink]));
    let saved: PromiseSettledResult<string>;
    let withdrawn: PromiseSettledResult<unknown>;
    if (first === "the check-in") [saved, withdrawn] = await Promise.allSettled([save(), withdraw()]);
    else [withdrawn, saved] = await Promise.allSettled([withdraw(), save()]);

    // The withdrawal always goes through.
    expect(withdrawn).toEqual({
      status: "fulfilled",
      value: withdrawal === "the link is revoked" ? true : { consentId: expect.any(String) as unknown, version: 2 },
    });
    expect(await capabilitiesFor(db, world.supporter, "progress")).toEqual([]);
    if (saved.status === "fulfilled") {
      // Saved before the withdrawal, with its whole audience: the supporter's feed no longer shows it.
      expect((await findOwnCheckIn(db, world.patient.id, saved.value))!.audience.sort()).toEqual(
        [world.mumLink, world.partnerLink].sort(),
      );
      expect(await feedIds(world.partner)).toEqual([saved.value]);
    } else {
      // Checked after the withdrawal: refused as a whole, nothing saved, not even for the other supporter.
      expect(saved.reason).toBeInstanceOf(CheckInRuleError);
      expect(saved.reason).toMatchObject({ field: "audience", messageKey: "checkIn.audience.outside" });
      expect(await db.select().from(checkIns).where(eq(checkIns.patientId, world.patient.id))).toEqual([]);
      expect(await feedIds(world.partner)).toEqual([]);
    }
    expect(await feedIds(world.supporter)).toEqual([]);
  });
});

describe("someone else's check-in", () => {
  it("cannot be edited, deleted or replied to: nothing changes", async () => {
    const world = await circleWithTwoSupporters();
    const other = await createActiveUser(world.program.id, "patient", "other");
    await enrolExisting(other, world.therapist);
    const shared = await createCheckIn(db, world.patient, entry([world.mumLink]));
    expect(await updateCheckIn(db, other, shared, entry([], { wins: "changed" }))).toBe(false);
    expect(await deleteCheckIn(db, other, shared)).toBe(false);
    expect(
      await replyToCheckIn(db, await capabilitiesFor(db, world.partner, "progress"), shared, { preset: "proud", message: null }),
    ).toBe(false);
    expect((await db.select().from(checkIns).where(eq(checkIns.id, shared)).get())!.wins).toBe("Went to group");
  });
});

describe("replies", () => {
  it("the patient sees every reply; a supporter sees only their own", async () => {
    const world = await circleWithTwoSupporters();
    const shared = await createCheckIn(db, world.patient, entry([world.mumLink, world.partnerLink]));
    expect(
      await replyToCheckIn(db, await capabilitiesFor(db, world.supporter, "progress"), shared, {
        preset: "proud",
        message: null,
      }),
    ).toBe(true);
    expect(
      await replyToCheckIn(db, await capabilitiesFor(db, world.partner, "progress"), shared, {
        preset: null,
        message: "Proud of you, love",
      }),
    ).toBe(true);
    const [own] = (await patientCheckIns(db, world.patient.id)).entries;
    expect(own!.replies.map((reply) => reply.supporterName).sort()).toEqual([world.partner.name, world.supporter.name].sort());
    const [seen] = (await supporterFeed(db, await capabilitiesFor(db, world.supporter, "progress"))).entries;
    expect(seen!.replies.map((reply) => reply.preset)).toEqual(["proud"]);
  });
});

describe("disclosures", () => {
  it("every check-in a supporter reads is logged, with its category, in the same call", async () => {
    const world = await circleWithTwoSupporters();
    const slip = await createCheckIn(
      db,
      world.patient,
      entry([world.mumLink], { kind: "slip", mood: null, craving: null, wins: null, hard: "I drank on Saturday" }),
    );
    await supporterFeed(db, await capabilitiesFor(db, world.supporter, "progress"));
    const rows = await db
      .select()
      .from(disclosureLog)
      .where(and(eq(disclosureLog.linkId, world.mumLink), eq(disclosureLog.itemId, slip)))
      .all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: "disclosure",
      category: "progress",
      itemType: "slip",
      actorUserId: world.supporter.id,
    });
  });
});

describe("the feed", () => {
  it("pages newest first, across patients, without repeating or skipping", async () => {
    const world = await createProgramWithStaff();
    const second = await createActiveUser(world.program.id, "patient", "second");
    await enrolExisting(second, world.therapist);
    const linkA = await approve(world.patient, world.supporter, world.therapist);
    const linkB = await approve(second, world.supporter, world.therapist);
    const written: string[] = [];
    for (let i = 0; i < 25; i++) {
      written.push(await createCheckIn(db, i % 2 ? second : world.patient, entry([i % 2 ? linkB : linkA])));
    }
    const first = await supporterFeed(db, await capabilitiesFor(db, world.supporter, "progress"));
    const rest = await supporterFeed(db, await capabilitiesFor(db, world.supporter, "progress"), first.next!);
    expect(first.entries).toHaveLength(20);
    expect(rest.next).toBeNull();
    expect([...first.entries, ...rest.entries].map((item) => item.id).sort()).toEqual([...written].sort());
  });
});

describe("the care team", () => {
  it("sees what patients shared with the care team, and who has shared nothing lately", async () => {
    const world = await createProgramWithStaff();
    const quiet = await createActiveUser(world.program.id, "patient", "quiet");
    await enrolExisting(quiet, world.therapist);
    const shared = await createCheckIn(db, world.patient, entry([]));
    await createCheckIn(db, quiet, entry([], { sharedWithCareTeam: false }));
    expect((await careTeamCheckIns(db, world.therapist)).entries.map((item) => item.id)).toEqual([shared]);
    const recent = await lastSharedCheckIns(db, world.therapist.id, new Date(Date.now() - 7 * 86_400_000));
    expect(recent.map((row) => row.patientId)).toEqual([world.patient.id]);
    const otherTherapist = await createActiveUser(world.program.id, "therapist", "other");
    expect((await careTeamCheckIns(db, otherTherapist)).entries).toEqual([]);
  });
});

describe("trends", () => {
  it("each viewer's trend holds only the check-ins that viewer may see", async () => {
    const world = await circleWithTwoSupporters();
    await createCheckIn(db, world.patient, entry([world.mumLink], { mood: 1, sharedWithCareTeam: false }));
    await createCheckIn(db, world.patient, entry([], { mood: 5, sharedWithCareTeam: true }));
    await createCheckIn(db, world.patient, entry([], { mood: 3, sharedWithCareTeam: false }));
    const since = new Date(Date.now() - 86_400_000);
    const moods = (rows: { mood: number | null }[]) => rows.map((row) => row.mood).sort();
    const progressOf = async (supporter: TestUser) => (await capabilitiesFor(db, supporter, "progress"))[0]!;
    expect(moods(await ownTrendEntries(db, world.patient.id, since))).toEqual([1, 3, 5]);
    expect(moods(await careTeamTrendEntries(db, (await careTeamAccess(db, world.therapist, world.patient.id))!, since))).toEqual([
      5,
    ]);
    expect(moods(await sharedTrendEntries(db, await progressOf(world.supporter), since))).toEqual([1]);
    expect(moods(await sharedTrendEntries(db, await progressOf(world.partner), since))).toEqual([]);
  });
});
