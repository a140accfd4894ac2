import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "../support/database";
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
import { englishLocale } from "~/i18n/i18n";

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
    db,
    actorOf(patient),
    {
      ...choice(patient, consent),
      name: `Family ${counter}`,
      email: email ?? `family-${counter}-${Date.now()}@example.test`,
      relationship: "parent",
    },
    englishLocale,
  );
}

async function linkRow(linkId: string) {
  return (await db.select().from(circleLinks).where(eq(circleLinks.id, linkId)).get())!;
}

async function consentsOf(linkId: string) {
  return db.select().from(consents).where(eq(consents.linkId, linkId)).orderBy(consents.version).all();
}

async function auditActions(linkId: string) {
  const rows = await db
    .select({ action: auditEvents.action })
    .from(auditEvents)
    .where(and(eq(auditEvents.targetType, "circle_link"), eq(auditEvents.targetId, linkId)))
    .all();
  return rows.map((row) => row.action);
}

/** A patient with an approved supporter: the starting point of most rules below. */
async function activeCircle(overrides: Partial<ConsentChoice> = {}) {
  const world = await createProgramWithStaff();
  const invited = await inviteSomeone(world.patient, { ...overrides, email: world.supporter.email });
  expect(await acceptInvitation(db, invited.token, world.supporter, null)).toMatchObject({ ok: true });
  const link = await linkRow(invited.linkId);
  expect(await decide(db, actorOf(world.therapist), link, { kind: "approve" })).toBe(true);
  return { ...world, linkId: invited.linkId, token: invited.token };
}

