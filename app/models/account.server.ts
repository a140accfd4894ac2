import { and, asc, eq, getTableColumns, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Database } from "#db/database";
import { episodes, memberships, people, programs } from "#db/schema";
import { type Language, type Role } from "~/vocabulary";
import { recordAudit, type AuditAction, type AuditEntry } from "~/models/audit.server";
import { consumeToken, inspectToken, issueToken } from "~/models/account-token.server";
import { hashPassword, verifyPassword } from "~/models/password.server";
import { newId, sha256Hex } from "~/utils/crypto.server";
import { hitUnlessLimited, passwordResetLimits, signInThrottle } from "~/models/rate-limit.server";
import { endAllSessions, endMembershipSessions } from "~/session.server";

export function normalizeEmail(email: string) {
  return email.trim().toLowerCase();
}

export async function findPersonByEmail(db: Database, email: string) {
  return db
    .select()
    .from(people)
    .where(eq(people.email, normalizeEmail(email)))
    .get();
}

/** The memberships one e-mail address holds in one program (a person may hold several roles there), by role. */
export function programMembershipsByEmail(db: Database, programId: string, email: string) {
  return db
    .select({ id: memberships.id, name: memberships.name, role: memberships.role })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(and(eq(memberships.programId, programId), eq(people.email, normalizeEmail(email))))
    .orderBy(asc(memberships.role));
}

/** A membership with its person's sign-in address (for e-mail), or undefined. */
export async function findMember(db: Database, membershipId: string) {
  return db
    .select({ ...getTableColumns(memberships), email: people.email })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(eq(memberships.id, membershipId))
    .get();
}

export type Member = NonNullable<Awaited<ReturnType<typeof findMember>>>;

/** The person's active memberships with their programs, in a stable order, for choosing which acts. */
export async function activeMemberships(db: Database, personId: string) {
  return db
    .select({
      id: memberships.id,
      role: memberships.role,
      name: memberships.name,
      programId: programs.id,
      programName: programs.name,
    })
    .from(memberships)
    .innerJoin(programs, eq(programs.id, memberships.programId))
    .where(and(eq(memberships.personId, personId), eq(memberships.status, "active")))
    .orderBy(asc(programs.name), asc(memberships.role));
}

export class DuplicateEmailError extends Error {
  constructor() {
    super("This person already holds this role in this program");
  }
}

type Actor = { id: string | null; programId: string; ipAddress: string | null };

/**
 * Gives `account.email` a membership in the actor's program, inside the caller's transaction. A new
 * address becomes a person waiting for activation, and the raw activation token is returned for the
 * e-mail (sent after the commit). A person who already has a password is simply given the role,
 * active at once, and no token: they sign in as they always do. The same role twice is refused.
 */
export async function createInvitedAccount(
  tx: Database,
  actor: Actor,
  account: { name: string; email: string; role: Role },
): Promise<{ userId: string; activationToken: string | null }> {
  const email = normalizeEmail(account.email);
  const existing = await tx.select().from(people).where(eq(people.email, email)).get();
  if (existing) {
    const sameRole = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(
        and(
          eq(memberships.personId, existing.id),
          eq(memberships.programId, actor.programId),
          eq(memberships.role, account.role),
        ),
      )
      .get();
    if (sameRole) throw new DuplicateEmailError();
  }
  const personId = existing?.id ?? newId();
  if (!existing) await tx.insert(people).values({ id: personId, email });
  const userId = newId();
  const activated = Boolean(existing?.passwordHash);
  await tx.insert(memberships).values({
    id: userId,
    personId,
    programId: actor.programId,
    name: account.name.trim(),
    role: account.role,
    status: activated ? "active" : "invited",
  });
  const activationToken = activated ? null : await issueToken(tx, personId, "activation");
  await recordAudit(tx, accountEvent("account.created", actor, userId));
  return { userId, activationToken };
}

