import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../support/database";
import { circleLinks, consents, disclosureLog } from "#db/schema";
import { acceptInvitation, invite } from "~/models/invitations.server";
import { decide } from "~/models/care-circle.server";
import { createActiveUser, createProgramWithStaff, enrolExisting, type TestUser } from "../support/fixtures";
import { remixHandler, requestAs } from "../support/remix-handler";
import { consentDigest } from "~/forms/consent.server";
import { decodeEntities } from "../support/html-forms";
import { englishLocale } from "~/i18n/i18n";

/**
 * The care circle through the built app, as people reach it: object-level authorization on every
 * id, bad input answered at the field with nothing changed, and revocation on the next request.
 */
let app: Awaited<ReturnType<typeof remixHandler>>;

const actorOf = (user: TestUser) => ({ id: user.id, programId: user.programId, ipAddress: null });

function inviteAs(patient: TestUser, email: string) {
  return invite(
    db,
    actorOf(patient),
    {
      categories: ["milestones", "progress"],
      purpose: "To support my recovery",
      expiryKind: "episode_end",
      expiresOn: null,
      signature: patient.name,
      name: "Family member",
      email,
      relationship: "sibling",
    },
    englishLocale,
  );
}

/** Patient A with an active supporter and a request waiting for therapist A; patient B with therapist B. */
async function twoCircles() {
  const world = await createProgramWithStaff();
  const otherTherapist = await createActiveUser(world.program.id, "therapist", "therapist-b");
  const otherPatient = await createActiveUser(world.program.id, "patient", "patient-b");
  await enrolExisting(otherPatient, otherTherapist);
  const active = await inviteAs(world.patient, world.supporter.email);
  await acceptInvitation(db, active.token, world.supporter, null);
  await decide(
    db,
    actorOf(world.therapist),
    (await db.select().from(circleLinks).where(eq(circleLinks.id, active.linkId)).get())!,
    {
      kind: "approve",
    },
  );
  const waitingSupporter = await createActiveUser(world.program.id, "supporter", "waiting");
  const waiting = await inviteAs(world.patient, waitingSupporter.email);
  await acceptInvitation(db, waiting.token, waitingSupporter, null);
  const elsewhere = await createProgramWithStaff("Elsewhere");
  return { ...world, otherTherapist, otherPatient, elsewhere, activeLinkId: active.linkId, waitingLinkId: waiting.linkId };
}

const send = (path: string, user: TestUser, form?: Record<string, string | string[]>) => requestAs(app, path, user.id, form);

async function snapshot() {
  return JSON.stringify({
    links: await db.select().from(circleLinks).orderBy(circleLinks.id).all(),
    consents: await db.select().from(consents).orderBy(consents.id).all(),
  });
}

beforeAll(async () => {
  app = await remixHandler();
});

