import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../support/database";
import { circleLinks, memberships, sessions } from "#db/schema";
import { createTherapist, listProgramAccounts, setAccountDisabled, signIn } from "~/models/account.server";
import { acceptInvitation, invite, type Invitation } from "~/models/invitations.server";
import { CircleRuleError } from "~/models/circle-link.server";
import { decide } from "~/models/care-circle.server";
import { startSession } from "~/session.server";
import { cookieFor, createProgramWithStaff, testOrigin, testPassword, type TestUser } from "../support/fixtures";
import { remixHandler } from "../support/remix-handler";
import { englishLocale } from "~/i18n/i18n";

/**
 * One person, several memberships: a parent in treatment who supports their child, a supporter of
 * patients in two programs. The session acts as one membership; nothing of one program shows in another.
 */
let app: Awaited<ReturnType<typeof remixHandler>>;

beforeAll(async () => {
  app = await remixHandler();
});

const actorOf = (user: { id: string; programId: string }) => ({ id: user.id, programId: user.programId, ipAddress: null });

function invitation(patient: TestUser, email: string, name = "Family member"): Invitation {
  return {
    categories: ["progress", "milestones"],
    purpose: "To support my recovery",
    expiryKind: "episode_end",
    expiresOn: null,
    signature: patient.name,
    name,
    email,
    relationship: "parent",
  };
}

/** `patient` invites `email`; the person behind it accepts as `person`; `therapist` approves. Returns the link. */
async function joinAs(world: { patient: TestUser; therapist: TestUser }, person: { id: string; email: string }) {
  const invited = await invite(db, actorOf(world.patient), invitation(world.patient, person.email), englishLocale);
  const accepted = await acceptInvitation(db, invited.token, person, null);
  if (!accepted.ok) throw new Error(`acceptance failed: ${accepted.reason}`);
  const link = (await db.select().from(circleLinks).where(eq(circleLinks.id, invited.linkId)).get())!;
  expect(await decide(db, actorOf(world.therapist), link, { kind: "approve" })).toBe(true);
  return { linkId: invited.linkId, supporterId: accepted.supporterId };
}

/** Gives the world's patient a name of their own, so that a page naming them can be told apart. */
async function namePatient<World extends { patient: TestUser }>(world: World, name: string): Promise<World> {
  await db.update(memberships).set({ name }).where(eq(memberships.id, world.patient.id));
  return { ...world, patient: { ...world.patient, name } };
}

async function get(path: string, cookie: string) {
  return app.fetch(new Request(`${testOrigin}${path}`, { headers: { Cookie: cookie }, redirect: "manual" }));
}

async function post(path: string, cookie: string, form: Record<string, string>) {
  const headers = { Cookie: cookie, Origin: testOrigin, Host: new URL(testOrigin).host };
  return app.fetch(
    new Request(`${testOrigin}${path}`, { method: "POST", headers, body: new URLSearchParams(form), redirect: "manual" }),
  );
}

async function personCookie(personId: string) {
  return (
    await startSession(db, new Request(`${testOrigin}/login`), personId, null, { ipAddress: null, userAgent: "vitest" })
  ).split(";")[0]!;
}

describe("a patient who also supports someone", () => {
  it("holds two memberships, chooses which acts, and each sees only its own pages", async () => {
    const world = await createProgramWithStaff();
    const child = await createProgramWithStaff("Child's program");
    // The patient of `world` supports the patient of `child`, under the same e-mail and password.
    const { linkId, supporterId } = await joinAs(child, world.patient);
    expect(supporterId).not.toBe(world.patient.id);

    const signedIn = await signIn(db, world.patient.email, testPassword, "10.20.0.1");
    expect(signedIn.ok && signedIn.memberships.map((m) => m.role).sort()).toEqual(["patient", "supporter"]);

    // Signed in but not yet acting: every role page asks which membership acts, and comes back after.
    const cookie = await personCookie(world.patient.id);
    const asked = await get("/patient", cookie);
    expect(asked.status).toBe(302);
    expect(asked.headers.get("Location")).toBe("/account/roles?redirectTo=%2Fpatient");
    const chooser = await (await get("/account/roles", cookie)).text();
    expect(chooser).toContain("Patient");
    expect(chooser).toContain("Supporter");
    expect(chooser).toContain(child.program.name);

    const chosen = await post("/account/roles", cookie, { membershipId: supporterId, redirectTo: "/patient" });
    expect(chosen.status).toBe(302);
    // A return path outside the chosen role's area is not followed.
    expect(chosen.headers.get("Location")).toBe("/supporter");
    expect((await get(`/supporter/circles/${linkId}`, cookie)).status).toBe(200);
    expect((await get("/patient", cookie)).status).toBe(403);

    expect((await post("/account/roles", cookie, { membershipId: world.patient.id })).headers.get("Location")).toBe("/patient");
    expect((await get("/patient", cookie)).status).toBe(200);
    expect((await get(`/supporter/circles/${linkId}`, cookie)).status).toBe(403);
  });

  it("cannot make someone else's membership act, or a disabled one", async () => {
    const world = await createProgramWithStaff();
    const cookie = await personCookie(world.patient.id);
    expect((await post("/account/roles", cookie, { membershipId: world.therapist.id })).status).toBe(404);
    const row = (await db.select().from(sessions).where(eq(sessions.personId, world.patient.id)).get())!;
    expect(row.membershipId).toBeNull();
    expect(await setAccountDisabled(db, actorOf(world.admin), world.patient.id, true)).not.toBeNull();
    expect((await get("/account/roles", cookie)).status).toBe(302);
  });
});