/** An audit row about one membership, written by someone acting in its program. */
function accountEvent(action: AuditAction, actor: Actor, membershipId: string): AuditEntry {
  return {
    action,
    outcome: "success",
    programId: actor.programId,
    actorUserId: actor.id,
    targetType: "user",
    targetId: membershipId,
    ipAddress: actor.ipAddress,
  };
}

/**
 * Writes a person-level event (sign-in, password) once in each program where they hold a
 * membership, so that every program's trail is complete and none shows another program's roles.
 */
async function recordPersonAudit(
  db: Database,
  personId: string | undefined,
  entry: { action: AuditAction; outcome: AuditEntry["outcome"]; ipAddress: string | null; asActor: boolean },
) {
  const held = personId
    ? await db
        .select({ id: memberships.id, programId: memberships.programId })
        .from(memberships)
        .where(eq(memberships.personId, personId))
    : [];
  const rows = held.length > 0 ? held : [null];
  for (const membership of rows) {
    await recordAudit(db, {
      action: entry.action,
      outcome: entry.outcome,
      programId: membership?.programId,
      actorUserId: entry.asActor ? membership?.id : undefined,
      targetType: "user",
      targetId: membership?.id,
      ipAddress: entry.ipAddress,
    });
  }
}

/**
 * A person who signs in at once, holding one membership under the same id, as every account
 * carried over from before memberships does: for the demo program, tests and benchmarks.
 */
export async function insertActiveMember(
  db: Database,
  member: { id: string; programId: string; email: string; name: string; role: Role; passwordHash: string },
) {
  await db.insert(people).values({ id: member.id, email: normalizeEmail(member.email), passwordHash: member.passwordHash });
  await db.insert(memberships).values({
    id: member.id,
    personId: member.id,
    programId: member.programId,
    name: member.name,
    role: member.role,
    status: "active",
  });
}

export async function createTherapist(db: Database, actor: Actor, account: { name: string; email: string }) {
  return db.transaction((tx) => createInvitedAccount(tx, actor, { ...account, role: "therapist" }));
}

export const accountsPageSize = 50;

/** Memberships of one program with the given roles, by name, a page at a time (pages count from 1). */
export async function listProgramAccounts(db: Database, programId: string, roles: Role[], page = 1) {
  const rows = await db
    .select({
      id: memberships.id,
      name: memberships.name,
      email: people.email,
      role: memberships.role,
      status: memberships.status,
      openEpisode:
        sql<number>`exists (select 1 from ${episodes} where ${episodes.patientId} = ${memberships.id} and ${episodes.endedAt} is null)`.mapWith(
          Boolean,
        ),
    })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(and(eq(memberships.programId, programId), inArray(memberships.role, roles)))
    .orderBy(asc(memberships.name), asc(memberships.id))
    .limit(accountsPageSize + 1)
    .offset((page - 1) * accountsPageSize);
  return { accounts: rows.slice(0, accountsPageSize), hasMore: rows.length > accountsPageSize };
}

/** A membership of the actor's program, with its person's sign-in state; undefined for any other. */
export async function programMember(db: Database, programId: string, membershipId: string) {
  return db
    .select({ ...getTableColumns(memberships), email: people.email, passwordHash: people.passwordHash })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(and(eq(memberships.id, membershipId), eq(memberships.programId, programId)))
    .get();
}

/** A new activation link for a membership whose person has not set a password yet; null otherwise. */
export async function reissueActivation(db: Database, actor: Actor, membershipId: string) {
  return db.transaction(async (tx) => {
    const account = await programMember(tx, actor.programId, membershipId);
    if (!account || account.status !== "invited" || account.passwordHash) return null;
    const activationToken = await issueToken(tx, account.personId, "activation");
    await recordAudit(tx, accountEvent("account.activation_reissued", actor, account.id));
    return { account, activationToken };
  });
}

/**
 * Disables or re-enables a membership of the actor's program, inside the caller's transaction. Disabling
 * ends, in the same transaction, the sessions in which it acts; the person's memberships elsewhere are
 * not this program's to touch. Returns the membership, or null for anyone the actor may not change.
 */