describe("someone else's ids answer 404 and change nothing", () => {
  it("another patient cannot read or change a patient's links", async () => {
    const world = await twoCircles();
    const before = await snapshot();
    const intruder = world.otherPatient;
    expect((await send(`/patient/circle/${world.activeLinkId}`, intruder)).status).toBe(404);
    for (const intent of ["revoke", "resend", "cancel"]) {
      expect((await send("/patient/circle", intruder, { intent, linkId: world.activeLinkId })).status).toBe(404);
    }
    const change = {
      intent: "sign",
      categories: "attendance",
      purpose: "x",
      expiryKind: "episode_end",
      signature: intruder.name,
    };
    expect((await send(`/patient/circle/${world.activeLinkId}`, intruder, change)).status).toBe(404);
    // Nor ask to end it, nor share earlier check-ins with its supporter.
    expect((await send(`/patient/circle?confirm=revoke&link=${world.activeLinkId}`, intruder)).status).toBe(404);
    expect((await send(`/patient/circle/${world.activeLinkId}/earlier-check-ins`, intruder)).status).toBe(404);
    expect(await snapshot()).toBe(before);
  });

  it("the patient's own confirmation page names the person; a supporter cannot leave a circle without confirming it", async () => {
    const world = await twoCircles();
    const asking = await send(`/patient/circle?confirm=revoke&link=${world.activeLinkId}`, world.patient);
    expect(asking.status).toBe(200);
    expect(await asking.text()).toContain("This cannot be undone.");
    const before = await snapshot();
    const outsider = await createActiveUser(world.program.id, "supporter", "outsider");
    expect((await send(`/supporter/circles/${world.activeLinkId}/consent?confirm=leave`, outsider)).status).toBe(404);
    // A post without the confirmation's own intent changes nothing.
    expect((await send(`/supporter/circles/${world.activeLinkId}/consent`, world.supporter, { intent: "probe" })).status).toBe(
      400,
    );
    expect(await snapshot()).toBe(before);
  });

  it("another therapist, or another program's admin, cannot see or decide on the patient's circle", async () => {
    const world = await twoCircles();
    const before = await snapshot();
    for (const member of [world.otherTherapist, world.elsewhere.therapist]) {
      expect((await send(`/therapist/patients/${world.patient.id}`, member)).status).toBe(404);
      expect((await send("/therapist/approvals", member, { intent: "approve", linkId: world.waitingLinkId })).status).toBe(404);
      const end = { intent: "end", linkId: world.activeLinkId, reason: "x" };
      expect((await send(`/therapist/patients/${world.patient.id}`, member, end)).status).toBe(404);
    }
    expect(
      (await send("/admin/approvals", world.elsewhere.admin, { intent: "approve", linkId: world.waitingLinkId })).status,
    ).toBe(404);
    // A therapist's own patient page cannot be used to reach another patient's link either.
    const ownPage = `/therapist/patients/${world.otherPatient.id}`;
    expect((await send(ownPage, world.otherTherapist, { intent: "end", linkId: world.activeLinkId, reason: "x" })).status).toBe(
      404,
    );
    expect(await snapshot()).toBe(before);
  });

  it("a supporter cannot open a link that is not theirs, nor one still waiting for the therapist", async () => {
    const world = await twoCircles();
    const logRows = async () =>
      (await db.select().from(disclosureLog).where(eq(disclosureLog.patientId, world.patient.id)).all()).length;
    const before = await logRows();
    const stranger = await createActiveUser(world.program.id, "supporter", "stranger");
    expect((await send(`/supporter/circles/${world.activeLinkId}`, stranger)).status).toBe(404);
    expect((await send(`/supporter/circles/${world.activeLinkId}/consent`, stranger)).status).toBe(404);
    expect((await send(`/supporter/circles/${world.waitingLinkId}`, world.supporter)).status).toBe(404);
    expect(await logRows()).toBe(before);
  });
});

describe("the supporter's access follows the consent on every request", () => {
  it("is written to the disclosure log when read, and refused on the request after revocation", async () => {
    const world = await twoCircles();
    const page = `/supporter/circles/${world.activeLinkId}`;
    const logRows = () => db.select().from(disclosureLog).where(eq(disclosureLog.linkId, world.activeLinkId)).all();
    const before = (await logRows()).length;
    const shown = await send(page, world.supporter);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain("42 CFR part 2 prohibits unauthorized use or disclosure of these records");
    expect((await logRows()).filter((row) => row.kind === "disclosure").length).toBeGreaterThan(0);
    expect((await logRows()).length).toBeGreaterThan(before);

    const revoked = await send("/patient/circle", world.patient, { intent: "revoke", linkId: world.activeLinkId });
    expect(revoked.status).toBe(302);
    // Refused: the page now only says that the circle ended, and nothing more is logged.
    const afterRevocation = (await logRows()).length;
    const refused = await send(page, world.supporter);
    expect(refused.status).toBe(410);
    expect(await refused.text()).not.toContain("42 CFR part 2 prohibits");
    expect((await logRows()).length).toBe(afterRevocation);
  });
});

describe("the supporter's home", () => {
  it("names approved circles under the Part 2 notice, and logs that the name was shown", async () => {
    const world = await twoCircles();
    const listed = async () =>
      (await db.select().from(disclosureLog).where(eq(disclosureLog.linkId, world.activeLinkId)).all()).filter(
        (row) => row.itemType === "circle_list",
      );
    const response = await send("/supporter", world.supporter);
    const html = await response.text();
    expect(html).toContain(world.patient.name);
    expect(html).toContain("42 CFR part 2 prohibits unauthorized use or disclosure of these records");
    expect(html).toContain(`/supporter/circles/${world.activeLinkId}/consent`);
    expect(await listed()).toHaveLength(1);
    expect((await listed())[0]).toMatchObject({ kind: "disclosure", actorUserId: world.supporter.id, category: null });

    // A supporter still waiting for the therapist is told so, and nothing is disclosed for it.
    const waitingSupporter = (await db.select().from(circleLinks).where(eq(circleLinks.id, world.waitingLinkId)).get())!
      .supporterId!;
    const before = (await db.select().from(disclosureLog).where(eq(disclosureLog.linkId, world.waitingLinkId)).all()).length;
    await send("/supporter", { ...world.supporter, id: waitingSupporter });
    expect(await db.select().from(disclosureLog).where(eq(disclosureLog.linkId, world.waitingLinkId)).all()).toHaveLength(before);
  });
});

