import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "#db/client";
import { auditEvents, circleLinks, consents, disclosureLog } from "#db/schema";
import {
  acceptInvitation,
  acceptWithNewAccount,
  cancelInvitation,
  inspectInvitation,
  invitationLimit,
  invite,
  resendInvitation,
} from "~/models/invitations.server";
import { approvalQueue, decide, patientCircle, revokeLink, supporterCircles } from "~/models/care-circle.server";
import { changeConsent, type ConsentChoice } from "~/models/consent.server";
import { careTeamLink } from "~/models/access.server";
import { CircleRuleError } from "~/models/circle-link.server";
import { narrow, release, supporterAccess } from "~/models/access.server";
import { IllegalTransitionError } from "~/models/circle-state";
import { disclosurePage } from "~/models/disclosure.server";
import { endEpisode } from "~/models/episode.server";
import { sha256Hex } from "~/utils/crypto.server";
import { createActiveUser, createProgramWithStaff, enrolExisting, type TestUser } from "../support/fixtures";

afterEach(() => {
  vi.useRealTimers();
});

const actorOf = (user: TestUser) => ({ id: user.id, programId: user.programId, ipAddress: "127.0.0.1" });

function choice(patient: TestUser, overrides: Partial<ConsentChoice> = {}): ConsentChoice {
  return {
    categories: ["milestones", "progress"], // stored in the product's order: progress first
    purpose: "At my request, to support my treatment and recovery",
    expiryKind: "episode_end",
    expiresOn: null,
    signature: patient.name,
    ...overrides,
  };
}

let counter = 0;
function inviteSomeone(patient: TestUser, overrides: Partial<ConsentChoice> & { email?: string } = {}) {
  const { email, ...consent } = overrides;
  counter += 1;
  return invite(
    actorOf(patient),
    {
      ...choice(patient, consent),
      name: `Family ${counter}`,
      email: email ?? `family-${counter}-${Date.now()}@example.test`,
      relationship: "parent",
    },
    "en-US",
  );
}

function linkRow(linkId: string) {
  return db.select().from(circleLinks).where(eq(circleLinks.id, linkId)).get()!;
}

function consentsOf(linkId: string) {
  return db.select().from(consents).where(eq(consents.linkId, linkId)).orderBy(consents.version).all();
}

function auditActions(linkId: string) {
  return db
    .select({ action: auditEvents.action })
    .from(auditEvents)
    .where(and(eq(auditEvents.targetType, "circle_link"), eq(auditEvents.targetId, linkId)))
    .all()
    .map((row) => row.action);
}

/** A patient with an approved supporter: the starting point of most rules below. */
async function activeCircle(overrides: Partial<ConsentChoice> = {}) {
  const world = await createProgramWithStaff();
  const invited = inviteSomeone(world.patient, { ...overrides, email: world.supporter.email });
  expect(acceptInvitation(invited.token, world.supporter, null)).toMatchObject({ ok: true });
  const link = linkRow(invited.linkId);
  expect(decide(actorOf(world.therapist), link, { kind: "approve" })).toBe(true);
  return { ...world, linkId: invited.linkId, token: invited.token };
}

