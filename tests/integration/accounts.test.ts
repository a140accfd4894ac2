import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "../support/database";
import { accountTokens, auditEvents, memberships, people, rateLimitBuckets, sessions } from "#db/schema";
import {
  activateAccount,
  activationState,
  changePassword,
  createTherapist,
  DuplicateEmailError,
  listProgramAccounts,
  requestPasswordReset,
  resetPassword,
  setAccountDisabled,
  signIn,
  passwordResetState,
} from "~/models/account.server";
import { enrolPatient, UnknownTherapistError } from "~/models/episode.server";
import { signInLimits } from "~/models/rate-limit.server";
import { sha256Hex } from "~/utils/crypto.server";
import { cookieFor, createActiveUser, createProgramWithStaff, testPassword } from "../support/fixtures";
import { remixHandler, requestAs } from "../support/remix-handler";

const newPassword = "a brand new long password";

async function actorsOf() {
  const world = await createProgramWithStaff();
  const actor = { id: world.admin.id, programId: world.program.id, ipAddress: "127.0.0.1" };
  return { ...world, actor };
}

/** The answers of calls fired at once; fails, naming the errors, if any of them threw. */
async function answersOf<T>(calls: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(calls);
  expect(settled.filter((result) => result.status === "rejected")).toEqual([]);
  return settled.map((result) => (result as PromiseFulfilledResult<T>).value);
}

/**
 * Fires `calls` at once while another request's transaction holds the database for a second, as on a busy
 * server: each call does its work before the database (hashing a password takes tens of milliseconds) and
 * then waits, so that all of them reach the database together instead of one after another.
 */
async function atOnceWhileBusy<T>(calls: (() => Promise<T>)[]): Promise<T[]> {
  const busy = db.transaction(() => new Promise((resolve) => setTimeout(resolve, 1000)));
  const answers = answersOf(calls.map((call) => call()));
  await busy;
  return answers;
}

/** Why the database refused a statement: Drizzle reports it as "Failed query: …", with the database's own error as its cause. */
async function refusal(statement: Promise<unknown>) {
  const failure = await statement.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure, "the statement was refused").toBeInstanceOf(Error);
  return String((failure as Error).cause);
}

afterEach(() => {
  vi.useRealTimers();
});