describe("invitation links", () => {
  it("carry 256 random bits, are stored only as a hash, and work exactly once", async () => {
    const { patient, supporter } = await createProgramWithStaff();
    const invited = await inviteSomeone(patient, { email: supporter.email });
    expect(Buffer.from(invited.token, "base64url")).toHaveLength(32);
    const stored = await linkRow(invited.linkId);
    expect(stored.invitationTokenHash).toBe(sha256Hex(invited.token));
    expect(JSON.stringify(stored)).not.toContain(invited.token);

    expect(await acceptInvitation(db, invited.token, supporter, null)).toMatchObject({ ok: true });
    expect(await acceptInvitation(db, invited.token, supporter, null)).toMatchObject({ ok: false, reason: "invalid" });
    expect(await linkRow(invited.linkId)).toMatchObject({
      status: "accepted",
      supporterId: supporter.id,
      invitationTokenHash: null,
    });
  });

  it("work once when the same link is accepted twice at once", async () => {
    const { patient, supporter } = await createProgramWithStaff();
    const invited = await inviteSomeone(patient, { email: supporter.email });
    // A double click on "Accept": both requests read a valid link before either has taken it.
    const outcomes = await Promise.allSettled([
      acceptInvitation(db, invited.token, supporter, null),
      acceptInvitation(db, invited.token, supporter, null),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "fulfilled"]);
    const results = outcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
    const accepted = results.filter((result) => result.ok === true);
    const failed = results.filter((result) => result.ok !== true);
    expect(accepted).toEqual([{ ok: true, linkId: invited.linkId, supporterId: supporter.id }]);
    // The other request is told the invitation has already been used (the page says so), not that it broke.
    expect(failed).toEqual([{ ok: false, reason: "used" }]);
    expect(await linkRow(invited.linkId)).toMatchObject({
      status: "accepted",
      supporterId: supporter.id,
      invitationTokenHash: null,
    });
    expect(await auditActions(invited.linkId)).toEqual(["circle.invited", "circle.accepted"]);
  });

  it("expire after 7 days", async () => {
    const { patient, supporter } = await createProgramWithStaff();
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-03-01T12:00:00Z") });
    const invited = await inviteSomeone(patient, { email: supporter.email });
    vi.setSystemTime(new Date("2026-03-08T11:59:00Z"));
    expect((await inspectInvitation(db, invited.token)).state).toBe("valid");
    vi.setSystemTime(new Date("2026-03-08T12:00:01Z"));
    expect((await inspectInvitation(db, invited.token)).state).toBe("expired");
    expect(await acceptInvitation(db, invited.token, supporter, null)).toMatchObject({ ok: false, reason: "expired" });
    expect((await linkRow(invited.linkId)).status).toBe("invited");
  });

  it("are bound to the invited e-mail address", async () => {
    const { patient, supporter, therapist, program } = await createProgramWithStaff();
    const someoneElse = await createActiveUser(program.id, "supporter", "someone-else");
    const invited = await inviteSomeone(patient, { email: supporter.email.toUpperCase() });
    expect(await acceptInvitation(db, invited.token, someoneElse, null)).toMatchObject({ ok: false, reason: "wrong_account" });
    expect(await acceptInvitation(db, invited.token, therapist, null)).toMatchObject({ ok: false, reason: "wrong_account" });
    expect((await linkRow(invited.linkId)).status).toBe("invited");
    expect(await acceptInvitation(db, invited.token, supporter, null)).toMatchObject({ ok: true });
  });

  it("tell a tampered, cancelled or re-sent link apart, without throwing", async () => {
    const { patient } = await createProgramWithStaff();
    const first = await inviteSomeone(patient);
    expect((await inspectInvitation(db, `${first.token.slice(0, -2)}xx`)).state).toBe("invalid");
    expect((await inspectInvitation(db, "")).state).toBe("invalid");
    expect((await inspectInvitation(db, "x".repeat(10_000))).state).toBe("invalid");

    const resent = (await resendInvitation(db, actorOf(patient), first.linkId))!;
    expect(resent.token).not.toBe(first.token);
    expect((await inspectInvitation(db, first.token)).state).toBe("invalid");
    expect((await inspectInvitation(db, resent.token)).state).toBe("valid");

    await cancelInvitation(db, actorOf(patient), first.linkId);
    expect((await inspectInvitation(db, resent.token)).state).toBe("invalid");
    expect((await linkRow(first.linkId)).status).toBe("cancelled");
    expect((await consentsOf(first.linkId)).map((c) => c.status)).toEqual(["ended"]);
  });

  it("with a new account: creates the supporter and accepts in one step, once", async () => {
    const { patient } = await createProgramWithStaff();
    const invited = await inviteSomeone(patient);
    const outcome = await acceptWithNewAccount(db, invited.token, { name: "Rosa Diaz", passwordHash: "x" }, null);
    expect(outcome).toMatchObject({ ok: true });
    expect(await linkRow(invited.linkId)).toMatchObject({
      status: "accepted",
      supporterId: outcome.ok ? outcome.supporterId : "",
    });
    expect(await acceptWithNewAccount(db, invited.token, { name: "Rosa Diaz", passwordHash: "x" }, null)).toMatchObject({
      ok: false,
    });
  });

  it("are limited to 20 a day per patient", async () => {
    const { patient } = await createProgramWithStaff();
    for (let i = 0; i < invitationLimit.limit; i++) await inviteSomeone(patient);
    await expect(inviteSomeone(patient)).rejects.toThrow(CircleRuleError);
    const count = (await db.select().from(circleLinks).where(eq(circleLinks.patientId, patient.id)).all()).length;
    expect(count).toBe(invitationLimit.limit);
  });

  it("stay within the daily limit when more are sent at once than it allows", async () => {
    const { patient } = await createProgramWithStaff();
    const attempts = invitationLimit.limit + 5;
    const outcomes = await Promise.allSettled(Array.from({ length: attempts }, () => inviteSomeone(patient)));
    const sent = outcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value.linkId] : []));
    const refused = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason as unknown] : []));
    expect(sent).toHaveLength(invitationLimit.limit);
    expect(refused).toHaveLength(attempts - invitationLimit.limit);
    for (const error of refused) {
      expect(error).toBeInstanceOf(CircleRuleError);
      expect(error).toMatchObject({ messageKey: "circle.invite.rateLimited" });
    }
    const links = await db.select().from(circleLinks).where(eq(circleLinks.patientId, patient.id)).all();
    expect(links.map((link) => link.id).sort()).toEqual([...sent].sort());
    const signed = await db.select().from(consents).where(eq(consents.patientId, patient.id)).all();
    expect(signed).toHaveLength(invitationLimit.limit);
  });
});

