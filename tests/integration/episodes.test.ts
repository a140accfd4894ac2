import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, circleLinks, consents, episodes, outboxMessages } from "#db/schema";
import { supporterAccess } from "~/models/access.server";
import { decide } from "~/models/care-circle.server";
import { findPatientLink } from "~/models/circle-link.server";
import { currentEpisode } from "~/models/episode.server";
import { acceptInvitation, invite } from "~/models/invitations.server";
import { calendarDateIn } from "~/utils/dates";
import { en } from "~/i18n/en";
import { db } from "../support/database";
import { notifyAll, tomorrowAt } from "../support/notify";
import { createActiveUser, createProgramWithStaff, joinApproved, type TestUser } from "../support/fixtures";
import { remixHandler, requestAs } from "../support/remix-handler";
import { englishLocale } from "~/i18n/i18n";

/** Journey 4 through the built app: who may end an episode, what ends with it, and the next episode. */
let app: Awaited<ReturnType<typeof remixHandler>>;
beforeAll(async () => {
  app = await remixHandler();
});

const actorOf = (user: TestUser) => ({ id: user.id, programId: user.programId, ipAddress: null });
const send = (path: string, user: TestUser, form?: Record<string, string>) => requestAs(app, path, user.id, form);
const openEpisode = (patientId: string) =>
  db
    .select()
    .from(episodes)
    .where(eq(episodes.patientId, patientId))
    .all()
    .then((rows) => rows.find((row) => row.endedAt === null));

/** A supporter who consented until a date, and one waiting for approval (consent until the episode ends). */
async function circleWithTwoTerms(world: Awaited<ReturnType<typeof createProgramWithStaff>>) {
  const dated = await invite(
    db,
    actorOf(world.patient),
    {
      categories: ["progress"],
      purpose: "Support",
      expiryKind: "date",
      expiresOn: "2099-12-31",
      signature: world.patient.name,
      name: "Dated supporter",
      email: world.supporter.email,
      relationship: "friend",
    },
    englishLocale,
  );
  await acceptInvitation(db, dated.token, world.supporter, null);
  await decide(db, actorOf(world.therapist), (await findPatientLink(db, world.patient.id, dated.linkId))!, { kind: "approve" });
  const other = await createActiveUser(world.program.id, "supporter", "other-supporter");
  const untilEnd = await joinApproved(world.patient, other, world.therapist, ["milestones"]);
  return { datedLinkId: dated.linkId, untilEndLinkId: untilEnd, other };
}

