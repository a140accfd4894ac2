import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { episodes, memberships, moduleAssignments } from "#db/schema";
import { assignableModules, assignModule } from "~/models/assignments.server";
import { approvalQueue } from "~/models/care-circle.server";
import { acceptInvitation, invite } from "~/models/invitations.server";
import { moduleLibrary } from "~/models/module-library.server";
import { db } from "../support/database";
import {
  cookieFor,
  createActiveUser,
  createProgramWithStaff,
  enrolExisting,
  joinApproved,
  testOrigin,
  type TestUser,
} from "../support/fixtures";
import { remixHandler, requestAs } from "../support/remix-handler";
import { englishLocale } from "~/i18n/i18n";

/** Journey 5 through the built app: disabling with a handover, reassigning, hiding modules; two programs. */
let app: Awaited<ReturnType<typeof remixHandler>>;
beforeAll(async () => {
  app = await remixHandler();
});

const actorOf = (user: TestUser) => ({ id: user.id, programId: user.programId, ipAddress: null });
const send = (path: string, user: TestUser, form?: Record<string, string>) => requestAs(app, path, user.id, form);
const primaryOf = async (patientId: string) =>
  (await db.select().from(episodes).where(eq(episodes.patientId, patientId)).get())!.primaryTherapistId;
const statusOf = async (id: string) => (await db.select().from(memberships).where(eq(memberships.id, id)).get())!.status;

/** A patient of the world's therapist with a supporter waiting for the therapist's approval. */
async function pendingRequest(world: Awaited<ReturnType<typeof createProgramWithStaff>>) {
  const { token, linkId } = await invite(
    db,
    actorOf(world.patient),
    {
      categories: ["progress"],
      purpose: "Support",
      expiryKind: "episode_end",
      expiresOn: null,
      signature: world.patient.name,
      name: "Waiting supporter",
      email: world.supporter.email,
      relationship: "parent",
    },
    englishLocale,
  );
  await acceptInvitation(db, token, world.supporter, null);
  return linkId;
}

describe("disabling a therapist", () => {
  it("asks for a colleague of the program, active, when they have open episodes; nothing changes otherwise", async () => {
    const world = await createProgramWithStaff();
    const elsewhere = await createProgramWithStaff("Elsewhere");
    const disabledColleague = await createActiveUser(world.program.id, "therapist", "disabled-colleague");
    await db.update(memberships).set({ status: "disabled" }).where(eq(memberships.id, disabledColleague.id));
    const path = `/admin/accounts/${world.therapist.id}/disable`;
    const page = await send(path, world.admin);
    expect(await page.text()).toContain("Colleague who takes their patients");
    for (const colleagueId of ["", elsewhere.therapist.id, disabledColleague.id, world.therapist.id]) {
      const response = await send(path, world.admin, { intent: "disable", colleagueId });
      expect(response.status, colleagueId).toBe(400);
    }
    expect(await statusOf(world.therapist.id)).toBe("active");
    expect(await primaryOf(world.patient.id)).toBe(world.therapist.id);
    expect((await send(path, elsewhere.admin, { intent: "disable", colleagueId: elsewhere.therapist.id })).status).toBe(404);
  });

  it("moves every open episode and the approval queue to the colleague, and ends the therapist's sessions at once", async () => {
    const world = await createProgramWithStaff();
    const colleague = await createActiveUser(world.program.id, "therapist", "colleague");
    const secondPatient = await createActiveUser(world.program.id, "patient", "second");
    await enrolExisting(secondPatient, world.therapist);
    const linkId = await pendingRequest(world);
    const cookie = await cookieFor(world.therapist.id);
    const response = await send(`/admin/accounts/${world.therapist.id}/disable`, world.admin, {
      intent: "disable",
      colleagueId: colleague.id,
    });
    expect(response.status).toBe(302);
    expect(await statusOf(world.therapist.id)).toBe("disabled");
    expect(await primaryOf(world.patient.id)).toBe(colleague.id);
    expect(await primaryOf(secondPatient.id)).toBe(colleague.id);
    // The session signed in before the disabling no longer works.
    const stale = await app.fetch(
      new Request(`${testOrigin}/therapist`, { headers: { Cookie: cookie, Host: new URL(testOrigin).host }, redirect: "manual" }),
    );
    expect(stale.status).toBe(302);
    expect((await approvalQueue(db, { ...colleague, role: "therapist" })).map((item) => item.id)).toEqual([linkId]);
  });

  it("disables someone without open episodes with no colleague asked", async () => {
    const world = await createProgramWithStaff();
    const idle = await createActiveUser(world.program.id, "therapist", "idle");
    expect((await send(`/admin/accounts/${idle.id}/disable`, world.admin, { intent: "disable" })).status).toBe(302);
    expect(await statusOf(idle.id)).toBe("disabled");
  });
});

describe("reassigning a patient's primary therapist", () => {
  it("names a therapist of the program; another program's therapist or patient changes nothing", async () => {
    const world = await createProgramWithStaff();
    const colleague = await createActiveUser(world.program.id, "therapist", "colleague");
    const elsewhere = await createProgramWithStaff("Elsewhere");
    const path = `/admin/patients/${world.patient.id}`;
    expect((await send(path, world.admin, { intent: "reassign", therapistId: elsewhere.therapist.id })).status).toBe(400);
    expect((await send(path, elsewhere.admin, { intent: "reassign", therapistId: elsewhere.therapist.id })).status).toBe(404);
    expect(await primaryOf(world.patient.id)).toBe(world.therapist.id);
    expect((await send(path, world.admin, { intent: "reassign", therapistId: colleague.id })).status).toBe(302);
    expect(await primaryOf(world.patient.id)).toBe(colleague.id);
  });
});

describe("hiding a module from assignment", () => {
  it("takes it out of every picker only: assignments made and the supporters' library stay; other programs see it", async () => {
    const world = await createProgramWithStaff();
    const elsewhere = await createProgramWithStaff("Elsewhere");
    const linkId = await joinApproved(world.patient, world.supporter, world.therapist, ["education"]);
    const therapist = { ...actorOf(world.therapist), role: "therapist" as const };
    await assignModule(db, therapist, world.patient.id, { slug: "welcome", target: linkId, dueOn: null });

    expect((await send("/admin/modules", world.admin, { intent: "hide", slug: "welcome" })).status).toBe(302);
    expect((await assignableModules(db, world.program.id)).map((module) => module.slug)).not.toContain("welcome");
    expect((await assignableModules(db, elsewhere.program.id)).map((module) => module.slug)).toContain("welcome");
    expect((await moduleLibrary(db, world.program.id)).map((module) => module.slug)).toContain("welcome");
    await expect(
      assignModule(db, therapist, world.patient.id, { slug: "welcome", target: linkId, dueOn: null }),
    ).rejects.toThrow();
    const kept = await db.select().from(moduleAssignments).where(eq(moduleAssignments.linkId, linkId)).all();
    expect(kept).toHaveLength(1);
    const picker = await send(`/therapist/patients/${world.patient.id}/learning`, world.therapist);
    expect(await picker.text()).not.toContain('value="welcome"');

    expect((await send("/admin/modules", world.admin, { intent: "show", slug: "welcome" })).status).toBe(302);
    expect((await assignableModules(db, world.program.id)).map((module) => module.slug)).toContain("welcome");
    expect((await send("/admin/modules", world.admin, { intent: "hide", slug: "no-such-module" })).status).toBe(404);
  });
});