describe("consents", () => {
  it("store every element the law asks for, with the text the patient signed", async () => {
    const { patient, supporter, program } = await createProgramWithStaff();
    const invited = await inviteSomeone(patient, { email: supporter.email, expiryKind: "date", expiresOn: "2099-12-31" });
    const [consent] = await consentsOf(invited.linkId);
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
    const attempt = async (overrides: Partial<ConsentChoice> & { email?: string }) => {
      try {
        await inviteSomeone(patient, overrides);
      } catch (error) {
        return error instanceof CircleRuleError ? error.field : "unexpected";
      }
      return "saved";
    };
    expect(await attempt({ signature: "Someone Else" })).toBe("signature");
    expect(await attempt({ expiryKind: "date", expiresOn: "2020-01-01" })).toBe("expiresOn");
    expect(await attempt({ email: supporter.email })).toBe("saved");
    expect(await attempt({ email: supporter.email.toUpperCase() })).toBe("email");
    expect(await db.select().from(circleLinks).where(eq(circleLinks.patientId, patient.id)).all()).toHaveLength(1);
  });

  it("cannot be saved without an element, nor edited or deleted once signed", async () => {
    const { patient } = await createProgramWithStaff();
    const invited = await inviteSomeone(patient);
    const [consent] = await consentsOf(invited.linkId);
    // Drizzle reports a statement the database refused as "Failed query: …", with the database's own error as its cause.
    await expect(
      db.update(consents).set({ purpose: "something else" }).where(eq(consents.id, consent!.id)).run(),
    ).rejects.toHaveProperty("cause.message", expect.stringMatching(/cannot be edited/));
    await expect(db.delete(consents).where(eq(consents.id, consent!.id)).run()).rejects.toHaveProperty(
      "cause.message",
      expect.stringMatching(/kept/),
    );
    await expect(
      db
        .insert(consents)
        .values({ ...consent!, id: "missing-purpose", version: 2, purpose: "  " })
        .run(),
    ).rejects.toHaveProperty("cause.message", expect.stringMatching(/CHECK constraint/));
  });

  it("change by a new version; the old one is kept and marked superseded", async () => {
    const { patient, supporter, linkId } = await activeCircle();
    const changed = await changeConsent(
      db,
      actorOf(patient),
      linkId,
      choice(patient, { categories: ["attendance"] }),
      englishLocale,
    );
    expect(changed).toMatchObject({ version: 2 });
    expect((await consentsOf(linkId)).map((c) => [c.version, c.status, c.categories])).toEqual([
      [1, "superseded", ["progress", "milestones"]],
      [2, "active", ["attendance"]],
    ]);
    expect(await supporterAccess(db, supporter, linkId)).toMatchObject({ consentVersion: 2, categories: ["attendance"] });
    expect(await auditActions(linkId)).toContain("circle.consent_changed");
  });
});