describe("activation links", () => {
  it("stores only a hash of a 256-bit token, and works exactly once", async () => {
    const { actor } = await actorsOf();
    const created = await createTherapist(db, actor, { name: "Dana Lee", email: "Dana@Example.test" });
    const activationToken = created.activationToken!;

    expect(Buffer.from(activationToken, "base64url")).toHaveLength(32);
    const account = (await db.select().from(memberships).where(eq(memberships.id, created.userId)).get())!;
    expect(account).toMatchObject({ status: "invited", role: "therapist" });
    const person = (await db.select().from(people).where(eq(people.id, account.personId)).get())!;
    expect(person).toMatchObject({ email: "dana@example.test", passwordHash: null });
    const stored = await db.select().from(accountTokens).where(eq(accountTokens.personId, person.id)).all();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).toBe(sha256Hex(activationToken));
    expect(JSON.stringify(stored)).not.toContain(activationToken);

    const [first, second] = await Promise.all([
      activateAccount(db, activationToken, newPassword, null),
      activateAccount(db, activationToken, "another long password", null),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect((await activationState(db, activationToken)).state).toBe("used");
    expect((await signIn(db, "dana@example.test", newPassword, "10.0.0.1")).ok).toBe(
      first !== null, // whichever request won set the password that works
    );
  });

  it("used twice at once, sets exactly one password: the other request is answered as a used link is", async () => {
    const { actor } = await actorsOf();
    const created = await createTherapist(db, actor, { name: "Twin Clicks", email: "twin@example.test" });
    const passwords = ["the first racing password", "the second racing password"];
    const answers = await atOnceWhileBusy(
      passwords.map((password) => () => activateAccount(db, created.activationToken!, password, null)),
    );

    const winner = answers.findIndex((answer) => answer !== null);
    expect(answers.filter((answer) => answer !== null)).toHaveLength(1);
    expect(answers[1 - winner]).toBeNull();
    expect(await activateAccount(db, created.activationToken!, "a third long password", null)).toBeNull();
    expect((await activationState(db, created.activationToken!)).state).toBe("used");
    expect((await db.select().from(memberships).where(eq(memberships.id, created.userId)).get())!.status).toBe("active");
    const activated = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "account.activated"), eq(auditEvents.targetId, created.userId)))
      .all();
    expect(activated).toHaveLength(1);
    expect((await signIn(db, "twin@example.test", passwords[winner]!, "10.0.1.1")).ok).toBe(true);
    expect(await signIn(db, "twin@example.test", passwords[1 - winner]!, "10.0.1.1")).toEqual({ ok: false, reason: "invalid" });
  });

  it("expires after 7 days", async () => {
    const { actor } = await actorsOf();
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-03-01T12:00:00Z") });
    const activationToken = (await createTherapist(db, actor, { name: "Late Larry", email: "late@example.test" }))
      .activationToken!;
    vi.setSystemTime(new Date("2026-03-08T11:59:00Z"));
    expect((await activationState(db, activationToken)).state).toBe("valid");
    vi.setSystemTime(new Date("2026-03-08T12:00:01Z"));
    expect((await activationState(db, activationToken)).state).toBe("expired");
    expect(await activateAccount(db, activationToken, newPassword, null)).toBeNull();
  });

  it("tells a tampered or unknown token apart from a used one, without throwing", async () => {
    const { actor } = await actorsOf();
    const activationToken = (await createTherapist(db, actor, { name: "Tam Per", email: "tamper@example.test" }))
      .activationToken!;
    expect((await activationState(db, `${activationToken.slice(0, -1)}x`)).state).toBe("invalid");
    expect((await activationState(db, "")).state).toBe("invalid");
    expect((await activationState(db, "x".repeat(5000))).state).toBe("invalid");
  });

  it("refuses the same role twice in one program for one e-mail, whatever its case", async () => {
    const { actor, therapist } = await actorsOf();
    await expect(createTherapist(db, actor, { name: "Copy", email: therapist.email.toUpperCase() })).rejects.toThrow(
      DuplicateEmailError,
    );
  });
});

describe("enrolling a patient", () => {
  it("creates the account, the episode and the audit record together", async () => {
    const { actor, therapist, program } = await actorsOf();
    const enrolled = await enrolPatient(db, actor, {
      name: "Alex Kim",
      email: "alex@example.test",
      startDate: "2026-02-02",
      plannedWeeks: 8,
      therapistId: therapist.id,
    });
    const patient = await db.select().from(memberships).where(eq(memberships.id, enrolled.patientId)).get();
    expect(patient).toMatchObject({ role: "patient", status: "invited", programId: program.id });
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.targetId, enrolled.episodeId)).all();
    expect(audit.map((row) => row.action)).toEqual(["episode.created"]);
  });

  it("refuses a therapist from another program and changes nothing", async () => {
    const { actor } = await actorsOf();
    const other = await createProgramWithStaff("Other");
    const before = (await db.select().from(memberships).all()).length;
    await expect(
      enrolPatient(db, actor, {
        name: "Alex Kim",
        email: "alex2@example.test",
        startDate: "2026-02-02",
        plannedWeeks: 8,
        therapistId: other.therapist.id,
      }),
    ).rejects.toThrow(UnknownTherapistError);
    expect(await db.select().from(memberships).all()).toHaveLength(before);
  });
});

