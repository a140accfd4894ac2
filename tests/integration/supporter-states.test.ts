import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { circleLinks } from "#db/schema";
import { assignModule } from "~/models/assignments.server";
import { endedCircles, revokeLink } from "~/models/care-circle.server";
import { createCheckIn } from "~/models/check-in.server";
import { db } from "../support/database";
import { createActiveUser, createProgramWithStaff, joinApproved } from "../support/fixtures";
import { remixHandler, requestAs } from "../support/remix-handler";

/**
 * What a supporter's pages say when nothing is shared yet, and after their place in a circle ended:
 * why, and since when, never what was shared.
 */

let app: Awaited<ReturnType<typeof remixHandler>>;
beforeAll(async () => {
  app = await remixHandler();
});

async function ended() {
  const staff = await createProgramWithStaff("Supporter states");
  const linkId = await joinApproved(staff.patient, staff.supporter, staff.therapist, ["progress", "milestones"]);
  const link = (await db.select().from(circleLinks).where(eq(circleLinks.id, linkId)).get())!;
  await revokeLink(
    db,
    { actor: { id: staff.patient.id, programId: staff.patient.programId, ipAddress: null }, as: "patient" },
    link,
  );
  return { ...staff, linkId };
}

describe("a supporter's pages", () => {
  it("tell a supporter just approved whose check-ins will appear, and why there are none yet", async () => {
    const { patient, supporter, therapist } = await createProgramWithStaff("Supporter states");
    await joinApproved(patient, supporter, therapist, ["progress"]);
    const html = await (await requestAs(app, "/supporter/updates", supporter.id)).text();
    expect(html).toContain(`${patient.name} chooses which check-ins to share with you, one at a time.`);
    expect(html).not.toContain("Nothing has been shared with you yet.");
  });

  it("list only the supporter's own ended circles, with the day each ended", async () => {
    const { supporter, patient, linkId, program } = await ended();
    const circles = await endedCircles(db, supporter);
    expect(circles.map((circle) => [circle.linkId, circle.patientName])).toEqual([[linkId, patient.name]]);
    expect(circles[0]!.endedAt).toBeInstanceOf(Date);
    const other = await createActiveUser(program.id, "supporter", "Other supporter");
    expect(await endedCircles(db, other)).toEqual([]);
  });

  it("say the circle ended on its page (410) and the updates page, and show a stranger nothing (404)", async () => {
    const { supporter, patient, linkId, program } = await ended();
    const page = await requestAs(app, `/supporter/circles/${linkId}`, supporter.id);
    expect(page.status).toBe(410);
    const html = await page.text();
    expect(html).toContain(`Your place in ${patient.name}&#x27;s care circle ended on`);
    expect(html).not.toContain("Milestones");

    const updates = await (await requestAs(app, "/supporter/updates", supporter.id)).text();
    expect(updates).toContain(`Your place in ${patient.name}&#x27;s care circle ended on`);

    const stranger = await createActiveUser(program.id, "supporter", "Stranger");
    const refused = await requestAs(app, `/supporter/circles/${linkId}`, stranger.id);
    expect(refused.status).toBe(404);
    expect(await refused.text()).not.toContain(patient.name);
  });

  it("stop saying the circle ended once the supporter is invited back into it", async () => {
    const { supporter, patient, therapist } = await ended();
    const endedLine = `Your place in ${patient.name}&#x27;s care circle ended on`;
    expect(await (await requestAs(app, "/supporter/updates", supporter.id)).text()).toContain(endedLine);
    await joinApproved(patient, supporter, therapist, ["progress"]);
    const updates = await (await requestAs(app, "/supporter/updates", supporter.id)).text();
    expect(updates).not.toContain(endedLine);
    expect(updates).toContain(`${patient.name} chooses which check-ins to share with you`);
  });

  it("carry the Part 2 notice wherever they show the patient, after what the supporter came for", async () => {
    const { patient, supporter, therapist } = await createProgramWithStaff("Supporter states");
    const linkId = await joinApproved(patient, supporter, therapist, ["progress", "milestones", "education", "attendance"]);
    await createCheckIn(db, patient, {
      kind: "check_in",
      mood: 4,
      craving: null,
      wins: "A good week",
      hard: null,
      helpRequest: null,
      audience: [linkId],
      sharedWithCareTeam: true,
    });
    const actor = { id: therapist.id, programId: therapist.programId, ipAddress: null, role: "therapist" as const };
    await assignModule(db, actor, patient.id, { slug: "relapse", target: linkId, dueOn: null });
    const notice = "42 CFR part 2 prohibits unauthorized use or disclosure of these records.";
    const pages = [
      "/supporter",
      "/supporter/updates",
      `/supporter/circles/${linkId}`,
      `/supporter/circles/${linkId}/consent`,
      "/supporter/learning",
      "/supporter/support-plan",
      "/supporter/family-sessions",
    ];
    const showingThePatient = [];
    for (const path of pages) {
      const html = await (await requestAs(app, path, supporter.id)).text();
      const main = html.slice(html.indexOf("<main"), html.indexOf("</main>"));
      if (!main.includes(patient.name)) continue;
      showingThePatient.push(path);
      expect(main, path).toContain(notice);
      // After what the page shows (its first list or section), not between the heading and the content;
      // and after everything it shows of the patient: their name does not come up again below it.
      const content = main.search(/<(?:ul|section)\b/);
      expect(content, path).toBeGreaterThan(-1);
      expect(main.indexOf(notice), path).toBeGreaterThan(content);
      expect(main.slice(main.indexOf(notice)), path).not.toContain(patient.name);
    }
    expect(showingThePatient).toEqual([
      "/supporter",
      "/supporter/updates",
      `/supporter/circles/${linkId}`,
      `/supporter/circles/${linkId}/consent`,
      "/supporter/learning",
    ]);
  });
});