describe("invitation links", () => {
  it("carry 256 random bits, are stored only as a hash, and work exactly once", async () => {
    const { patient, supporter } = await createProgramWithStaff();
    const invited = inviteSomeone(patient, { email: supporter.email });
    expect(Buffer.from(invited.token, "base64url")).toHaveLength(32);
    const stored = linkRow(invited.linkId);
    expect(stored.invitationTokenHash).toBe(sha256Hex(invited.token));
    expect(JSON.stringify(stored)).not.toContain(invited.token);

    expect(acceptInvitation(invited.token, supporter, null)).toMatchObject({ ok: true });
    expect(acceptInvitation(invited.token, supporter, null)).toMatchObject({ ok: false, reason: "invalid" });
    expect(linkRow(invited.linkId)).toMatchObject({ status: "accepted", supporterId: supporter.id, invitationTokenHash: null });
  });

  it("expire after 7 days", async () => {
    const { patient, supporter } = await createProgramWithStaff();
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-03-01T12:00:00Z") });
    const invited = inviteSomeone(patient, { email: supporter.email });
    vi.setSystemTime(new Date("2026-03-08T11:59:00Z"));
    expect(inspectInvitation(invited.token).state).toBe("valid");
    vi.setSystemTime(new Date("2026-03-08T12:00:01Z"));
    expect(inspectInvitation(invited.token).state).toBe("expired");
    expect(acceptInvitation(invited.token, supporter, null)).toMatchObject({ ok: false, reason: "expired" });
    expect(linkRow(invited.linkId).status).toBe("invited");
  });

  it("are bound to the invited e-mail address", async () => {
    const { patient, supporter, therapist, program } = await createProgramWithStaff();
    const someoneElse = await createActiveUser(program.id, "supporter", "someone-else");
    const invited = inviteSomeone(patient, { email: supporter.email.toUpperCase() });
    expect(acceptInvitation(invited.token, someoneElse, null)).toMatchObject({ ok: false, reason: "wrong_account" });
    expect(acceptInvitation(invited.token, therapist, null)).toMatchObject({ ok: false, reason: "wrong_account" });
    expect(linkRow(invited.linkId).status).toBe("invited");
    expect(acceptInvitation(invited.token, supporter, null)).toMatchObject({ ok: true });
  });

  it("tell a tampered, cancelled or re-sent link apart, without throwing", async () => {
    const { patient } = await createProgramWithStaff();
    const first = inviteSomeone(patient);
    expect(inspectInvitation(`${first.token.slice(0, -2)}xx`).state).toBe("invalid");
    expect(inspectInvitation("").state).toBe("invalid");
    expect(inspectInvitation("x".repeat(10_000)).state).toBe("invalid");

    const resent = resendInvitation(actorOf(patient), first.linkId)!;
    expect(resent.token).not.toBe(first.token);
    expect(inspectInvitation(first.token).state).toBe("invalid");
    expect(inspectInvitation(resent.token).state).toBe("valid");

    cancelInvitation(actorOf(patient), first.linkId);
    expect(inspectInvitation(resent.token).state).toBe("invalid");
    expect(linkRow(first.linkId).status).toBe("cancelled");
    expect(consentsOf(first.linkId).map((c) => c.status)).toEqual(["ended"]);
  });

  it("with a new account: creates the supporter and accepts in one step, once", async () => {
    const { patient } = await createProgramWithStaff();
    const invited = inviteSomeone(patient);
    const outcome = acceptWithNewAccount(invited.token, { name: "Rosa Diaz", passwordHash: "x" }, null);
    expect(outcome).toMatchObject({ ok: true });
    expect(linkRow(invited.linkId)).toMatchObject({ status: "accepted", supporterId: outcome.ok ? outcome.supporterId : "" });
    expect(acceptWithNewAccount(invited.token, { name: "Rosa Diaz", passwordHash: "x" }, null)).toMatchObject({ ok: false });
  });

  it("are limited to 20 a day per patient", async () => {
    const { patient } = await createProgramWithStaff();
    for (let i = 0; i < invitationLimit.limit; i++) inviteSomeone(patient);
    expect(() => inviteSomeone(patient)).toThrow(CircleRuleError);
    const count = db.select().from(circleLinks).where(eq(circleLinks.patientId, patient.id)).all().length;
    expect(count).toBe(invitationLimit.limit);
  });
});