export async function changeAccountStatus(tx: Database, actor: Actor, membershipId: string, disabled: boolean) {
  const account = await programMember(tx, actor.programId, membershipId);
  if (!account || account.id === actor.id) return null;
  const target = disabled ? "disabled" : account.passwordHash ? "active" : "invited";
  await tx.update(memberships).set({ status: target, updatedAt: new Date() }).where(eq(memberships.id, account.id));
  await recordAudit(tx, accountEvent(disabled ? "account.disabled" : "account.enabled", actor, account.id));
  if (disabled) await endMembershipSessions(tx, account.id);
  return account;
}

export async function setAccountDisabled(db: Database, actor: Actor, membershipId: string, disabled: boolean) {
  return db.transaction((tx) => changeAccountStatus(tx, actor, membershipId, disabled));
}

export async function activationState(db: Database, token: string) {
  return inspectToken(db, token, "activation");
}

export async function passwordResetState(db: Database, token: string) {
  return inspectToken(db, token, "password_reset");
}

/**
 * Sets the first password through a single-use activation link; every membership waiting for it
 * becomes active. Returns the person and those memberships, or null.
 */
export async function activateAccount(db: Database, token: string, password: string, ipAddress: string | null) {
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const personId = await consumeToken(tx, token, "activation");
    if (!personId) return null;
    const [person] = await tx
      .update(people)
      .set({ passwordHash, updatedAt: new Date() })
      .where(and(eq(people.id, personId), isNull(people.passwordHash)))
      .returning();
    if (!person) return null;
    const activated = await tx
      .update(memberships)
      .set({ status: "active", updatedAt: new Date() })
      .where(and(eq(memberships.personId, personId), eq(memberships.status, "invited")))
      .returning();
    for (const membership of activated) {
      await recordAudit(
        tx,
        accountEvent("account.activated", { id: membership.id, programId: membership.programId, ipAddress }, membership.id),
      );
    }
    return { person, memberships: activated };
  });
}

export type SignInResult =
  | { ok: true; person: typeof people.$inferSelect; memberships: Awaited<ReturnType<typeof activeMemberships>> }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/**
 * Checks credentials under the sign-in throttle, which slows guessing without locking the owner out.
 * A wrong password, an unknown e-mail and a person with no active membership all answer the same
 * way, after the same work.
 */
export async function signIn(db: Database, email: string, password: string, ipAddress: string | null): Promise<SignInResult> {
  const normalized = normalizeEmail(email);
  const throttle = signInThrottle(db, normalized, ipAddress);
  const person = await findPersonByEmail(db, normalized);

  // The attempt counts as a failure from here on, unless it turns out to be a success.
  const retryAfterSeconds = await throttle.attempt();
  if (retryAfterSeconds > 0) {
    await recordPersonAudit(db, person?.id, { action: "auth.rate_limited", outcome: "denied", ipAddress, asActor: false });
    return { ok: false, reason: "rate_limited", retryAfterSeconds };
  }

  const passwordMatches = await verifyPassword(person?.passwordHash ?? null, password);
  const held = person && passwordMatches ? await activeMemberships(db, person.id) : [];
  if (!person || held.length === 0) {
    await recordPersonAudit(db, person?.id, { action: "auth.sign_in", outcome: "failure", ipAddress, asActor: false });
    return { ok: false, reason: "invalid" };
  }

  await throttle.recordSuccess();
  await recordPersonAudit(db, person.id, { action: "auth.sign_in", outcome: "success", ipAddress, asActor: true });
  return { ok: true, person, memberships: held };
}

/**
 * Issues a reset link for a person who can sign in. Returns null (and the caller says the same
 * thing either way) when the e-mail is unknown, nobody can sign in with it, or the limit is reached.
 */
