import { supporterAccesses } from "~/models/access.server";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../support/database";
import { circleLinks, disclosureLog, supportPlanAsks } from "#db/schema";
import { acceptInvitation, invite } from "~/models/invitations.server";
import { decide, revokeLink } from "~/models/care-circle.server";
import {
  addPlanItem,
  answerAsk,
  asksOfSupporter,
  removePlanItem,
  supportPlan,
  SupportPlanRuleError,
} from "~/models/support-plan.server";
import { createActiveUser, createProgramWithStaff, type TestUser } from "../support/fixtures";
import { remixHandler, requestAs } from "../support/remix-handler";
import { englishLocale } from "~/i18n/i18n";

let app: Awaited<ReturnType<typeof remixHandler>>;
beforeAll(async () => {
  app = await remixHandler();
});

const actorOf = (user: TestUser) => ({ id: user.id, programId: user.programId, ipAddress: null });
const linkRow = async (linkId: string) => (await db.select().from(circleLinks).where(eq(circleLinks.id, linkId)).get())!;

async function approve(patient: TestUser, supporter: TestUser, therapist: TestUser) {
  const { token, linkId } = await invite(
    db,
    actorOf(patient),
    {
      categories: ["milestones"],
      purpose: "Support",
      expiryKind: "episode_end",
      expiresOn: null,
      signature: patient.name,
      name: supporter.name,
      email: supporter.email,
      relationship: "parent",
    },
    englishLocale,
  );
  await acceptInvitation(db, token, supporter, null);
  await decide(db, actorOf(therapist), await linkRow(linkId), { kind: "approve" });
  return linkId;
}

describe("the support plan", () => {
  it("asks specific supporters, who say yes or no; a need nobody has taken on is a gap", async () => {
    const world = await createProgramWithStaff();
    const linkId = await approve(world.patient, world.supporter, world.therapist);
    const ride = await addPlanItem(db, world.patient, { need: "ride", details: "Tue and Thu, 6 pm", ask: [linkId] });
    const home = await addPlanItem(db, world.patient, { need: "substance_free_home", details: null, ask: [] });
    expect((await supportPlan(db, world.patient.id)).map((item) => [item.need, item.isGap])).toEqual([
      ["ride", true],
      ["substance_free_home", true],
    ]);

    const asked = await asksOfSupporter(db, await supporterAccesses(db, world.supporter));
    expect(asked.map((ask) => [ask.itemId, ask.patientName, ask.status])).toEqual([[ride, world.patient.name, "asked"]]);
    const logged = await db
      .select()
      .from(disclosureLog)
      .where(and(eq(disclosureLog.linkId, linkId), eq(disclosureLog.itemId, ride)))
      .all();
    expect(logged).toMatchObject([{ kind: "disclosure", itemType: "support_plan_item", category: null }]);

    expect(await answerAsk(db, await supporterAccesses(db, world.supporter), ride, "accepted")).toBe(true);
    expect((await supportPlan(db, world.patient.id)).find((item) => item.id === ride)).toMatchObject({
      isGap: false,
      asks: [{ status: "accepted" }],
    });
    expect((await supportPlan(db, world.patient.id)).find((item) => item.id === home)?.isGap).toBe(true);
  });

  it("someone who leaves the circle no longer covers a need, nor sees what was asked", async () => {
    const world = await createProgramWithStaff();
    const linkId = await approve(world.patient, world.supporter, world.therapist);
    const ride = await addPlanItem(db, world.patient, { need: "ride", details: null, ask: [linkId] });
    await answerAsk(db, await supporterAccesses(db, world.supporter), ride, "accepted");
    await revokeLink(db, { actor: actorOf(world.patient), as: "patient" }, await linkRow(linkId));
    expect((await supportPlan(db, world.patient.id))[0]).toMatchObject({ isGap: true, asks: [] });
    expect(await asksOfSupporter(db, await supporterAccesses(db, world.supporter))).toEqual([]);
    expect(await answerAsk(db, await supporterAccesses(db, world.supporter), ride, "declined")).toBe(false);
  });

  it("refuses asks outside the circle, and other people's items: nothing changes", async () => {
    const world = await createProgramWithStaff();
    const other = await createProgramWithStaff("Other");
    const otherLink = await approve(other.patient, other.supporter, other.therapist);
    await expect(addPlanItem(db, world.patient, { need: "ride", details: null, ask: [otherLink] })).rejects.toThrow(
      SupportPlanRuleError,
    );
    expect(await supportPlan(db, world.patient.id)).toEqual([]);

    const theirs = await addPlanItem(db, other.patient, { need: "ride", details: null, ask: [otherLink] });
    expect(await removePlanItem(db, world.patient, theirs)).toBe(false);
    const stranger = await createActiveUser(world.program.id, "supporter", "stranger");
    expect(await answerAsk(db, await supporterAccesses(db, stranger), theirs, "accepted")).toBe(false);
    expect((await db.select().from(supportPlanAsks).where(eq(supportPlanAsks.itemId, theirs)).get())?.status).toBe("asked");

    expect((await requestAs(app, "/patient/support-plan", world.patient.id, { intent: "remove", itemId: theirs })).status).toBe(
      404,
    );
    expect((await requestAs(app, "/supporter/support-plan", stranger.id, { intent: "accepted", itemId: theirs })).status).toBe(
      404,
    );
    expect(await supportPlan(db, other.patient.id)).toHaveLength(1);
  });

  it("the therapist sees the plan and its gaps on the patient's page", async () => {
    const world = await createProgramWithStaff();
    await addPlanItem(db, world.patient, { need: "ride", details: null, ask: [] });
    const html = await (await requestAs(app, `/therapist/patients/${world.patient.id}`, world.therapist.id)).text();
    expect(html).toContain("Rides to sessions");
    expect(html).toContain("1 need nobody has taken on");
  });

  it("bad input gets a message at the field and adds nothing", async () => {
    const world = await createProgramWithStaff();
    const response = await requestAs(app, "/patient/support-plan", world.patient.id, {
      intent: "add",
      need: "a-pony",
      details: "x".repeat(501),
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Choose what you need.");
    expect(html).toContain("Use at most 500 characters.");
    expect(await supportPlan(db, world.patient.id)).toEqual([]);
  });
});
