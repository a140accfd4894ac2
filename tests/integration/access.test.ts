import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "../support/database";
import { attendance, disclosureLog, events, memberships, moduleAssignments } from "#db/schema";
import { sharingCategories, type EventKind, type SharingCategory } from "~/vocabulary";
import { translator } from "~/i18n/i18n";
import { careTeamAccess, narrow, release, supporterAccess } from "~/models/access.server";
import { assignModule } from "~/models/assignments.server";
import { createCheckIn } from "~/models/check-in.server";
import { changeConsent } from "~/models/consent.server";
import { allDisclosures } from "~/models/disclosure.server";
import { setRecoveryStart } from "~/models/milestones.server";
import { findLibraryModule, latestVersion } from "~/models/module-library.server";
import { createGroup, enrolInGroup, recordMeeting } from "~/models/schedule.server";
import { addPlanItem } from "~/models/support-plan.server";
import { addDays, calendarDateIn, isoWeekday } from "~/utils/dates";
import { createProgram } from "~/models/program.server";
import { cookieFor, createActiveUser, enrolExisting, joinApproved, type TestUser } from "../support/fixtures";
import { decodeEntities } from "../support/html-forms";
import { remixHandler, routePaths } from "../support/remix-handler";
import { englishLocale } from "~/i18n/i18n";

/**
 * The access module's promise, page by page: a supporter sees exactly the categories the patient's
 * consent names, and each page writes to the disclosure log exactly what it showed. The pages are
 * found from the built app's routes, so a supporter page added later is walked too.
 */
let app: Awaited<ReturnType<typeof remixHandler>>;
const t = translator("en");

beforeAll(async () => {
  app = await remixHandler();
});

afterEach(() => {
  vi.useRealTimers();
});

type Shown = { category: SharingCategory | null; itemType: string; itemId: string };

/**
 * A patient who shares something in every category, each item with text that can only come from it.
 */
async function patientWithEverything() {
  const program = await createProgram(db, `Access ${crypto.randomUUID().slice(0, 6)}`, "America/Chicago");
  const therapist = await createActiveUser(program.id, "therapist");
  await db.update(memberships).set({ name: "Therapist Quillon" }).where(eq(memberships.id, therapist.id));
  const patient = await createActiveUser(program.id, "patient");
  const supporter = await createActiveUser(program.id, "supporter");
  const today = calendarDateIn("America/Chicago");
  const episodeId = await enrolExisting(patient, therapist, addDays(today, -10), 17);
  const linkId = await joinApproved(patient, supporter, therapist, [...sharingCategories]);

  const checkInId = await createCheckIn(db, patient, {
    kind: "check_in",
    mood: 4,
    craving: 2,
    wins: "Marker win: walked to group",
    hard: null,
    helpRequest: null,
    audience: [linkId],
    sharedWithCareTeam: false,
  });
  await setRecoveryStart(db, patient, addDays(today, -40), "America/Chicago");
  await assignModule(db, { id: therapist.id, programId: program.id, ipAddress: null, role: "therapist" }, patient.id, {
    slug: "welcome",
    target: linkId,
    dueOn: null,
  });
  const assignment = (await db.select().from(moduleAssignments).where(eq(moduleAssignments.linkId, linkId)).get())!;
  const planItemId = await addPlanItem(db, patient, { need: "ride", details: "Marker plan: rides on Tuesdays", ask: [linkId] });
  const staff = { id: therapist.id, programId: program.id, ipAddress: null };
  const group = { name: "Marker group: evening IOP", weekday: isoWeekday(today), startTime: "18:00", durationMinutes: 180 };
  const groupId = await createGroup(db, staff, { ...group, location: "Room 2" });
  const care = (await careTeamAccess(db, { ...staff, role: "therapist" }, patient.id))!;
  await enrolInGroup(db, care, staff, groupId);
  await recordMeeting(db, [care], staff, { id: groupId, ...group }, { date: today, attendance: { [patient.id]: "excused" } });
  const meeting = (await db.select().from(attendance).where(eq(attendance.groupId, groupId)).get())!;
  const eventOf = async (kind: EventKind) =>
    (await db
      .select()
      .from(events)
      .where(and(eq(events.linkId, linkId), eq(events.kind, kind)))
      .get())!.id;
  const welcome = (await findLibraryModule(db, program.id, "welcome"))!;
  const named = { name: patient.name, module: (await latestVersion(db, welcome.id)).title };

  /** Each item a supporter may be shown, the text only it puts on a page, and the row it must leave. */
  const items: (Shown & { marker: string })[] = [
    { category: "progress", itemType: "check_in", itemId: checkInId, marker: "Marker win: walked to group" },
    { category: "progress", itemType: "trend", itemId: patient.id, marker: "on a scale of 1 to 5" },
    { category: "milestones", itemType: "program_week", itemId: episodeId, marker: t("episode.week", { week: 2, weeks: 17 }) },
    { category: "milestones", itemType: "recovery_days", itemId: patient.id, marker: t("milestones.celebrate.title") },
    {
      category: "education",
      itemType: "module_assignment",
      itemId: assignment.id,
      marker: t("learning.askedBy.therapist", { name: "Therapist Quillon" }),
    },
    { category: null, itemType: "support_plan_item", itemId: planItemId, marker: "Marker plan: rides on Tuesdays" },
    { category: "attendance", itemType: "schedule_group", itemId: groupId, marker: "Marker group: evening IOP" },
    { category: "attendance", itemType: "attendance", itemId: meeting.id, marker: t("attendanceStatus.excused") },
    // The lines of "what is new" on the supporter's home: each tells that something was shared or asked.
    {
      category: null,
      itemType: "news",
      itemId: await eventOf("circle_approved"),
      marker: t("news.supporter.circle_approved", named),
    },
    {
      category: "progress",
      itemType: "news",
      itemId: await eventOf("check_in_shared"),
      marker: t("news.supporter.check_in_shared", named),
    },
    {
      category: "education",
      itemType: "news",
      itemId: await eventOf("module_assigned"),
      marker: t("news.supporter.module_assigned", named),
    },
  ];
  return { program, therapist, patient, supporter, linkId, items };
}

