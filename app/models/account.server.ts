import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { db } from "#db/client";
import { episodes, users } from "#db/schema";
import { type Role } from "~/vocabulary";
import { recordAudit } from "~/models/audit.server";
import { consumeToken, inspectToken, issueToken } from "~/models/account-token.server";
import { hashPassword, verifyPassword } from "~/models/password.server";
import { newId, sha256Hex } from "~/utils/crypto.server";
import { isLimited, passwordResetLimits, recordHit, signInThrottle } from "~/models/rate-limit.server";
import { endAllSessions } from "~/session.server";

export function normalizeEmail(email: string) {
  return email.trim().toLowerCase();
}

export function findUserByEmail(email: string) {
  return db.select().from(users).where(eq(users.email, normalizeEmail(email))).get();
}

export function findUserById(userId: string) {
  return db.select().from(users).where(eq(users.id, userId)).get();
}

export class DuplicateEmailError extends Error {
  constructor() {
    super("An account with this e-mail address already exists");
  }
}

type Actor = { id: string | null; programId: string; ipAddress: string | null };

type Executor = Parameters<Parameters<typeof db.transaction>[0]>[0];

/**
 * Creates an account waiting for activation, with its activation token, inside the caller's
 * transaction. Returns the raw token for the e-mail, which is sent after the commit.
 */
export function createInvitedAccount(
  tx: Executor,
  actor: Actor,
  account: { name: string; email: string; role: Role },
): { userId: string; activationToken: string } {
  const email = normalizeEmail(account.email);
  const existing = tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  if (existing) throw new DuplicateEmailError();
  const userId = newId();
  tx.insert(users)
    .values({ id: userId, programId: actor.programId, email, name: account.name.trim(), role: account.role })
    .run();
  const activationToken = issueToken(tx, userId, "activation");
  recordAudit(
    {
      action: "account.created",
      outcome: "success",
      programId: actor.programId,
      actorUserId: actor.id,
      targetType: "user",
      targetId: userId,
      ipAddress: actor.ipAddress,
    },
    tx,
  );
  return { userId, activationToken };
}

export function createTherapist(actor: Actor, account: { name: string; email: string }) {
  return db.transaction((tx) => createInvitedAccount(tx, actor, { ...account, role: "therapist" }));
}

export const accountsPageSize = 50;

/** Accounts of one program with the given roles, by name, a page at a time (pages count from 1). */
export function listProgramAccounts(programId: string, roles: Role[], page = 1) {
  const rows = db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      status: users.status,
      openEpisode: sql<number>`exists (select 1 from ${episodes} where ${episodes.patientId} = ${users.id} and ${episodes.endedAt} is null)`.mapWith(Boolean),
    })
    .from(users)
    .where(and(eq(users.programId, programId), inArray(users.role, roles)))
    .orderBy(asc(users.name), asc(users.id))
    .limit(accountsPageSize + 1)
    .offset((page - 1) * accountsPageSize)
    .all();
  return { accounts: rows.slice(0, accountsPageSize), hasMore: rows.length > accountsPageSize };
}

export function findProgramAccount(programId: string, userId: string) {
  return db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.programId, programId)))
    .get();
}

/** A new activation link for an account that has not been activated yet; null when there is none such. */
export function reissueActivation(actor: Actor, userId: string) {
  return db.transaction((tx) => {
    const account = tx
      .select()
      .from(users)
      .where(and(eq(users.id, userId), eq(users.programId, actor.programId), eq(users.status, "invited")))
      .get();
    if (!account) return null;
    const activationToken = issueToken(tx, account.id, "activation");
    recordAudit(
      {
        action: "account.activation_reissued",
        outcome: "success",
        programId: actor.programId,
        actorUserId: actor.id,
        targetType: "user",
        targetId: account.id,
        ipAddress: actor.ipAddress,
      },
      tx,
    );
    return { account, activationToken };
  });
}

/** Disables or re-enables an account of the actor's program; disabling ends every session at once. */
export async function setAccountDisabled(actor: Actor, userId: string, disabled: boolean) {
  const changed = db.transaction((tx) => {
    const account = tx
      .select()
      .from(users)
      .where(and(eq(users.id, userId), eq(users.programId, actor.programId)))
      .get();
    if (!account || account.id === actor.id) return null;
    const target = disabled ? "disabled" : account.passwordHash ? "active" : "invited";
    tx.update(users).set({ status: target, updatedAt: new Date() }).where(eq(users.id, account.id)).run();
    recordAudit(
      {
        action: disabled ? "account.disabled" : "account.enabled",
        outcome: "success",
        programId: actor.programId,
        actorUserId: actor.id,
        targetType: "user",
        targetId: account.id,
        ipAddress: actor.ipAddress,
      },
      tx,
    );
    return account;
  });
  if (changed && disabled) await endAllSessions(changed.id);
  return changed;
}

export function activationState(token: string) {
  return inspectToken(db, token, "activation");
}

export function passwordResetState(token: string) {
  return inspectToken(db, token, "password_reset");
}