describe("the state machine", () => {
  it("refuses illegal transitions in the model, and changes nothing", async () => {
    const { patient, therapist, linkId } = await activeCircle();
    const link = await linkRow(linkId);
    await expect(decide(db, actorOf(therapist), link, { kind: "approve" })).rejects.toThrow(IllegalTransitionError);
    await expect(cancelInvitation(db, actorOf(patient), linkId)).rejects.toThrow(IllegalTransitionError);
    expect(await revokeLink(db, { actor: actorOf(patient), as: "patient" }, link)).toBe(true);
    await expect(revokeLink(db, { actor: actorOf(patient), as: "patient" }, await linkRow(linkId))).rejects.toThrow(
      IllegalTransitionError,
    );
    await expect(decide(db, actorOf(therapist), await linkRow(linkId), { kind: "approve" })).rejects.toThrow(
      IllegalTransitionError,
    );
    expect((await linkRow(linkId)).status).toBe("revoked");
  });

  it("writes each transition and its actor to the audit trail with the change", async () => {
    const { patient, therapist, supporter, linkId } = await activeCircle();
    await revokeLink(db, { actor: actorOf(therapist), as: "care_team" }, await linkRow(linkId));
    expect(await auditActions(linkId)).toEqual(["circle.invited", "circle.accepted", "circle.approved", "circle.revoked"]);
    const actors = (
      await db
        .select({ actor: auditEvents.actorUserId })
        .from(auditEvents)
        .where(and(eq(auditEvents.targetType, "circle_link"), eq(auditEvents.targetId, linkId)))
        .all()
    ).map((row) => row.actor);
    expect(actors).toEqual([patient.id, supporter.id, therapist.id, therapist.id]);
  });

  it("takes one of two decisions made at once on the same request, and records only that one", async () => {
    const { patient, therapist, admin, supporter } = await createProgramWithStaff();
    const invited = await inviteSomeone(patient, { email: supporter.email });
    await acceptInvitation(db, invited.token, supporter, null);
    // The therapist approves while an admin refuses, both from the same waiting request.
    const waiting = await linkRow(invited.linkId);
    const outcomes = await Promise.allSettled([
      decide(db, actorOf(therapist), waiting, { kind: "approve" }),
      decide(db, actorOf(admin), waiting, { kind: "refuse", reason: "Let's talk about this in session" }),
    ]);
    const results = outcomes.map((outcome) => (outcome.status === "fulfilled" ? outcome.value : (outcome.reason as unknown)));
    expect(results.filter((result) => result === true)).toHaveLength(1);
    expect(results.filter((result) => result === false)).toHaveLength(1);

    const approved = results[0] === true;
    const winner = approved
      ? { status: "active", decidedBy: therapist.id, refusalReason: null, action: "circle.approved", consent: "active" }
      : {
          status: "refused",
          decidedBy: admin.id,
          refusalReason: "Let's talk about this in session",
          action: "circle.refused",
          consent: "ended",
        };
    expect(await linkRow(invited.linkId)).toMatchObject({
      status: winner.status,
      decidedBy: winner.decidedBy,
      refusalReason: winner.refusalReason,
    });
    expect(await auditActions(invited.linkId)).toEqual(["circle.invited", "circle.accepted", winner.action]);
    expect((await consentsOf(invited.linkId)).map((c) => c.status)).toEqual([winner.consent]);
  });

  it("a refusal is shown to the patient; a safety concern refuses and keeps its note from the supporter", async () => {
    const { patient, therapist, supporter, program } = await createProgramWithStaff();
    const refused = await inviteSomeone(patient, { email: supporter.email });
    await acceptInvitation(db, refused.token, supporter, null);
    await decide(db, actorOf(therapist), await linkRow(refused.linkId), {
      kind: "refuse",
      reason: "Let's talk about this in session",
    });

    const other = await createActiveUser(program.id, "supporter", "flagged");
    const flagged = await inviteSomeone(patient, { email: other.email });
    await acceptInvitation(db, flagged.token, other, null);
    await decide(db, actorOf(therapist), await linkRow(flagged.linkId), { kind: "safety", note: "Active use in the home" });

    const circle = await patientCircle(db, patient.id);
    expect(circle.find((row) => row.link.id === refused.linkId)?.link).toMatchObject({
      status: "refused",
      refusalReason: "Let's talk about this in session",
    });
    expect(await linkRow(flagged.linkId)).toMatchObject({ status: "refused", safetyConcern: true });
    expect(await supporterAccess(db, other, flagged.linkId)).toBeNull();
    const supporterView = JSON.stringify(await supporterCircles(db, other));
    expect(supporterView).not.toContain("Active use in the home");
  });
});

describe("what a supporter may read", () => {
  it("nothing before approval, nothing after revocation, and only the consented categories", async () => {
    const { patient, therapist, supporter } = await createProgramWithStaff();
    const invited = await inviteSomeone(patient, { email: supporter.email, categories: ["milestones"] });
    await acceptInvitation(db, invited.token, supporter, null);
    expect(await supporterAccess(db, supporter, invited.linkId)).toBeNull();

    await decide(db, actorOf(therapist), await linkRow(invited.linkId), { kind: "approve" });
    const grant = (await supporterAccess(db, supporter, invited.linkId))!;
    expect(grant.categories).toEqual(["milestones"]);
    expect(narrow(grant, "milestones")).not.toBeNull();
    expect(narrow(grant, "progress")).toBeNull();

    await revokeLink(db, { actor: actorOf(patient), as: "patient" }, await linkRow(invited.linkId));
    expect(await supporterAccess(db, supporter, invited.linkId)).toBeNull();
  });

  it("nothing of someone else's link", async () => {
    const { linkId, program } = await activeCircle();
    const stranger = await createActiveUser(program.id, "supporter", "stranger");
    expect(await supporterAccess(db, stranger, linkId)).toBeNull();
  });

  it("a consent ends by itself the day after its date, checked on access with no job to run", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-03-01T18:00:00Z") });
    const { supporter, patient, linkId } = await activeCircle({ expiryKind: "date", expiresOn: "2026-03-10" });
    // The program is in America/Chicago: 10 March ends at 05:00 UTC on the 11th.
    vi.setSystemTime(new Date("2026-03-11T04:59:00Z"));
    expect(await supporterAccess(db, supporter, linkId)).not.toBeNull();
    vi.setSystemTime(new Date("2026-03-11T05:01:00Z"));
    expect(await supporterAccess(db, supporter, linkId)).toBeNull();
    expect((await linkRow(linkId)).status).toBe("expired");
    expect((await consentsOf(linkId)).map((c) => c.status)).toEqual(["expired"]);
    const log = (await disclosurePage(db, patient.id)).entries.map((entry) => [entry.kind, entry.detail]);
    expect(log[0]).toEqual(["consent_ended", "expired_on_date"]);
  });

  it("a consent until the end of the IOP episode ends when the episode ends", async () => {
    const { supporter, admin, patient, linkId } = await activeCircle({ expiryKind: "episode_end" });
    expect(await supporterAccess(db, supporter, linkId)).not.toBeNull();
    expect(await endEpisode(db, actorOf(admin), patient.id, "completed")).not.toBeNull();
    expect(await supporterAccess(db, supporter, linkId)).toBeNull();
    expect((await linkRow(linkId)).status).toBe("expired");
  });

  it("every read is written to the disclosure log with the consent version, category and item", async () => {
    const { supporter, patient, linkId } = await activeCircle();
    const milestones = narrow((await supporterAccess(db, supporter, linkId))!, "milestones")!;
    await release(db, [milestones], [{ id: "episode-1" }], (row) => ({ linkId, type: "program_week", id: row.id }));
    const [latest] = (await disclosurePage(db, patient.id)).entries;
    expect(latest).toMatchObject({
      kind: "disclosure",
      category: "milestones",
      itemType: "program_week",
      itemId: "episode-1",
      consentVersion: 1,
    });
    await expect(db.delete(disclosureLog).run()).rejects.toHaveProperty("cause.message", expect.stringMatching(/append-only/));
  });
});

