import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { circleLinks, disclosureLog, events } from "#db/schema";
import { capabilitiesFor, supporterAccesses } from "~/models/access.server";
import { assignModule } from "~/models/assignments.server";
import { revokeLink } from "~/models/care-circle.server";
import { changeConsent } from "~/models/consent.server";
import { createCheckIn, replyToCheckIn, updateCheckIn, type CheckInInput } from "~/models/check-in.server";
import { markSectionRead, readerState, submitAttempt } from "~/models/learning.server";
import { findLibraryModule } from "~/models/module-library.server";
import { markNewsSeen, patientNews, supporterNews } from "~/models/news.server";
import type { SharingCategory } from "~/vocabulary";
import { db } from "../support/database";
import { createActiveUser, createProgramWithStaff, joinApproved, type TestUser } from "../support/fixtures";
import { remixHandler, requestAs } from "../support/remix-handler";
import { englishLocale } from "~/i18n/i18n";

/**
 * "What is new": the stream of events written as things happen, read per recipient and membership,
 * and shown to a supporter only as far as their consent reaches at the moment they look.
 */

let app: Awaited<ReturnType<typeof remixHandler>>;
beforeAll(async () => {
  app = await remixHandler();
});

const actorOf = (user: TestUser) => ({ id: user.id, programId: user.programId, ipAddress: null });

const checkIn = (audience: string[], fields: Partial<CheckInInput> = {}): CheckInInput => ({
  kind: "check_in",
  mood: 4,
  craving: 2,
  wins: "A walk",
  hard: null,
  helpRequest: null,
  audience,
  sharedWithCareTeam: true,
  ...fields,
});

const kinds = (items: { kind: string }[]) => items.map((item) => item.kind);

async function newsOf(supporter: TestUser) {
  return supporterNews(db, supporter, await supporterAccesses(db, supporter), "en");
}

async function world(categories: SharingCategory[] = ["progress", "education"]) {
  const staff = await createProgramWithStaff("News");
  const linkId = await joinApproved(staff.patient, staff.supporter, staff.therapist, categories);
  return { ...staff, linkId };
}