describe("bad input on the invitation form gets a message at the field and changes nothing", () => {
  const valid = () => ({
    name: "Maria Lopez",
    email: `maria-${Date.now()}@example.test`,
    relationship: "parent",
    categories: ["progress"],
    purpose: "To support my recovery",
    expiryKind: "episode_end",
  });

  async function review(patient: TestUser, form: Record<string, string | string[]>) {
    const response = await send("/patient/circle/invite", patient, { ...form, intent: "review" });
    return { status: response.status, html: await response.text() };
  }

  it.each([
    ["a 10,000-character name", { name: "x".repeat(10_000) }, "Use at most 120 characters."],
    ["an invalid e-mail", { email: "not-an-address" }, "Enter an e-mail address like name@example.com."],
    ["a category that does not exist", { categories: ["diagnosis"] }, "Choose from the list."],
    ["a relationship that does not exist", { relationship: "landlord" }, "Choose how they are related to you."],
  ])("%s", async (_label, change, message) => {
    const { patient } = await createProgramWithStaff();
    const before = await snapshot();
    const { status, html } = await review(patient, { ...valid(), ...change });
    expect(status).toBe(400);
    expect(html).toContain(message);
    expect(await snapshot()).toBe(before);
  });

  async function signAfterReview(patient: TestUser, form: Record<string, string | string[]>) {
    const { html } = await review(patient, form);
    const digest = /name="previewDigest" value="([^"]+)"/.exec(html)?.[1];
    expect(digest, "the review step shows the consent to sign").toBeTruthy();
    const response = await send("/patient/circle/invite", patient, {
      ...form,
      intent: "sign",
      previewDigest: digest!,
      signature: form.signature ?? patient.name,
    });
    return { status: response.status, html: await response.text(), location: response.headers.get("Location") };
  }

  it("an expiry in the past, a signature that is not the patient's name, and a duplicate", async () => {
    const { patient, supporter } = await createProgramWithStaff();
    const before = await snapshot();
    const past = await signAfterReview(patient, { ...valid(), expiryKind: "date", expiresOn: "2020-01-01" });
    expect(past.status).toBe(400);
    expect(past.html).toContain("Choose a date after today.");
    const wrongName = await signAfterReview(patient, { ...valid(), signature: "Somebody Else" });
    expect(wrongName.status).toBe(400);
    expect(wrongName.html).toContain("Type your full name exactly as it is on your account.");
    expect(await snapshot()).toBe(before);

    const first = await signAfterReview(patient, { ...valid(), email: supporter.email });
    expect(first.status).toBe(302);
    const afterFirst = await snapshot();
    const duplicate = await signAfterReview(patient, { ...valid(), email: supporter.email });
    expect(duplicate.status).toBe(400);
    expect(duplicate.html).toContain("This person already has an invitation or a place in your circle.");
    expect(await snapshot()).toBe(afterFirst);
  });

  it("the preview says who will sign it and when, never that it is signed; the stored text says it was, under the digest signed", async () => {
    const { patient } = await createProgramWithStaff();
    const form = valid();
    const { html } = await review(patient, form);
    const previewed = decodeEntities(/<article[^>]*>([\s\S]*?)<\/article>/.exec(html)![1]!);
    const digest = /name="previewDigest" value="([^"]+)"/.exec(html)![1]!;
    expect(previewed).toMatch(new RegExp(`>Will be signed by ${patient.name} on [^<]+\\.<`));
    expect(previewed).not.toMatch(/signed:/i);

    expect((await signAfterReview(patient, form)).status).toBe(302);
    const [stored] = await db.select().from(consents).where(eq(consents.patientId, patient.id));
    const paragraphs = stored!.text.split("\n\n");
    expect(paragraphs.at(-1)).toMatch(new RegExp(`^Signed: ${patient.name}, on [^\\n]+\\.$`));
    // Every other paragraph was in the preview word for word.
    for (const paragraph of paragraphs.slice(0, -1)) expect(previewed).toContain(paragraph);
    expect(consentDigest(stored!.text)).toBe(digest);
  });

  it("a consent changed after it was read must be read again before it is signed", async () => {
    const { patient } = await createProgramWithStaff();
    const form = valid();
    const { html } = await review(patient, form);
    const digest = /name="previewDigest" value="([^"]+)"/.exec(html)![1]!;
    const before = await snapshot();
    const response = await send("/patient/circle/invite", patient, {
      ...form,
      categories: ["progress", "attendance"],
      intent: "sign",
      previewDigest: digest,
      signature: patient.name,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Something changed after you read the consent.");
    expect(await snapshot()).toBe(before);
  });
});