describe("ending a program episode from the admin's account list", () => {
  it("offers it for a patient whose episode is open, ends it once, and then no longer offers it", async () => {
    const staff = await createProgramWithStaff("Episodes");
    const app = await remixHandler();
    // The button leads to the confirmation (a page without JavaScript, a dialog with it), which posts the end.
    const confirmation = `/admin/patients/${staff.patient.id}?confirm=end-episode`;
    const endButton = `href="${confirmation}"`;
    const accounts = async () => (await requestAs(app, "/admin", staff.admin.id)).text();
    expect(await accounts()).toContain(endButton);
    expect((await requestAs(app, confirmation, staff.admin.id)).status).toBe(200);

    const end = { intent: "end-episode", reason: "completed" };
    const ended = await requestAs(app, confirmation, staff.admin.id, end);
    expect(ended.status).toBe(302);
    expect(ended.headers.get("Location")).toBe(`/admin/patients/${staff.patient.id}?episodeEnded=1`);
    expect(await accounts()).not.toContain(endButton);
    // Ending it again finds no open episode: a 404, and no second record.
    const again = await requestAs(app, confirmation, staff.admin.id, end);
    expect(again.status).toBe(404);
    const records = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.programId, staff.program.id), eq(auditEvents.action, "episode.ended")))
      .all();
    expect(records).toHaveLength(1);
  });
});

