import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client";
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
import { createActiveUser, createProgramWithStaff, enrolExisting, joinApproved, type TestUser } from "../support/fixtures";

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
  const mumLink = approve(world.patient, world.supporter, world.therapist);
  const partnerLink = approve(world.patient, partner, world.therapist);
  return { ...world, partner, mumLink, partnerLink };
}

const feedIds = (supporter: TestUser) => supporterFeed(capabilitiesFor(supporter, "progress")).entries.map((item) => item.id);

describe("who sees a check-in", () => {
  it("only the supporters the patient picked, and only while their consent includes progress", async () => {
    const world = await circleWithTwoSupporters();
    const shared = createCheckIn(world.patient, entry([world.mumLink]));
    const journal = createCheckIn(world.patient, entry([]));
    expect(feedIds(world.supporter)).toEqual([shared]);
    expect(feedIds(world.partner)).toEqual([]);

    changeConsent(
      actorOf(world.patient),
      world.mumLink,
      {
        categories: ["milestones"],
        purpose: "Support",
        expiryKind: "episode_end",
        expiresOn: null,
        signature: world.patient.name,
      },
      "en-US",
    );
    expect(feedIds(world.supporter)).toEqual([]);
    // The private entry stays in the patient's own journal.
    expect(patientCheckIns(world.patient.id).entries.map((item) => [item.id, item.audience])).toEqual(
      expect.arrayContaining([[journal, []]]),
    );
  });

  it("disappears at once on revocation, and on deletion", async () => {
    const world = await circleWithTwoSupporters();
    const shared = createCheckIn(world.patient, entry([world.mumLink, world.partnerLink]));
    revokeLink(
      { actor: actorOf(world.patient), as: "patient" },
      db.select().from(circleLinks).where(eq(circleLinks.id, world.mumLink)).get()!,
    );
    expect(feedIds(world.supporter)).toEqual([]);
    expect(feedIds(world.partner)).toEqual([shared]);
    expect(deleteCheckIn(world.patient, shared)).toBe(true);
    expect(feedIds(world.partner)).toEqual([]);
  });

  it("a check-in written before a supporter joined is not theirs unless the patient adds them", async () => {
    const world = await createProgramWithStaff();
    const earlier = createCheckIn(world.patient, entry([]));
    const link = approve(world.patient, world.supporter, world.therapist);
    expect(feedIds(world.supporter)).toEqual([]);
    expect(updateCheckIn(world.patient, earlier, entry([link]))).toBe(true);
    expect(feedIds(world.supporter)).toEqual([earlier]);
  });

  it("refuses an audience outside the circle, or without progress in its consent, and saves nothing", async () => {
    const world = await createProgramWithStaff();
    const milestonesOnly = approve(world.patient, world.supporter, world.therapist, ["milestones"]);
    const other = await createProgramWithStaff("Other");
    const strangerLink = approve(other.patient, other.supporter, other.therapist);
    expect(shareableAudience(world.patient.id)).toEqual([]);
    for (const audience of [[milestonesOnly], [strangerLink], ["made-up"]]) {
      expect(() => createCheckIn(world.patient, entry(audience))).toThrow(CheckInRuleError);
    }
    expect(db.select().from(checkIns).where(eq(checkIns.patientId, world.patient.id)).all()).toEqual([]);
  });

  it("the database refuses a mood or craving out of range", async () => {
    const world = await createProgramWithStaff();
    expect(() => createCheckIn(world.patient, entry([], { mood: 7 }))).toThrow(/CHECK constraint/);
    expect(() => createCheckIn(world.patient, entry([], { craving: -1 }))).toThrow(/CHECK constraint/);
  });
});

describe("someone else's check-in", () => {
  it("cannot be edited, deleted or replied to: nothing changes", async () => {
    const world = await circleWithTwoSupporters();
    const other = await createActiveUser(world.program.id, "patient", "other");
    enrolExisting(other, world.therapist);
    const shared = createCheckIn(world.patient, entry([world.mumLink]));
    expect(updateCheckIn(other, shared, entry([], { wins: "changed" }))).toBe(false);
    expect(deleteCheckIn(other, shared)).toBe(false);
    expect(replyToCheckIn(capabilitiesFor(world.partner, "progress"), shared, { preset: "proud", message: null })).toBe(false);
    expect(db.select().from(checkIns).where(eq(checkIns.id, shared)).get()!.wins).toBe("Went to group");
  });
});