/** The rows (or the counts of rows) of the disclosure log that a request added. */
async function rowsWrittenBy(before: Map<number, number>) {
  return (await db.select().from(disclosureLog).where(eq(disclosureLog.kind, "disclosure")).all())
    .filter((row) => (before.get(row.id) ?? 0) < row.count)
    .map((row): Shown => ({ category: row.category, itemType: row.itemType!, itemId: row.itemId! }));
}

async function counts() {
  return new Map((await db.select().from(disclosureLog).all()).map((row) => [row.id, row.count]));
}

const key = (shown: Shown) => `${shown.category ?? "-"}:${shown.itemType}:${shown.itemId}`;

describe("every supporter page shows only the consented categories, and logs exactly what it shows", () => {
  it("with each category switched off in turn", async () => {
    const world = await patientWithEverything();
    const cookie = await cookieFor(world.supporter.id);
    const supporterPages = Object.keys(app.build.routes).filter((id) => id.startsWith("routes/supporter."));
    expect(supporterPages.length).toBeGreaterThan(5);
    const params: Record<string, string> = { linkId: world.linkId, slug: "welcome", section: "1" };
    const paths = routePaths(app.build, (param) => params[param] ?? `unfilled-${param}`);
    for (const routeId of supporterPages) {
      expect(paths[routeId], `the access test must know how to fill every parameter of ${routeId}`).not.toContain("unfilled-");
    }

    const shownAnywhere = new Set<string>();
    const variants: (SharingCategory | null)[] = [null, ...sharingCategories];
    for (const [version, off] of variants.entries()) {
      const granted = sharingCategories.filter((category) => category !== off);
      if (version > 0) {
        const changed = await changeConsent(
          db,
          { id: world.patient.id, programId: world.program.id, ipAddress: null },
          world.linkId,
          { categories: granted, purpose: "Support", expiryKind: "episode_end", expiresOn: null, signature: world.patient.name },
          englishLocale,
        );
        expect(changed?.version).toBe(version + 1);
      }
      for (const routeId of supporterPages) {
        const before = await counts();
        const response = await app.fetch(
          new Request(`http://care-circle.test${paths[routeId]}`, { headers: { Cookie: cookie } }),
        );
        const label = `${routeId} with ${off ?? "nothing"} off`;
        expect(response.status, label).toBe(200);
        const body = decodeEntities(await response.text());
        const written = await rowsWrittenBy(before);

        // Nothing of a category the consent leaves out, on the page or in the log.
        if (off) {
          for (const item of world.items.filter((candidate) => candidate.category === off)) {
            expect(body, `${label}: ${item.itemType}`).not.toContain(item.marker);
          }
          expect(
            written.filter((row) => row.category === off),
            label,
          ).toEqual([]);
        }
        expect(
          written.every((row) => row.category === null || granted.includes(row.category)),
          label,
        ).toBe(true);

        // What the page shows is what it logs, item by item; the home and updates pages also name the patient.
        const expected = world.items.filter((item) => body.includes(item.marker)).map(key);
        if (routeId === "routes/supporter._index" || routeId === "routes/supporter.updates")
          expected.push(key({ category: null, itemType: "circle_list", itemId: world.linkId }));
        expect(written.map(key).sort(), label).toEqual(expected.sort());
        for (const item of expected) shownAnywhere.add(item);
      }
    }
    // The walk reached every kind of item at least once, so none of the checks above is empty.
    expect([...shownAnywhere].sort()).toEqual(
      [...world.items.map(key), key({ category: null, itemType: "circle_list", itemId: world.linkId })].sort(),
    );
  });
});

