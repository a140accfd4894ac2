import { and, asc, eq, getTableColumns, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { db } from "#db/client";
import { episodes, memberships, people, programs } from "#db/schema";
import { type Role } from "~/vocabulary";
import { recordAudit, type AuditAction, type AuditEntry } from "~/models/audit.server";
import { consumeToken, inspectToken, issueToken } from "~/models/account-token.server";
import { hashPassword, verifyPassword } from "~/models/password.server";
import { newId, sha256Hex } from "~/utils/crypto.server";
import { isLimited, passwordResetLimits, recordHit, signInThrottle } from "~/models/rate-limit.server";
import { endAllSessions, endMembershipSessions } from "~/session.server";

export function normalizeEmail(email: string) {
  return email.trim().toLowerCase();
}

export function findPersonByEmail(email: string) {
  return db
    .select()
    .from(people)
    .where(eq(people.email, normalizeEmail(email)))
    .get();
}

/** A membership with its person's sign-in address (for e-mail), or undefined. */
export function findMember(membershipId: string) {
  return db
    .select({ ...getTableColumns(memberships), email: people.email })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(eq(memberships.id, membershipId))
    .get();
}

export type Member = NonNullable<ReturnType<typeof findMember>>;

/** The person's active memberships with their programs, in a stable order, for choosing which acts. */
export function activeMemberships(personId: string) {
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
    .orderBy(asc(programs.name), asc(memberships.role))
    .all();
}

export class DuplicateEmailError extends Error {
  constructor() {
    super("This person already holds this role in this program");
  }
}

type Actor = { id: string | null; programId: string; ipAddress: string | null };

type Executor = Parameters<Parameters<typeof db.transaction>[0]>[0];

/**
 * Gives `account.email` a membership in the actor's program, inside the caller's transaction. A new
 * address becomes a person waiting for activation, and the raw activation token is returned for the
 * e-mail (sent after the commit). A person who already has a password is simply given the role,
 * active at once, and no token: they sign in as they always do. The same role twice is refused.
 */
export function createInvitedAccount(
  tx: Executor,
  actor: Actor,
  account: { name: string; email: string; role: Role },
): { userId: string; activationToken: string | null } {
  const email = normalizeEmail(account.email);
  const existing = tx.select().from(people).where(eq(people.email, email)).get();
  if (existing) {
    const sameRole = tx
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
  if (!existing) tx.insert(people).values({ id: personId, email }).run();
  const userId = newId();
  const activated = Boolean(existing?.passwordHash);
  tx.insert(memberships)
    .values({
      id: userId,
      personId,
      programId: actor.programId,
      name: account.name.trim(),
      role: account.role,
      status: activated ? "active" : "invited",
    })
    .run();
  const activationToken = activated ? null : issueToken(tx, personId, "activation");
  recordAudit(accountEvent("account.created", actor, userId), tx);
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
function recordPersonAudit(
  personId: string | undefined,
  entry: { action: AuditAction; outcome: AuditEntry["outcome"]; ipAddress: string | null; asActor: boolean },
  executor?: Executor,
) {
  const held = personId
    ? db
        .select({ id: memberships.id, programId: memberships.programId })
        .from(memberships)
        .where(eq(memberships.personId, personId))
        .all()
    : [];
  const rows = held.length > 0 ? held : [null];
  for (const membership of rows) {
    recordAudit(
      {
        action: entry.action,
        outcome: entry.outcome,
        programId: membership?.programId,
        actorUserId: entry.asActor ? membership?.id : undefined,
        targetType: "user",
        targetId: membership?.id,
        ipAddress: entry.ipAddress,
      },
      executor,
    );
  }
}

/**
 * A person who signs in at once, holding one membership under the same id, as every account
 * carried over from before memberships does: for the demo program, tests and benchmarks.
 */
export function insertActiveMember(
  executor: Pick<typeof db, "insert">,
  member: { id: string; programId: string; email: string; name: string; role: Role; passwordHash: string },
) {
  executor
    .insert(people)
    .values({ id: member.id, email: normalizeEmail(member.email), passwordHash: member.passwordHash })
    .run();
  executor
    .insert(memberships)
    .values({
      id: member.id,
      personId: member.id,
      programId: member.programId,
      name: member.name,
      role: member.role,
      status: "active",
    })
    .run();
}

export function createTherapist(actor: Actor, account: { name: string; email: string }) {
  return db.transaction((tx) => createInvitedAccount(tx, actor, { ...account, role: "therapist" }));
}

export const accountsPageSize = 50;

/** Memberships of one program with the given roles, by name, a page at a time (pages count from 1). */
export function listProgramAccounts(programId: string, roles: Role[], page = 1) {
  const rows = db
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
    .offset((page - 1) * accountsPageSize)
    .all();
  return { accounts: rows.slice(0, accountsPageSize), hasMore: rows.length > accountsPageSize };
}

/** A membership of the actor's program, with its person's sign-in state; undefined for any other. */
function programMember(executor: Executor | typeof db, programId: string, membershipId: string) {
  return executor
    .select({ ...getTableColumns(memberships), email: people.email, passwordHash: people.passwordHash })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(and(eq(memberships.id, membershipId), eq(memberships.programId, programId)))
    .get();
}

/** A new activation link for a membership whose person has not set a password yet; null otherwise. */
export function reissueActivation(actor: Actor, membershipId: string) {
  return db.transaction((tx) => {
    const account = programMember(tx, actor.programId, membershipId);
    if (!account || account.status !== "invited" || account.passwordHash) return null;
    const activationToken = issueToken(tx, account.personId, "activation");
    recordAudit(accountEvent("account.activation_reissued", actor, account.id), tx);
    return { account, activationToken };
  });
}

/**
 * Disables or re-enables a membership of the actor's program. Disabling ends, at once, the sessions
 * in which it acts; the person's memberships elsewhere are not this program's to touch.
 */
export function setAccountDisabled(actor: Actor, membershipId: string, disabled: boolean) {
  const changed = db.transaction((tx) => {
    const account = programMember(tx, actor.programId, membershipId);
    if (!account || account.id === actor.id) return null;
    const target = disabled ? "disabled" : account.passwordHash ? "active" : "invited";
    tx.update(memberships).set({ status: target, updatedAt: new Date() }).where(eq(memberships.id, account.id)).run();
    recordAudit(accountEvent(disabled ? "account.disabled" : "account.enabled", actor, account.id), tx);
    return account;
  });
  if (changed && disabled) endMembershipSessions(changed.id);
  return changed;
}

export function activationState(token: string) {
  return inspectToken(db, token, "activation");
}

export function passwordResetState(token: string) {
  return inspectToken(db, token, "password_reset");
}

/**
 * Sets the first password through a single-use activation link; every membership waiting for it
 * becomes active. Returns the person and those memberships, or null.
 */
export async function activateAccount(token: string, password: string, ipAddress: string | null) {
  const passwordHash = await hashPassword(password);
  return db.transaction((tx) => {
    const personId = consumeToken(tx, token, "activation");
    if (!personId) return null;
    const [person] = tx
      .update(people)
      .set({ passwordHash, updatedAt: new Date() })
      .where(and(eq(people.id, personId), isNull(people.passwordHash)))
      .returning()
      .all();
    if (!person) return null;
    const activated = tx
      .update(memberships)
      .set({ status: "active", updatedAt: new Date() })
      .where(and(eq(memberships.personId, personId), eq(memberships.status, "invited")))
      .returning()
      .all();
    for (const membership of activated) {
      recordAudit(
        accountEvent("account.activated", { id: membership.id, programId: membership.programId, ipAddress }, membership.id),
        tx,
      );
    }
    return { person, memberships: activated };
  });
}

export type SignInResult =
  | { ok: true; person: typeof people.$inferSelect; memberships: ReturnType<typeof activeMemberships> }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/**
 * Checks credentials under the sign-in throttle, which slows guessing without locking the owner out.
 * A wrong password, an unknown e-mail and a person with no active membership all answer the same
 * way, after the same work.
 */
export async function signIn(email: string, password: string, ipAddress: string | null): Promise<SignInResult> {
  const normalized = normalizeEmail(email);
  const throttle = signInThrottle(normalized, ipAddress);
  const person = findPersonByEmail(normalized);

  const retryAfterSeconds = throttle.retryAfterSeconds();
  if (retryAfterSeconds > 0) {
    recordPersonAudit(person?.id, { action: "auth.rate_limited", outcome: "denied", ipAddress, asActor: false });
    return { ok: false, reason: "rate_limited", retryAfterSeconds };
  }

  const passwordMatches = await verifyPassword(person?.passwordHash ?? null, password);
  const held = person && passwordMatches ? activeMemberships(person.id) : [];
  if (!person || held.length === 0) {
    throttle.recordFailure();
    recordPersonAudit(person?.id, { action: "auth.sign_in", outcome: "failure", ipAddress, asActor: false });
    return { ok: false, reason: "invalid" };
  }

  throttle.recordSuccess();
  recordPersonAudit(person.id, { action: "auth.sign_in", outcome: "success", ipAddress, asActor: true });
  return { ok: true, person, memberships: held };
}

/**
 * Issues a reset link for a person who can sign in. Returns null (and the caller says the same
 * thing either way) when the e-mail is unknown, nobody can sign in with it, or the limit is reached.
 */
export function requestPasswordReset(email: string, ipAddress: string | null) {
  const normalized = normalizeEmail(email);
  const accountKey = `password-reset:account:${sha256Hex(normalized)}`;
  const addressKey = `password-reset:address:${ipAddress ?? "unknown"}`;
  if (isLimited(accountKey, passwordResetLimits.perAccount) || isLimited(addressKey, passwordResetLimits.perAddress)) {
    recordAudit({ action: "auth.rate_limited", outcome: "denied", ipAddress });
    return null;
  }
  recordHit(accountKey, passwordResetLimits.perAccount);
  recordHit(addressKey, passwordResetLimits.perAddress);
  const person = findPersonByEmail(normalized);
  const held = person?.passwordHash ? activeMemberships(person.id) : [];
  if (!person || held.length === 0) return null;
  return db.transaction((tx) => {
    const token = issueToken(tx, person.id, "password_reset");
    recordPersonAudit(person.id, { action: "auth.password_reset_requested", outcome: "success", ipAddress, asActor: false }, tx);
    // The e-mail greets them by the name of one of their memberships: the same person either way.
    return { email: person.email, name: held[0]!.name, programId: held[0]!.programId, token };
  });
}

/** Sets a new password through a reset link and ends every session of the person. */
export async function resetPassword(token: string, password: string, ipAddress: string | null) {
  const passwordHash = await hashPassword(password);
  const person = db.transaction((tx) => {
    const personId = consumeToken(tx, token, "password_reset");
    if (!personId) return null;
    const [updated] = tx
      .update(people)
      .set({ passwordHash, updatedAt: new Date() })
      .where(and(eq(people.id, personId), isNotNull(people.passwordHash)))
      .returning()
      .all();
    if (!updated) return null;
    recordPersonAudit(updated.id, { action: "auth.password_reset", outcome: "success", ipAddress, asActor: true }, tx);
    return updated;
  });
  if (person) endAllSessions(person.id);
  return person;
}

/** Changes the password of a signed-in person who knows the current one; every session ends. */
export async function changePassword(
  actor: { id: string; personId: string; programId: string },
  currentPassword: string,
  newPassword: string,
  ipAddress: string | null,
): Promise<"changed" | "wrong_password"> {
  const person = db.select().from(people).where(eq(people.id, actor.personId)).get();
  const event = {
    action: "auth.password_changed",
    programId: actor.programId,
    actorUserId: actor.id,
    targetType: "user",
    targetId: actor.id,
    ipAddress,
  } as const;
  if (!person || !(await verifyPassword(person.passwordHash, currentPassword))) {
    recordAudit({ ...event, outcome: "failure" });
    return "wrong_password";
  }
  const passwordHash = await hashPassword(newPassword);
  db.transaction((tx) => {
    tx.update(people).set({ passwordHash, updatedAt: new Date() }).where(eq(people.id, person.id)).run();
    recordAudit({ ...event, outcome: "success" }, tx);
  });
  endAllSessions(person.id);
  return "changed";
}