describe("the stream as the care circle changes", () => {
  it("tells the patient each step of a supporter's joining, and the supporter that they were approved", async () => {
    const { patient, supporter, linkId } = await world();
    const patientKinds = kinds((await patientNews(db, patient, "en")).items);
    // Newest first: approval after acceptance.
    expect(patientKinds).toEqual(["supporter_approved", "supporter_accepted"]);
    const forSupporter = await newsOf(supporter);
    expect(forSupporter.items.map((item) => [item.kind, item.linkId, item.patientName])).toEqual([
      ["circle_approved", linkId, patient.name],
    ]);
  });

  it("tells a supporter of each check-in shared with them, only while it is still shared, and writes each line shown", async () => {
    const { patient, supporter, linkId } = await world();
    const shared = await createCheckIn(db, patient, checkIn([linkId]));
    await createCheckIn(db, patient, checkIn([])); // private: nobody hears of it
    let news = await newsOf(supporter);
    expect(kinds(news.items)).toEqual(["check_in_shared", "circle_approved"]);
    expect(news.items[0]!.subjectId).toBe(shared);
    expect(news.newCheckIns).toEqual({ [linkId]: 1 });
    const logged = await db
      .select()
      .from(disclosureLog)
      .where(and(eq(disclosureLog.linkId, linkId), eq(disclosureLog.itemType, "news")));
    expect(logged.map((row) => [row.itemId, row.category]).sort()).toEqual(
      news.items.map((item) => [item.id, item.kind === "check_in_shared" ? "progress" : null]).sort(),
    );

    // Taken off its audience: the line goes with it.
    await updateCheckIn(db, patient, shared, checkIn([]));
    news = await newsOf(supporter);
    expect(kinds(news.items)).toEqual(["circle_approved"]);
    expect(news.newCheckIns).toEqual({});

    // Shared again: a new line, and editing it while it stays shared adds none.
    await updateCheckIn(db, patient, shared, checkIn([linkId]));
    await updateCheckIn(db, patient, shared, checkIn([linkId], { mood: 2 }));
    expect(kinds((await newsOf(supporter)).items)).toEqual(["check_in_shared", "circle_approved"]);
  });

  it("hides what a narrowed consent no longer covers", async () => {
    const { patient, supporter, linkId } = await world(["progress", "milestones"]);
    await createCheckIn(db, patient, checkIn([linkId]));
    expect(kinds((await newsOf(supporter)).items)).toContain("check_in_shared");
    await changeConsent(
      db,
      actorOf(patient),
      linkId,
      { categories: ["milestones"], purpose: "Support", expiryKind: "episode_end", expiresOn: null, signature: patient.name },
      englishLocale,
    );
    expect(kinds((await newsOf(supporter)).items)).toEqual(["circle_approved"]);
  });

  it("tells the patient of a reply, and of a module asked of a supporter that they finished", async () => {
    const { patient, supporter, therapist, linkId } = await world();
    const id = await createCheckIn(db, patient, checkIn([linkId]));
    await replyToCheckIn(db, await capabilitiesFor(db, supporter, "progress"), id, { preset: "proud", message: null });
    await assignModule(db, { ...actorOf(therapist), role: "therapist" }, patient.id, {
      slug: "relapse",
      target: linkId,
      dueOn: null,
    });
    const assigned = (await newsOf(supporter)).items.find((item) => item.kind === "module_assigned");
    expect(assigned?.module?.slug).toBe("relapse");

    const module = (await findLibraryModule(db, supporter.programId, "relapse"))!;
    const { version } = await readerState(db, supporter.id, module);
    for (const section of version.sections.keys()) await markSectionRead(db, supporter.id, module, version.id, section);
    await submitAttempt(
      db,
      supporter.id,
      module,
      version.id,
      Object.fromEntries(version.quiz.map((question) => [question.id, question.answer])),
    );
    const items = (await patientNews(db, patient, "en")).items;
    expect(kinds(items).slice(0, 2)).toEqual(["module_finished", "check_in_replied"]);
    expect(items[0]!.module?.title).toBe(version.title);
    expect(items[0]!.supporterName).toBe(supporter.name);
    expect(items[1]!.subjectId).toBe(id);
  });

  it("after sharing ends, tells the supporter only that it ended, and writes nothing to the disclosure log", async () => {
    const { patient, supporter, linkId } = await world();
    await createCheckIn(db, patient, checkIn([linkId]));
    await revokeLink(
      db,
      { actor: actorOf(patient), as: "patient" },
      (await db.select().from(circleLinks).where(eq(circleLinks.id, linkId)).get())!,
    );
    const before = await db.select().from(disclosureLog).where(eq(disclosureLog.linkId, linkId));
    const news = await newsOf(supporter);
    expect(kinds(news.items)).toEqual(["circle_ended"]);
    expect(await db.select().from(disclosureLog).where(eq(disclosureLog.linkId, linkId))).toEqual(before);
    // The patient ended it themselves: nothing new for them.
    expect(kinds((await patientNews(db, patient, "en")).items)).not.toContain("supporter_link_ended");
  });

  it("tells the patient when a supporter leaves", async () => {
    const { patient, supporter, linkId } = await world();
    const link = (await db.select().from(circleLinks).where(eq(circleLinks.id, linkId)).get())!;
    await revokeLink(db, { actor: actorOf(supporter), as: "supporter" }, link);
    expect(kinds((await patientNews(db, patient, "en")).items)[0]).toBe("supporter_left");
    expect(kinds((await newsOf(supporter)).items)).not.toContain("circle_ended");
  });
});