describe("replies", () => {
  it("the patient sees every reply; a supporter sees only their own", async () => {
    const world = await circleWithTwoSupporters();
    const shared = createCheckIn(world.patient, entry([world.mumLink, world.partnerLink]));
    expect(replyToCheckIn(capabilitiesFor(world.supporter, "progress"), shared, { preset: "proud", message: null })).toBe(true);
    expect(
      replyToCheckIn(capabilitiesFor(world.partner, "progress"), shared, { preset: null, message: "Proud of you, love" }),
    ).toBe(true);
    const [own] = patientCheckIns(world.patient.id).entries;
    expect(own!.replies.map((reply) => reply.supporterName).sort()).toEqual([world.partner.name, world.supporter.name].sort());
    const [seen] = supporterFeed(capabilitiesFor(world.supporter, "progress")).entries;
    expect(seen!.replies.map((reply) => reply.preset)).toEqual(["proud"]);
  });
});

describe("disclosures", () => {
  it("every check-in a supporter reads is logged, with its category, in the same call", async () => {
    const world = await circleWithTwoSupporters();
    const slip = createCheckIn(
      world.patient,
      entry([world.mumLink], { kind: "slip", mood: null, craving: null, wins: null, hard: "I drank on Saturday" }),
    );
    supporterFeed(capabilitiesFor(world.supporter, "progress"));
    const rows = db
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
    enrolExisting(second, world.therapist);
    const linkA = approve(world.patient, world.supporter, world.therapist);
    const linkB = approve(second, world.supporter, world.therapist);
    const written: string[] = [];
    for (let i = 0; i < 25; i++) written.push(createCheckIn(i % 2 ? second : world.patient, entry([i % 2 ? linkB : linkA])));
    const first = supporterFeed(capabilitiesFor(world.supporter, "progress"));
    const rest = supporterFeed(capabilitiesFor(world.supporter, "progress"), first.next!);
    expect(first.entries).toHaveLength(20);
    expect(rest.next).toBeNull();
    expect([...first.entries, ...rest.entries].map((item) => item.id).sort()).toEqual([...written].sort());
  });
});

describe("the care team", () => {
  it("sees what patients shared with the care team, and who has shared nothing lately", async () => {
    const world = await createProgramWithStaff();
    const quiet = await createActiveUser(world.program.id, "patient", "quiet");
    enrolExisting(quiet, world.therapist);
    const shared = createCheckIn(world.patient, entry([]));
    createCheckIn(quiet, entry([], { sharedWithCareTeam: false }));
    expect(careTeamCheckIns(world.therapist).entries.map((item) => item.id)).toEqual([shared]);
    const recent = lastSharedCheckIns(world.therapist.id, new Date(Date.now() - 7 * 86_400_000));
    expect(recent.map((row) => row.patientId)).toEqual([world.patient.id]);
    const otherTherapist = await createActiveUser(world.program.id, "therapist", "other");
    expect(careTeamCheckIns(otherTherapist).entries).toEqual([]);
  });
});

describe("trends", () => {
  it("each viewer's trend holds only the check-ins that viewer may see", async () => {
    const world = await circleWithTwoSupporters();
    createCheckIn(world.patient, entry([world.mumLink], { mood: 1, sharedWithCareTeam: false }));
    createCheckIn(world.patient, entry([], { mood: 5, sharedWithCareTeam: true }));
    createCheckIn(world.patient, entry([], { mood: 3, sharedWithCareTeam: false }));
    const since = new Date(Date.now() - 86_400_000);
    const moods = (rows: { mood: number | null }[]) => rows.map((row) => row.mood).sort();
    const progressOf = (supporter: TestUser) => capabilitiesFor(supporter, "progress")[0]!;
    expect(moods(ownTrendEntries(world.patient.id, since))).toEqual([1, 3, 5]);
    expect(moods(careTeamTrendEntries(careTeamAccess(world.therapist, world.patient.id)!, since))).toEqual([5]);
    expect(moods(sharedTrendEntries(progressOf(world.supporter), since))).toEqual([1]);
    expect(moods(sharedTrendEntries(progressOf(world.partner), since))).toEqual([]);
  });
});