describe("the accounting of disclosures", () => {
  it("records an item once a day with a count, under its consent version, and grows only by what was shared", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-09-14T15:00:00Z") });
    const world = await patientWithEverything();
    const progress = async () => narrow((await supporterAccess(db, world.supporter, world.linkId))!, "progress")!;
    const showCheckIn = async () =>
      release(db, [await progress()], ["check-in-1"], (id) => ({ linkId: world.linkId, type: "check_in", id }));
    const releases = async () => (await allDisclosures(db, world.patient.id)).filter((entry) => entry.kind === "disclosure");

    await showCheckIn();
    vi.setSystemTime(new Date("2026-09-14T20:30:00Z"));
    await showCheckIn();
    await showCheckIn();
    expect(await releases()).toEqual([
      expect.objectContaining({
        itemId: "check-in-1",
        count: 3,
        consentVersion: 1,
        occurredAt: new Date("2026-09-14T15:00:00Z"),
        lastOccurredAt: new Date("2026-09-14T20:30:00Z"),
      }),
    ]);

    // The next day in the program's time zone (Chicago) is a new row; so is a new consent version.
    vi.setSystemTime(new Date("2026-09-15T05:30:00Z"));
    await showCheckIn();
    await changeConsent(
      db,
      { id: world.patient.id, programId: world.program.id, ipAddress: null },
      world.linkId,
      { categories: ["progress"], purpose: "Support", expiryKind: "episode_end", expiresOn: null, signature: world.patient.name },
      englishLocale,
    );
    await showCheckIn();
    expect((await releases()).map((entry) => [entry.consentVersion, entry.count])).toEqual([
      [2, 1],
      [1, 1],
      [1, 3],
    ]);
  });

  it("stays append-only: a day's row may only count one more showing", async () => {
    const world = await patientWithEverything();
    await release(db, [narrow((await supporterAccess(db, world.supporter, world.linkId))!, "progress")!], ["x"], (id) => ({
      linkId: world.linkId,
      type: "check_in",
      id,
    }));
    const row = (await db.select().from(disclosureLog).where(eq(disclosureLog.itemId, "x")).get())!;
    // Drizzle reports a statement the database refused as "Failed query: …", with the database's own error as its cause.
    await expect(
      db
        .update(disclosureLog)
        .set({ count: row.count + 5 })
        .where(eq(disclosureLog.id, row.id))
        .run(),
    ).rejects.toHaveProperty("cause.message", expect.stringMatching(/append-only/));
    await expect(
      db
        .update(disclosureLog)
        .set({ itemId: "y", count: row.count + 1 })
        .where(eq(disclosureLog.id, row.id))
        .run(),
    ).rejects.toHaveProperty("cause.message", expect.stringMatching(/append-only/));
    await expect(
      db.update(disclosureLog).set({ detail: "edited" }).where(eq(disclosureLog.kind, "consent_signed")).run(),
    ).rejects.toHaveProperty("cause.message", expect.stringMatching(/append-only/));
    await expect(db.delete(disclosureLog).run()).rejects.toHaveProperty("cause.message", expect.stringMatching(/append-only/));
  });

  it("refuses to release a row under another link's capability", async () => {
    const world = await patientWithEverything();
    const other: TestUser = await createActiveUser(world.program.id, "supporter", "other");
    const otherLink = await joinApproved(world.patient, other, world.therapist, ["progress"]);
    const mine = narrow((await supporterAccess(db, world.supporter, world.linkId))!, "progress")!;
    await expect(release(db, [mine], ["x"], (id) => ({ linkId: otherLink, type: "check_in", id }))).rejects.toThrow(/capability/);
  });
});