describe("signing in", () => {
  it("answers a wrong password and an unknown e-mail the same way, and audits both", async () => {
    const { patient } = await actorsOf();
    const wrongPassword = await signIn(db, patient.email, "not the password at all", "10.0.0.2");
    const unknown = await signIn(db, "nobody@example.test", "not the password at all", "10.0.0.2");
    expect(wrongPassword).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrongPassword);
    // Tests in a file share one database: count only this test's attempts (its client address).
    const failures = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "auth.sign_in"), eq(auditEvents.ipAddress, "10.0.0.2")))
      .all();
    expect(failures.map((row) => row.outcome)).toEqual(["failure", "failure"]);
    expect(failures.map((row) => row.targetId)).toEqual([patient.id, null]);
    expect((await signIn(db, ` ${patient.email.toUpperCase()} `, testPassword, "10.0.0.2")).ok).toBe(true);
  });

  const wrongPassword = "wrong password here";

  async function failTimes(times: number, email: string, address: string) {
    for (let attempt = 0; attempt < times; attempt++) {
      expect(await signIn(db, email, wrongPassword, address), `attempt ${attempt + 1} from ${address}`).toEqual({
        ok: false,
        reason: "invalid",
      });
    }
  }

  it("throttles an address after 5 failures on one account, and lets the owner in from another address", async () => {
    const { therapist } = await actorsOf();
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-04-01T09:00:00Z") });
    await failTimes(5, therapist.email, "10.1.0.1");
    expect(await signIn(db, therapist.email, wrongPassword, "10.1.0.1")).toEqual({
      ok: false,
      reason: "rate_limited",
      retryAfterSeconds: 15 * 60,
    });
    expect((await signIn(db, therapist.email, testPassword, "10.1.0.2")).ok).toBe(true);
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.ipAddress, "10.1.0.1")).all();
    expect(audit.map((row) => `${row.action} ${row.outcome}`)).toEqual([
      ...Array<string>(5).fill("auth.sign_in failure"),
      "auth.rate_limited denied",
    ]);
  });

  it("keeps refusing a throttled address until its window ends, even with the right password", async () => {
    const { therapist } = await actorsOf();
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-04-01T09:00:00Z") });
    await failTimes(5, therapist.email, "10.2.0.1");
    vi.setSystemTime(new Date("2026-04-01T09:10:00Z"));
    expect(await signIn(db, therapist.email, testPassword, "10.2.0.1")).toEqual({
      ok: false,
      reason: "rate_limited",
      retryAfterSeconds: 5 * 60,
    });
    vi.setSystemTime(new Date("2026-04-01T09:14:59.500Z"));
    expect(await signIn(db, therapist.email, testPassword, "10.2.0.1")).toEqual({
      ok: false,
      reason: "rate_limited",
      retryAfterSeconds: 1,
    });
    vi.setSystemTime(new Date("2026-04-01T09:15:00Z"));
    expect((await signIn(db, therapist.email, testPassword, "10.2.0.1")).ok).toBe(true);
  });

  it("limits one address trying many accounts", async () => {
    await actorsOf();
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-04-01T09:00:00Z") });
    for (let attempt = 0; attempt < 50; attempt++) await failTimes(1, `spray-${attempt}@example.test`, "10.9.9.9");
    expect(await signIn(db, "another@example.test", wrongPassword, "10.9.9.9")).toEqual({
      ok: false,
      reason: "rate_limited",
      retryAfterSeconds: 15 * 60,
    });
    expect(await signIn(db, "another@example.test", wrongPassword, "10.9.9.10")).toEqual({ ok: false, reason: "invalid" });
  });

  it("slows a guess spread over many addresses, but not the owner at an address they signed in from before", async () => {
    const { therapist } = await actorsOf();
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-04-01T09:00:00Z") });
    expect((await signIn(db, therapist.email, testPassword, "10.4.200.1")).ok).toBe(true);
    vi.setSystemTime(new Date("2026-04-01T09:05:00Z"));
    // 20 addresses, each at its own limit, are needed to reach the account's ceiling of 100 failures.
    for (let client = 0; client < 20; client++) await failTimes(5, therapist.email, `10.4.${client}.1`);
    expect(await signIn(db, therapist.email, testPassword, "10.4.201.1")).toEqual({
      ok: false,
      reason: "rate_limited",
      retryAfterSeconds: 15 * 60,
    });
    expect((await signIn(db, therapist.email, testPassword, "10.4.200.1")).ok).toBe(true);
    vi.setSystemTime(new Date("2026-04-01T09:20:00Z"));
    expect((await signIn(db, therapist.email, testPassword, "10.4.201.1")).ok).toBe(true);
    const keys = (await db.select({ key: rateLimitBuckets.key }).from(rateLimitBuckets).all()).map((row) => row.key);
    expect(keys.join(" ")).not.toContain("@");
  });

  it("clears an address's failures when the owner signs in from it, and only that address's", async () => {
    const { therapist } = await actorsOf();
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-04-01T09:00:00Z") });
    await failTimes(4, therapist.email, "10.5.0.2");
    await failTimes(4, therapist.email, "10.5.0.1");
    expect((await signIn(db, therapist.email, testPassword, "10.5.0.1")).ok).toBe(true);
    await failTimes(4, therapist.email, "10.5.0.1");
    expect((await signIn(db, therapist.email, testPassword, "10.5.0.1")).ok).toBe(true);
    await failTimes(1, therapist.email, "10.5.0.2");
    expect(await signIn(db, therapist.email, testPassword, "10.5.0.2")).toEqual({
      ok: false,
      reason: "rate_limited",
      retryAfterSeconds: 15 * 60,
    });
  });

  it("throttles known and unknown e-mails alike", async () => {
    const { patient } = await actorsOf();
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-04-01T09:00:00Z") });
    await failTimes(5, patient.email, "10.6.0.1");
    await failTimes(5, "ghost@example.test", "10.6.0.1");
    const known = await signIn(db, patient.email, testPassword, "10.6.0.1");
    const unknown = await signIn(db, "ghost@example.test", testPassword, "10.6.0.1");
    expect(known).toEqual({ ok: false, reason: "rate_limited", retryAfterSeconds: 15 * 60 });
    expect(unknown).toEqual(known);
  });

  it("lets no more guesses sent at once reach the password check than one account allows one address", async () => {
    const { therapist } = await actorsOf();
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-04-01T09:00:00Z") });
    // Every attempt the throttle lets through is counted before its password is checked; a refused one counts nothing.
    const { limit } = signInLimits.perAccountFromAddress;
    const extra = 5;
    const answers = await answersOf(
      Array.from({ length: limit + extra }, () => signIn(db, therapist.email, wrongPassword, "10.7.0.1")),
    );
    expect(answers.filter((answer) => !answer.ok && answer.reason === "invalid")).toHaveLength(limit);
    expect(answers.filter((answer) => !answer.ok && answer.reason === "rate_limited")).toEqual(
      Array(extra).fill({ ok: false, reason: "rate_limited", retryAfterSeconds: 15 * 60 }),
    );
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.ipAddress, "10.7.0.1")).all();
    expect(audit.filter((row) => row.action === "auth.sign_in")).toHaveLength(limit);
    expect(audit.filter((row) => row.action === "auth.sign_in" && row.outcome !== "failure")).toEqual([]);
    expect(audit.filter((row) => row.action === "auth.rate_limited")).toHaveLength(extra);
    // The burst used up the address's attempts on this account and no more: the owner still gets in from elsewhere.
    expect(await signIn(db, therapist.email, testPassword, "10.7.0.1")).toEqual({
      ok: false,
      reason: "rate_limited",
      retryAfterSeconds: 15 * 60,
    });
    expect((await signIn(db, therapist.email, testPassword, "10.7.0.2")).ok).toBe(true);
  });

  it("refuses accounts that are not active", async () => {
    const { actor, therapist } = await actorsOf();
    await setAccountDisabled(db, actor, therapist.id, true);
    expect(await signIn(db, therapist.email, testPassword, "10.0.0.3")).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("password reset", () => {
  it("issues a one-hour, single-use link that ends every session", async () => {
    const { patient } = await actorsOf();
    await cookieFor(patient.id);
    await cookieFor(patient.id);
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-05-01T10:00:00Z") });
    const issued = await requestPasswordReset(db, patient.email, "10.0.0.4");
    expect(issued).not.toBeNull();
    vi.setSystemTime(new Date("2026-05-01T10:59:00Z"));
    expect(await resetPassword(db, issued!.token, newPassword, null)).not.toBeNull();
    expect(await resetPassword(db, issued!.token, "yet another long password", null)).toBeNull();
    expect(await db.select().from(sessions).where(eq(sessions.personId, patient.id)).all()).toHaveLength(0);
    expect((await signIn(db, patient.email, newPassword, "10.0.0.4")).ok).toBe(true);
  });

  it("used twice at once, sets exactly one new password: the other request is answered as a used link is", async () => {
    const { patient } = await actorsOf();
    await cookieFor(patient.id);
    const issued = (await requestPasswordReset(db, patient.email, "10.0.0.7"))!;
    const passwords = ["the first racing password", "the second racing password"];
    const answers = await atOnceWhileBusy(passwords.map((password) => () => resetPassword(db, issued.token, password, null)));

    const winner = answers.findIndex((answer) => answer !== null);
    expect(answers.filter((answer) => answer !== null)).toHaveLength(1);
    expect(answers[1 - winner]).toBeNull();
    expect(await resetPassword(db, issued.token, "a third long password", null)).toBeNull();
    expect((await passwordResetState(db, issued.token)).state).toBe("used");
    const reset = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "auth.password_reset"), eq(auditEvents.targetId, patient.id)))
      .all();
    expect(reset).toHaveLength(1);
    expect(await db.select().from(sessions).where(eq(sessions.personId, patient.id)).all()).toHaveLength(0);
    expect((await signIn(db, patient.email, passwords[winner]!, "10.0.0.7")).ok).toBe(true);
    expect(await signIn(db, patient.email, passwords[1 - winner]!, "10.0.0.7")).toEqual({ ok: false, reason: "invalid" });
    expect(await signIn(db, patient.email, testPassword, "10.0.0.7")).toEqual({ ok: false, reason: "invalid" });
  });

  it("expires after an hour", async () => {
    const { patient } = await actorsOf();
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-05-01T10:00:00Z") });
    const issued = (await requestPasswordReset(db, patient.email, "10.0.0.5"))!;
    vi.setSystemTime(new Date("2026-05-01T11:00:01Z"));
    expect(await resetPassword(db, issued.token, newPassword, null)).toBeNull();
    expect((await signIn(db, patient.email, testPassword, "10.0.0.5")).ok).toBe(true);
  });

  it("says nothing and issues nothing for unknown e-mails, and a newer link kills the older one", async () => {
    const { patient } = await actorsOf();
    expect(await requestPasswordReset(db, "nobody@example.test", "10.0.0.6")).toBeNull();
    const first = (await requestPasswordReset(db, patient.email, "10.0.0.6"))!;
    const second = (await requestPasswordReset(db, patient.email, "10.0.0.6"))!;
    expect(await resetPassword(db, first.token, newPassword, null)).toBeNull();
    expect(await resetPassword(db, second.token, newPassword, null)).not.toBeNull();
  });
});