describe("consents", () => {
  it("store every element the law asks for, with the text the patient signed", async () => {
    const { patient, supporter, program } = await createProgramWithStaff();
    const invited = inviteSomeone(patient, { email: supporter.email, expiryKind: "date", expiresOn: "2099-12-31" });
    const [consent] = consentsOf(invited.linkId);
    expect(consent).toMatchObject({
      version: 1,
      status: "active",
      patientName: patient.name,
      disclosingProgram: program.name,
      categories: ["progress", "milestones"],
      recipientEmail: supporter.email,
      recipientRelationship: "parent",
      purpose: "At my request, to support my treatment and recovery",
      expiryKind: "date",
      expiresOn: "2099-12-31",
      signature: patient.name,
    });
    expect(consent!.revocationStatement).toMatch(/take this consent back at any time/);
    expect(consent!.revocationStatement).toMatch(/cannot undo what was already shared/);
    expect(consent!.text).toContain(patient.name);
    expect(consent!.text).toContain(program.name);
    expect(consent!.text).toMatch(/42 CFR part 2/i);
  });

  it("refuse a signature that is not the patient's name, an expiry in the past, and a duplicate open link", async () => {
    const { patient, supporter } = await createProgramWithStaff();
    const attempt = (overrides: Partial<ConsentChoice> & { email?: string }) => {
      try {
        inviteSomeone(patient, overrides);
      } catch (error) {
        return error instanceof CircleRuleError ? error.field : "unexpected";
      }
      return "saved";
    };
    expect(attempt({ signature: "Someone Else" })).toBe("signature");
    expect(attempt({ expiryKind: "date", expiresOn: "2020-01-01" })).toBe("expiresOn");
    expect(attempt({ email: supporter.email })).toBe("saved");
    expect(attempt({ email: supporter.email.toUpperCase() })).toBe("email");
    expect(db.select().from(circleLinks).where(eq(circleLinks.patientId, patient.id)).all()).toHaveLength(1);
  });

  it("cannot be saved without an element, nor edited or deleted once signed", async () => {
    const { patient } = await createProgramWithStaff();
    const invited = inviteSomeone(patient);
    const [consent] = consentsOf(invited.linkId);
    expect(() => db.update(consents).set({ purpose: "something else" }).where(eq(consents.id, consent!.id)).run()).toThrow(
      /cannot be edited/,
    );
    expect(() => db.delete(consents).where(eq(consents.id, consent!.id)).run()).toThrow(/kept/);
    expect(() =>
      db
        .insert(consents)
        .values({ ...consent!, id: "missing-purpose", version: 2, purpose: "  " })
        .run(),
    ).toThrow(/CHECK constraint/);
  });

  it("change by a new version; the old one is kept and marked superseded", async () => {
    const { patient, supporter, linkId } = await activeCircle();
    const changed = changeConsent(actorOf(patient), linkId, choice(patient, { categories: ["attendance"] }), "en-US");
    expect(changed).toMatchObject({ version: 2 });
    expect(consentsOf(linkId).map((c) => [c.version, c.status, c.categories])).toEqual([
      [1, "superseded", ["progress", "milestones"]],
      [2, "active", ["attendance"]],
    ]);
    expect(supporterAccess(supporter, linkId)).toMatchObject({ consentVersion: 2, categories: ["attendance"] });
    expect(auditActions(linkId)).toContain("circle.consent_changed");
  });
});