describe("the disclosure log", () => {
  it("lists disclosures and consent changes newest first, a page at a time, for the patient only", async () => {
    const { supporter, patient, linkId, program } = await activeCircle();
    const progress = narrow((await supporterAccess(db, supporter, linkId))!, "progress")!;
    for (let i = 0; i < 30; i++)
      await release(db, [progress], [{ id: `item-${i}` }], (row) => ({ linkId, type: "check_in", id: row.id }));
    const first = await disclosurePage(db, patient.id);
    expect(first.entries).toHaveLength(25);
    expect(first.entries[0]!.itemId).toBe("item-29");
    const second = await disclosurePage(db, patient.id, first.next!);
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
    expect((await disclosurePage(db, otherPatient.id)).entries).toEqual([]);
  });
});

describe("the care team", () => {
  it("only the patient's own therapist, or an admin of the program, reaches a link", async () => {
    const world = await activeCircle();
    const otherTherapist = await createActiveUser(world.program.id, "therapist", "other-therapist");
    const elsewhere = await createProgramWithStaff("Elsewhere");
    expect((await careTeamLink(db, world.therapist, world.linkId))?.id).toBe(world.linkId);
    expect((await careTeamLink(db, world.admin, world.linkId))?.id).toBe(world.linkId);
    expect(await careTeamLink(db, otherTherapist, world.linkId)).toBeUndefined();
    expect(await careTeamLink(db, elsewhere.admin, world.linkId)).toBeUndefined();
    expect(await careTeamLink(db, elsewhere.therapist, world.linkId)).toBeUndefined();
  });

  it("sees waiting requests of their own patients in the approval queue, oldest first", async () => {
    const { patient, therapist, supporter, program, admin } = await createProgramWithStaff();
    const otherTherapist = await createActiveUser(program.id, "therapist", "other-therapist");
    const otherPatient = await createActiveUser(program.id, "patient", "other-patient");
    await enrolExisting(otherPatient, otherTherapist);
    const mine = await inviteSomeone(patient, { email: supporter.email });
    await acceptInvitation(db, mine.token, supporter, null);
    const theirs = await inviteSomeone(otherPatient, { email: supporter.email });
    await acceptInvitation(db, theirs.token, supporter, null);
    await inviteSomeone(patient); // invited, not yet accepted: not for the therapist yet

    expect((await approvalQueue(db, therapist)).map((item) => item.id)).toEqual([mine.linkId]);
    expect((await approvalQueue(db, otherTherapist)).map((item) => item.id)).toEqual([theirs.linkId]);
    expect((await approvalQueue(db, admin)).map((item) => item.id).sort()).toEqual([mine.linkId, theirs.linkId].sort());
    expect((await approvalQueue(db, therapist))[0]).toMatchObject({
      relationship: "parent",
      categories: ["progress", "milestones"],
      expiryKind: "episode_end",
    });
  });
});