/** Sets the first password through a single-use activation link. Returns the activated user or null. */
export async function activateAccount(token: string, password: string, ipAddress: string | null) {
  const passwordHash = await hashPassword(password);
  return db.transaction((tx) => {
    const userId = consumeToken(tx, token, "activation");
    if (!userId) return null;
    const [account] = tx
      .update(users)
      .set({ passwordHash, status: "active", updatedAt: new Date() })
      .where(and(eq(users.id, userId), eq(users.status, "invited")))
      .returning()
      .all();
    if (!account) return null;
    recordAudit(
      {
        action: "account.activated",
        outcome: "success",
        programId: account.programId,
        actorUserId: account.id,
        targetType: "user",
        targetId: account.id,
        ipAddress,
      },
      tx,
    );
    return account;
  });
}

export type SignInResult =
  | { ok: true; user: typeof users.$inferSelect }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/**
 * Checks credentials under the sign-in throttle, which slows guessing without locking the owner out.
 * A wrong password, an unknown e-mail and an account that cannot sign in all answer the same way,
 * after the same work.
 */
export async function signIn(email: string, password: string, ipAddress: string | null): Promise<SignInResult> {
  const normalized = normalizeEmail(email);
  const throttle = signInThrottle(normalized, ipAddress);
  const user = findUserByEmail(normalized);

  const retryAfterSeconds = throttle.retryAfterSeconds();
  if (retryAfterSeconds > 0) {
    recordAudit({
      action: "auth.rate_limited",
      outcome: "denied",
      programId: user?.programId,
      targetType: "user",
      targetId: user?.id,
      ipAddress,
    });
    return { ok: false, reason: "rate_limited", retryAfterSeconds };
  }

  const passwordMatches = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !passwordMatches || user.status !== "active") {
    throttle.recordFailure();
    recordAudit({
      action: "auth.sign_in",
      outcome: "failure",
      programId: user?.programId,
      targetType: "user",
      targetId: user?.id,
      ipAddress,
    });
    return { ok: false, reason: "invalid" };
  }

  throttle.recordSuccess();
  recordAudit({
    action: "auth.sign_in",
    outcome: "success",
    programId: user.programId,
    actorUserId: user.id,
    targetType: "user",
    targetId: user.id,
    ipAddress,
  });
  return { ok: true, user };
}

/**
 * Issues a reset link for an active account. Returns null (and the caller says the same thing
 * either way) when the e-mail is unknown, the account cannot sign in, or the limit is reached.
 */
export function requestPasswordReset(email: string, ipAddress: string | null) {
  const normalized = normalizeEmail(email);
  const accountKey = `password-reset:account:${sha256Hex(normalized)}`;
  const addressKey = `password-reset:address:${ipAddress ?? "unknown"}`;
  if (
    isLimited(accountKey, passwordResetLimits.perAccount) ||
    isLimited(addressKey, passwordResetLimits.perAddress)
  ) {
    recordAudit({ action: "auth.rate_limited", outcome: "denied", ipAddress });
    return null;
  }
  recordHit(accountKey, passwordResetLimits.perAccount);
  recordHit(addressKey, passwordResetLimits.perAddress);
  const user = findUserByEmail(normalized);
  if (!user || user.status !== "active") return null;
  return db.transaction((tx) => {
    const token = issueToken(tx, user.id, "password_reset");
    recordAudit(
      {
        action: "auth.password_reset_requested",
        outcome: "success",
        programId: user.programId,
        targetType: "user",
        targetId: user.id,
        ipAddress,
      },
      tx,
    );
    return { user, token };
  });
}

/** Sets a new password through a reset link and ends every session of the account. */
export async function resetPassword(token: string, password: string, ipAddress: string | null) {
  const passwordHash = await hashPassword(password);
  const account = db.transaction((tx) => {
    const userId = consumeToken(tx, token, "password_reset");
    if (!userId) return null;
    const [updated] = tx
      .update(users)
      .set({ passwordHash, updatedAt: new Date() })
      .where(and(eq(users.id, userId), eq(users.status, "active")))
      .returning()
      .all();
    if (!updated) return null;
    recordAudit(
      {
        action: "auth.password_reset",
        outcome: "success",
        programId: updated.programId,
        actorUserId: updated.id,
        targetType: "user",
        targetId: updated.id,
        ipAddress,
      },
      tx,
    );
    return updated;
  });
  if (account) await endAllSessions(account.id);
  return account;
}

/** Changes the password of a signed-in user who knows the current one; every session ends. */
export async function changePassword(
  userId: string,
  currentPassword: string,
  newPassword: string,
  ipAddress: string | null,
): Promise<"changed" | "wrong_password"> {
  const user = db.select().from(users).where(eq(users.id, userId)).get();
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
    recordAudit({
      action: "auth.password_changed",
      outcome: "failure",
      programId: user?.programId,
      actorUserId: userId,
      targetType: "user",
      targetId: userId,
      ipAddress,
    });
    return "wrong_password";
  }
  const passwordHash = await hashPassword(newPassword);
  db.transaction((tx) => {
    tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, userId)).run();
    recordAudit(
      {
        action: "auth.password_changed",
        outcome: "success",
        programId: user.programId,
        actorUserId: userId,
        targetType: "user",
        targetId: userId,
        ipAddress,
      },
      tx,
    );
  });
  await endAllSessions(userId);
  return "changed";
}