describe("the state machine", () => {
  it("refuses illegal transitions in the model, and changes nothing", async () => {
    const { patient, therapist, linkId } = await activeCircle();
    const link = linkRow(linkId);
    expect(() => decide(actorOf(therapist), link, { kind: "approve" })).toThrow(IllegalTransitionError);
    expect(() => cancelInvitation(actorOf(patient), linkId)).toThrow(IllegalTransitionError);
    expect(revokeLink({ actor: actorOf(patient), as: "patient" }, link)).toBe(true);
    expect(() => revokeLink({ actor: actorOf(patient), as: "patient" }, linkRow(linkId))).toThrow(IllegalTransitionError);
    expect(() => decide(actorOf(therapist), linkRow(linkId), { kind: "approve" })).toThrow(IllegalTransitionError);
    expect(linkRow(linkId).status).toBe("revoked");
  });

  it("writes each transition and its actor to the audit trail with the change", async () => {
    const { patient, therapist, supporter, linkId } = await activeCircle();
    revokeLink({ actor: actorOf(therapist), as: "care_team" }, linkRow(linkId));
    expect(auditActions(linkId)).toEqual(["circle.invited", "circle.accepted", "circle.approved", "circle.revoked"]);
    const actors = db
      .select({ actor: auditEvents.actorUserId })
      .from(auditEvents)
      .where(and(eq(auditEvents.targetType, "circle_link"), eq(auditEvents.targetId, linkId)))
      .all()
      .map((row) => row.actor);
    expect(actors).toEqual([patient.id, supporter.id, therapist.id, therapist.id]);
  });

  it("a refusal is shown to the patient; a safety concern refuses and keeps its note from the supporter", async () => {
    const { patient, therapist, supporter, program } = await createProgramWithStaff();
    const refused = inviteSomeone(patient, { email: supporter.email });
    acceptInvitation(refused.token, supporter, null);
    decide(actorOf(therapist), linkRow(refused.linkId), { kind: "refuse", reason: "Let's talk about this in session" });

    const other = await createActiveUser(program.id, "supporter", "flagged");
    const flagged = inviteSomeone(patient, { email: other.email });
    acceptInvitation(flagged.token, other, null);
    decide(actorOf(therapist), linkRow(flagged.linkId), { kind: "safety", note: "Active use in the home" });

    const circle = patientCircle(patient.id);
    expect(circle.find((row) => row.link.id === refused.linkId)?.link).toMatchObject({
      status: "refused",
      refusalReason: "Let's talk about this in session",
    });
    expect(linkRow(flagged.linkId)).toMatchObject({ status: "refused", safetyConcern: true });
    expect(supporterAccess(other, flagged.linkId)).toBeNull();
    const supporterView = JSON.stringify(supporterCircles(other));
    expect(supporterView).not.toContain("Active use in the home");
  });
});

describe("what a supporter may read", () => {
  it("nothing before approval, nothing after revocation, and only the consented categories", async () => {
    const { patient, therapist, supporter } = await createProgramWithStaff();
    const invited = inviteSomeone(patient, { email: supporter.email, categories: ["milestones"] });
    acceptInvitation(invited.token, supporter, null);
    expect(supporterAccess(supporter, invited.linkId)).toBeNull();

    decide(actorOf(therapist), linkRow(invited.linkId), { kind: "approve" });
    const grant = supporterAccess(supporter, invited.linkId)!;
    expect(grant.categories).toEqual(["milestones"]);
    expect(narrow(grant, "milestones")).not.toBeNull();
    expect(narrow(grant, "progress")).toBeNull();

    revokeLink({ actor: actorOf(patient), as: "patient" }, linkRow(invited.linkId));
    expect(supporterAccess(supporter, invited.linkId)).toBeNull();
  });

  it("nothing of someone else's link", async () => {
    const { linkId, program } = await activeCircle();
    const stranger = await createActiveUser(program.id, "supporter", "stranger");
    expect(supporterAccess(stranger, linkId)).toBeNull();
  });

  it("a consent ends by itself the day after its date, checked on access with no job to run", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-03-01T18:00:00Z") });
    const { supporter, patient, linkId } = await activeCircle({ expiryKind: "date", expiresOn: "2026-03-10" });
    // The program is in America/Chicago: 10 March ends at 05:00 UTC on the 11th.
    vi.setSystemTime(new Date("2026-03-11T04:59:00Z"));
    expect(supporterAccess(supporter, linkId)).not.toBeNull();
    vi.setSystemTime(new Date("2026-03-11T05:01:00Z"));
    expect(supporterAccess(supporter, linkId)).toBeNull();
    expect(linkRow(linkId).status).toBe("expired");
    expect(consentsOf(linkId).map((c) => c.status)).toEqual(["expired"]);
    const log = disclosurePage(patient.id).entries.map((entry) => [entry.kind, entry.detail]);
    expect(log[0]).toEqual(["consent_ended", "expired_on_date"]);
  });

  it("a consent until the end of the IOP episode ends when the episode ends", async () => {
    const { supporter, admin, patient, linkId } = await activeCircle({ expiryKind: "episode_end" });
    expect(supporterAccess(supporter, linkId)).not.toBeNull();
    expect(endEpisode(actorOf(admin), patient.id)).not.toBeNull();
    expect(supporterAccess(supporter, linkId)).toBeNull();
    expect(linkRow(linkId).status).toBe("expired");
  });

  it("every read is written to the disclosure log with the consent version, category and item", async () => {
    const { supporter, patient, linkId } = await activeCircle();
    const milestones = narrow(supporterAccess(supporter, linkId)!, "milestones")!;
    release([milestones], [{ id: "episode-1" }], (row) => ({ linkId, type: "program_week", id: row.id }));
    const [latest] = disclosurePage(patient.id).entries;
    expect(latest).toMatchObject({
      kind: "disclosure",
      category: "milestones",
      itemType: "program_week",
      itemId: "episode-1",
      consentVersion: 1,
    });
    expect(() => db.delete(disclosureLog).run()).toThrow(/append-only/);
  });
});