describe("a supporter of patients in two programs", () => {
  it("sees each program's circle only while that membership acts", async () => {
    const first = await namePatient(await createProgramWithStaff("First"), "Robin Firstprogram");
    const second = await namePatient(await createProgramWithStaff("Second"), "Sasha Secondprogram");
    const inFirst = await joinAs(first, first.supporter);
    const inSecond = await joinAs(second, first.supporter);
    expect(inFirst.supporterId).toBe(first.supporter.id);
    expect(inSecond.supporterId).not.toBe(first.supporter.id);

    const asFirst = await cookieFor(inFirst.supporterId);
    const firstHome = await (await get("/supporter", asFirst)).text();
    expect(firstHome).toContain(first.patient.name);
    expect(firstHome).not.toContain(second.patient.name);
    expect((await get(`/supporter/circles/${inSecond.linkId}`, asFirst)).status).toBe(404);

    const asSecond = await cookieFor(inSecond.supporterId);
    const secondHome = await (await get("/supporter", asSecond)).text();
    expect(secondHome).toContain(second.patient.name);
    expect(secondHome).not.toContain(first.patient.name);
    expect((await get(`/supporter/circles/${inSecond.linkId}`, asSecond)).status).toBe(200);
  });
});

describe("a program-B supporter invited into program A", () => {
  it("reaches program A only through a new program-A membership, which program B cannot see or touch", async () => {
    const programA = await namePatient(await createProgramWithStaff("A"), "Avery Aprogram");
    const programB = await createProgramWithStaff("B");
    const { linkId, supporterId } = await joinAs(programA, programB.supporter);

    const link = (await db.select().from(circleLinks).where(eq(circleLinks.id, linkId)).get())!;
    expect(link.supporterId).toBe(supporterId);
    const membership = (await db.select().from(memberships).where(eq(memberships.id, supporterId)).get())!;
    expect(membership).toMatchObject({ programId: programA.program.id, personId: programB.supporter.id, role: "supporter" });

    // The program-B membership reaches nothing of program A.
    const asB = await cookieFor(programB.supporter.id);
    expect((await get(`/supporter/circles/${linkId}`, asB)).status).toBe(404);
    expect(await (await get("/supporter", asB)).text()).not.toContain(programA.patient.name);

    const listedInB = (await listProgramAccounts(db, programB.program.id, ["supporter"])).accounts.map((row) => row.id);
    expect(listedInB).toContain(programB.supporter.id);
    expect(listedInB).not.toContain(supporterId);
    expect((await listProgramAccounts(db, programA.program.id, ["supporter"])).accounts.map((row) => row.id)).toContain(
      supporterId,
    );
    expect(await setAccountDisabled(db, actorOf(programB.admin), supporterId, true)).toBeNull();

    // Program A's admin disabling its own membership leaves the person's program-B role working.
    expect(await setAccountDisabled(db, actorOf(programA.admin), supporterId, true)).not.toBeNull();
    const signedIn = await signIn(db, programB.supporter.email, testPassword, "10.20.0.2");
    expect(signedIn.ok && signedIn.memberships.map((m) => m.id)).toEqual([programB.supporter.id]);
  });
});

describe("staff of the patient's program", () => {
  it("cannot be invited as supporters, and the refusal is at the e-mail field", async () => {
    const world = await createProgramWithStaff();
    for (const staff of [world.therapist, world.admin]) {
      const before = (await db.select().from(circleLinks).where(eq(circleLinks.patientId, world.patient.id)).all()).length;
      let refused: unknown;
      try {
        await invite(db, actorOf(world.patient), invitation(world.patient, staff.email.toUpperCase()), englishLocale);
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(CircleRuleError);
      expect(refused).toMatchObject({ field: "email", messageKey: "circle.invite.staffEmail" });
      expect(await db.select().from(circleLinks).where(eq(circleLinks.patientId, world.patient.id)).all()).toHaveLength(before);
    }
    // Staff of another program may support someone here like anyone else.
    const elsewhere = await createProgramWithStaff("Elsewhere");
    expect(
      (await invite(db, actorOf(world.patient), invitation(world.patient, elsewhere.therapist.email), englishLocale)).linkId,
    ).toBeTruthy();
  });
});

describe("adding a role to someone who already signs in", () => {
  it("gives the membership at once, with no activation link, and refuses the same role twice", async () => {
    const programA = await createProgramWithStaff("A");
    const programB = await createProgramWithStaff("B");
    const added = await createTherapist(db, actorOf(programB.admin), { name: "Dual Role", email: programA.therapist.email });
    expect(added.activationToken).toBeNull();
    const row = await db
      .select()
      .from(memberships)
      .where(and(eq(memberships.personId, programA.therapist.id), eq(memberships.programId, programB.program.id)))
      .get();
    expect(row).toMatchObject({ id: added.userId, status: "active", role: "therapist" });
    await expect(
      createTherapist(db, actorOf(programB.admin), { name: "Again", email: programA.therapist.email }),
    ).rejects.toThrow(/already/);
  });
});