describe("seen", () => {
  it("is kept per membership up to the newest line shown, never moves back, and leaves later events new", async () => {
    const { patient, supporter, linkId, program } = await world();
    // The same person supporting someone else is another membership: their mark is their own.
    const elsewhere = await createProgramWithStaff("News elsewhere");
    const first = await createCheckIn(db, patient, checkIn([linkId]));
    const news = await newsOf(supporter);
    await markNewsSeen(db, supporter.id, news.items[0]!.occurredAt);
    await markNewsSeen(db, supporter.id, new Date(0));
    expect((await newsOf(supporter)).items).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await createCheckIn(db, patient, checkIn([linkId]));
    const after = await newsOf(supporter);
    expect(after.items.map((item) => item.subjectId)).toEqual([second]);
    expect(after.items.map((item) => item.subjectId)).not.toContain(first);
    expect(kinds((await patientNews(db, patient, "en")).items)).toContain("supporter_approved");
    expect((await patientNews(db, elsewhere.patient, "en")).items).toEqual([]);
    expect(program.id).not.toBe(elsewhere.program.id);
  });

  it("is marked through the home's form, and a forged form changes nothing", async () => {
    const { patient, supporter, linkId } = await world();
    await createCheckIn(db, patient, checkIn([linkId]));
    const page = await requestAs(app, "/supporter", supporter.id);
    const html = await page.text();
    expect(html).toContain(`${patient.name} shared a check-in with you.`);
    const until = /name="until" value="(\d+)"/.exec(html)![1]!;

    const forged = await requestAs(app, "/supporter", supporter.id, { intent: "seen", until: "soon" });
    expect(forged.status).toBe(400);
    expect((await newsOf(supporter)).total).toBe(2);

    const marked = await requestAs(app, "/supporter", supporter.id, { intent: "seen", until });
    expect(marked.status).toBe(302);
    expect(marked.headers.get("Location")).toBe("/supporter");
    expect(await (await requestAs(app, "/supporter", supporter.id)).text()).toContain("Nothing new since you last looked.");

    // A time in the future is held to now: what happens next is still new.
    await requestAs(app, "/patient", patient.id, { intent: "seen", until: String(Date.now() + 86_400_000) });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const shared = await db
      .select({ id: events.subjectId })
      .from(events)
      .where(and(eq(events.kind, "check_in_shared"), eq(events.linkId, linkId)))
      .get();
    await replyToCheckIn(db, await capabilitiesFor(db, supporter, "progress"), shared!.id!, { preset: "proud", message: null });
    expect(kinds((await patientNews(db, patient, "en")).items)).toEqual(["check_in_replied"]);
  });

  it("offers the patient to share earlier check-ins with a supporter just approved who may see them", async () => {
    const { patient, linkId } = await world(["progress"]);
    const html = await (await requestAs(app, "/patient", patient.id)).text();
    expect(html).toContain(`href="/patient/circle/${linkId}/earlier-check-ins"`);
    const noCheckIns = await createProgramWithStaff("News milestones");
    const milestonesOnly = await joinApproved(noCheckIns.patient, noCheckIns.supporter, noCheckIns.therapist, ["milestones"]);
    expect(await (await requestAs(app, "/patient", noCheckIns.patient.id)).text()).not.toContain(
      `/patient/circle/${milestonesOnly}/earlier-check-ins`,
    );
  });
});

describe("nothing crosses", () => {
  it("a supporter's line never reaches another supporter or another program", async () => {
    const one = await world();
    const two = await world();
    const stranger = await createActiveUser(one.program.id, "supporter", "stranger");
    await createCheckIn(db, one.patient, checkIn([one.linkId]));
    expect((await newsOf(stranger)).items).toEqual([]);
    expect(kinds((await newsOf(two.supporter)).items)).toEqual(["circle_approved"]);
    expect(kinds((await patientNews(db, two.patient, "en")).items)).toEqual(["supporter_approved", "supporter_accepted"]);
  });
});