describe("changing the password and disabling accounts", () => {
  it("needs the current password, and ends every session", async () => {
    const { therapist } = await actorsOf();
    await cookieFor(therapist.id);
    const actor = { id: therapist.id, personId: therapist.id, programId: therapist.programId };
    expect(await changePassword(db, actor, "not my password!!", newPassword, null)).toBe("wrong_password");
    expect(await db.select().from(sessions).where(eq(sessions.personId, therapist.id)).all()).toHaveLength(1);
    expect(await changePassword(db, actor, testPassword, newPassword, null)).toBe("changed");
    expect(await db.select().from(sessions).where(eq(sessions.personId, therapist.id)).all()).toHaveLength(0);
  });

  it("disabling ends every session; an admin of another program cannot touch the account", async () => {
    const { actor, therapist } = await actorsOf();
    const other = await createProgramWithStaff("Other");
    await cookieFor(therapist.id);
    const stranger = { id: other.admin.id, programId: other.program.id, ipAddress: null };
    expect(await setAccountDisabled(db, stranger, therapist.id, true)).toBeNull();
    expect((await db.select().from(memberships).where(eq(memberships.id, therapist.id)).get())!.status).toBe("active");
    expect(await setAccountDisabled(db, actor, therapist.id, true)).not.toBeNull();
    expect(await db.select().from(sessions).where(eq(sessions.personId, therapist.id)).all()).toHaveLength(0);
    expect(await setAccountDisabled(db, actor, therapist.id, false)).not.toBeNull();
    expect((await db.select().from(memberships).where(eq(memberships.id, therapist.id)).get())!.status).toBe("active");
  });
});