export async function requestPasswordReset(db: Database, email: string, ipAddress: string | null) {
  const normalized = normalizeEmail(email);
  const accountKey = `password-reset:account:${sha256Hex(normalized)}`;
  const addressKey = `password-reset:address:${ipAddress ?? "unknown"}`;
  const counted = await hitUnlessLimited(db, [
    { key: accountKey, rule: passwordResetLimits.perAccount },
    { key: addressKey, rule: passwordResetLimits.perAddress },
  ]);
  if (!counted) {
    await recordAudit(db, { action: "auth.rate_limited", outcome: "denied", ipAddress });
    return null;
  }
  const person = await findPersonByEmail(db, normalized);
  const held = person?.passwordHash ? await activeMemberships(db, person.id) : [];
  if (!person || held.length === 0) return null;
  return db.transaction(async (tx) => {
    const token = await issueToken(tx, person.id, "password_reset");
    await recordPersonAudit(tx, person.id, {
      action: "auth.password_reset_requested",
      outcome: "success",
      ipAddress,
      asActor: false,
    });
    // The e-mail greets them by the name of one of their memberships: the same person either way.
    return { email: person.email, name: held[0]!.name, programId: held[0]!.programId, token };
  });
}

/** Sets a new password through a reset link and ends every session of the person. */
export async function resetPassword(db: Database, token: string, password: string, ipAddress: string | null) {
  const passwordHash = await hashPassword(password);
  const person = await db.transaction(async (tx) => {
    const personId = await consumeToken(tx, token, "password_reset");
    if (!personId) return null;
    const [updated] = await tx
      .update(people)
      .set({ passwordHash, updatedAt: new Date() })
      .where(and(eq(people.id, personId), isNotNull(people.passwordHash)))
      .returning();
    if (!updated) return null;
    await recordPersonAudit(tx, updated.id, { action: "auth.password_reset", outcome: "success", ipAddress, asActor: true });
    return updated;
  });
  if (person) await endAllSessions(db, person.id);
  return person;
}

/** Changes the password of a signed-in person who knows the current one; every session ends. */
export async function changePassword(
  db: Database,
  actor: { id: string; personId: string; programId: string },
  currentPassword: string,
  newPassword: string,
  ipAddress: string | null,
): Promise<"changed" | "wrong_password"> {
  const person = await db.select().from(people).where(eq(people.id, actor.personId)).get();
  const event = {
    action: "auth.password_changed",
    programId: actor.programId,
    actorUserId: actor.id,
    targetType: "user",
    targetId: actor.id,
    ipAddress,
  } as const;
  if (!person || !(await verifyPassword(person.passwordHash, currentPassword))) {
    await recordAudit(db, { ...event, outcome: "failure" });
    return "wrong_password";
  }
  const passwordHash = await hashPassword(newPassword);
  const changed = await db.transaction(async (tx) => {
    // Only while the password checked above (so not null) is still the current one: a reset or change in the meantime wins.
    const updated = await tx
      .update(people)
      .set({ passwordHash, updatedAt: new Date() })
      .where(and(eq(people.id, person.id), eq(people.passwordHash, person.passwordHash!)))
      .returning({ id: people.id });
    if (updated.length !== 1) return false;
    await recordAudit(tx, { ...event, outcome: "success" });
    return true;
  });
  if (!changed) {
    await recordAudit(db, { ...event, outcome: "failure" });
    return "wrong_password";
  }
  await endAllSessions(db, person.id);
  return "changed";
}

/**
 * Turns discreet mode on or off for the person (decision 021): it follows them into every role, on
 * every device, and into their e-mail and calendar.
 */
export async function setDiscreetMode(
  db: Database,
  actor: { id: string; personId: string; programId: string },
  discreet: boolean,
  ipAddress: string | null,
) {
  await db.transaction(async (tx) => {
    await tx.update(people).set({ discreet, updatedAt: new Date() }).where(eq(people.id, actor.personId));
    await recordAudit(tx, {
      action: "account.discreet_changed",
      outcome: "success",
      programId: actor.programId,
      actorUserId: actor.id,
      targetType: "user",
      targetId: actor.id,
      ipAddress,
    });
  });
}

/** The person's language for every page and e-mail, in every role. */
export async function setLanguage(db: Database, personId: string, language: Language) {
  await db.update(people).set({ language, updatedAt: new Date() }).where(eq(people.id, personId));
}