describe("the disclosure log", () => {
  it("lists disclosures and consent changes newest first, a page at a time, for the patient only", async () => {
    const { supporter, patient, linkId, program } = await activeCircle();
    const progress = narrow(supporterAccess(supporter, linkId)!, "progress")!;
    for (let i = 0; i < 30; i++) release([progress], [{ id: `item-${i}` }], (row) => ({ linkId, type: "check_in", id: row.id }));
    const first = disclosurePage(patient.id);
    expect(first.entries).toHaveLength(25);
    expect(first.entries[0]!.itemId).toBe("item-29");
    const second = disclosurePage(patient.id, first.next!);
    // 30 reads and the signing of version 1.
    expect(second.entries.map((entry) => entry.kind)).toEqual([
      "disclosure",
      "disclosure",
      "disclosure",
      "disclosure",
      "disclosure",
      "consent_signed",
    ]);
    expect(second.next).toBeNull();

    const otherPatient = await createActiveUser(program.id, "patient", "other");
    expect(disclosurePage(otherPatient.id).entries).toEqual([]);
  });
});

describe("the care team", () => {
  it("only the patient's own therapist, or an admin of the program, reaches a link", async () => {
    const world = await activeCircle();
    const otherTherapist = await createActiveUser(world.program.id, "therapist", "other-therapist");
    const elsewhere = await createProgramWithStaff("Elsewhere");
    expect(careTeamLink(world.therapist, world.linkId)?.id).toBe(world.linkId);
    expect(careTeamLink(world.admin, world.linkId)?.id).toBe(world.linkId);
    expect(careTeamLink(otherTherapist, world.linkId)).toBeUndefined();
    expect(careTeamLink(elsewhere.admin, world.linkId)).toBeUndefined();
    expect(careTeamLink(elsewhere.therapist, world.linkId)).toBeUndefined();
  });

  it("sees waiting requests of their own patients in the approval queue, oldest first", async () => {
    const { patient, therapist, supporter, program, admin } = await createProgramWithStaff();
    const otherTherapist = await createActiveUser(program.id, "therapist", "other-therapist");
    const otherPatient = await createActiveUser(program.id, "patient", "other-patient");
    enrolExisting(otherPatient, otherTherapist);
    const mine = inviteSomeone(patient, { email: supporter.email });
    acceptInvitation(mine.token, supporter, null);
    const theirs = inviteSomeone(otherPatient, { email: supporter.email });
    acceptInvitation(theirs.token, supporter, null);
    inviteSomeone(patient); // invited, not yet accepted: not for the therapist yet

    expect(approvalQueue(therapist).map((item) => item.id)).toEqual([mine.linkId]);
    expect(approvalQueue(otherTherapist).map((item) => item.id)).toEqual([theirs.linkId]);
    expect(
      approvalQueue(admin)
        .map((item) => item.id)
        .sort(),
    ).toEqual([mine.linkId, theirs.linkId].sort());
    expect(approvalQueue(therapist)[0]).toMatchObject({
      relationship: "parent",
      categories: ["progress", "milestones"],
      expiryKind: "episode_end",
    });
  });
});