describe("the admin's account lists", () => {
  it("come a page of 50 at a time, by name, and only from the admin's own program", async () => {
    const { program } = await actorsOf();
    await createProgramWithStaff("Other");
    for (let i = 0; i < 55; i++) await createActiveUser(program.id, "patient", `bulk-${String(i).padStart(2, "0")}`);
    const first = await listProgramAccounts(db, program.id, ["patient"], 1);
    const second = await listProgramAccounts(db, program.id, ["patient"], 2);
    expect(first.accounts).toHaveLength(50);
    expect(first.hasMore).toBe(true);
    expect(second.accounts).toHaveLength(6);
    expect(second.hasMore).toBe(false);
    const names = [...first.accounts, ...second.accounts].map((account) => account.name);
    expect(names).toEqual([...names].sort());
    expect(new Set([...first.accounts, ...second.accounts].map((account) => account.id)).size).toBe(56);
  });
});

describe("the audit trail", () => {
  beforeEach(async () => {
    await actorsOf();
  });

  it("refuses updates and deletes", async () => {
    expect((await db.select().from(auditEvents).all()).length).toBeGreaterThan(0);
    expect(await refusal(db.update(auditEvents).set({ action: "changed" }).run())).toMatch(/append-only/);
    expect(await refusal(db.delete(auditEvents).run())).toMatch(/append-only/);
  });
});