describe("ending an episode", () => {
  it("shows the confirmation page before anything happens, and the trigger leads to it", async () => {
    const world = await createProgramWithStaff();
    const page = await send(`/therapist/patients/${world.patient.id}`, world.therapist);
    expect(await page.text()).toContain(`href="/therapist/patients/${world.patient.id}?confirm=end-episode"`);
    const confirmation = await send(`/therapist/patients/${world.patient.id}?confirm=end-episode`, world.therapist);
    const html = await confirmation.text();
    expect(html).toContain("keeps their account, their history and their disclosure log");
    expect(html).toContain('name="reason"');
    expect(await openEpisode(world.patient.id)).toBeDefined();
  });

  it("lets the primary therapist end it: every consent of the episode ends, and supporters see nothing at once", async () => {
    const world = await createProgramWithStaff();
    const { datedLinkId, untilEndLinkId, other } = await circleWithTwoTerms(world);
    expect(await supporterAccess(db, world.supporter, datedLinkId)).not.toBeNull();
    const episodeId = (await openEpisode(world.patient.id))!.id;

    const response = await send(`/therapist/patients/${world.patient.id}?confirm=end-episode`, world.therapist, {
      intent: "end-episode",
      reason: "left_early",
    });
    expect(response.status).toBe(302);
    const ended = (await db.select().from(episodes).where(eq(episodes.id, episodeId)).get())!;
    expect(ended).toMatchObject({ endReason: "left_early", endedBy: world.therapist.id });
    expect(ended.endedAt).not.toBeNull();
    expect(await supporterAccess(db, world.supporter, datedLinkId)).toBeNull();
    expect(await supporterAccess(db, other, untilEndLinkId)).toBeNull();
    const links = await db.select().from(circleLinks).where(eq(circleLinks.patientId, world.patient.id)).all();
    expect(links.map((link) => link.status)).toEqual(["expired", "expired"]);
    const live = await db
      .select()
      .from(consents)
      .where(and(eq(consents.episodeId, episodeId), eq(consents.status, "active")))
      .all();
    expect(live).toEqual([]);
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.targetId, episodeId)).all();
    expect(audit.map((row) => row.action)).toContain("episode.ended");
    // The patient's account stays.
    expect((await send("/patient", world.patient)).status).toBe(200);
    // Each supporter hears at once (their role's default), neutrally, that their place ended: not why, nor about whom.
    await notifyAll(tomorrowAt(world.program.timeZone));
    for (const supporter of [world.supporter, other]) {
      const mail = await db.select().from(outboxMessages).where(eq(outboxMessages.toAddress, supporter.email)).all();
      const told = mail.filter((message) => message.textBody.includes(en["notifications.kind.circle_ended"]));
      expect(told, supporter.email).toHaveLength(1);
      expect(told[0]!.textBody).not.toContain(world.patient.name);
    }
  });

  it("answers 404 to another therapist and to an admin of another program, and refuses an unknown reason", async () => {
    const world = await createProgramWithStaff();
    const otherTherapist = await createActiveUser(world.program.id, "therapist", "other-therapist");
    const elsewhere = await createProgramWithStaff("Elsewhere");
    const path = `/therapist/patients/${world.patient.id}`;
    expect((await send(path, otherTherapist, { intent: "end-episode", reason: "completed" })).status).toBe(404);
    expect(
      (await send(`/admin/patients/${world.patient.id}`, elsewhere.admin, { intent: "end-episode", reason: "completed" })).status,
    ).toBe(404);
    const bad = await send(`${path}?confirm=end-episode`, world.therapist, { intent: "end-episode", reason: "bored" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Choose why the episode ends.");
    expect(await openEpisode(world.patient.id)).toBeDefined();
  });

  it("starts aftercare after the end; the patient invites and consents again, and the new supporter sees", async () => {
    const world = await createProgramWithStaff();
    const colleague = await createActiveUser(world.program.id, "therapist", "aftercare-therapist");
    const adminPath = `/admin/patients/${world.patient.id}`;
    const today = calendarDateIn(world.program.timeZone);
    const start = { intent: "start", kind: "aftercare", startDate: today, plannedWeeks: "12", therapistId: colleague.id };
    expect((await send(adminPath, world.admin, start)).status).toBe(400);
    expect((await send(adminPath, world.admin, { intent: "end-episode", reason: "completed" })).status).toBe(302);
    const elsewhere = await createProgramWithStaff("Elsewhere");
    const foreign = await send(adminPath, world.admin, { ...start, therapistId: elsewhere.therapist.id });
    expect(foreign.status).toBe(400);
    expect(await openEpisode(world.patient.id)).toBeUndefined();
    expect((await send(adminPath, world.admin, start)).status).toBe(302);
    expect(await currentEpisode(db, world.patient.id)).toMatchObject({ kind: "aftercare", therapistName: colleague.name });
    expect(await (await send("/patient", world.patient)).text()).toContain("Your aftercare");

    const linkId = await joinApproved(world.patient, world.supporter, colleague, ["progress", "milestones"]);
    const access = await supporterAccess(db, world.supporter, linkId);
    expect(access).toMatchObject({ patientId: world.patient.id, categories: ["progress", "milestones"] });
    expect(await (await send(`/supporter/circles/${linkId}`, world.supporter)).text()).toContain("Aftercare, week 1 of 12");
    const link = (await findPatientLink(db, world.patient.id, linkId))!;
    expect(link.episodeId).toBe((await openEpisode(world.patient.id))!.id);
  });
});
