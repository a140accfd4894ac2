import { and, desc, eq, gt, ne, sql } from "drizzle-orm";
import { parse as parseCookie, serialize as serializeCookie } from "cookie";
import type { Database } from "#db/database";
import { preparedRead } from "#db/prepared";
import { memberships, people, sessions } from "#db/schema";
import type { Language, Role } from "~/vocabulary";
import { env } from "~/env.server";
import { randomToken, sha256Hex } from "~/utils/crypto.server";

/**
 * Sessions of a person (docs/decisions/002-sessions-behind-one-module.md, 011-people-and-memberships.md).
 * The cookie carries a 256-bit random token; the database stores only its SHA-256 as the session id.
 * Each session names the membership acting in it; a person with several chooses which.
 */

/** The acting membership: who the person is, in which program, for every policy decision. */
export type SessionUser = {
  id: string;
  personId: string;
  programId: string;
  email: string;
  name: string;
  role: Role;
};

/** A signed-in person; `user` is null until one of their memberships is chosen to act. */
export type PersonSession = {
  id: string;
  person: { id: string; email: string; activeMemberships: number; discreet: boolean; language: Language | null };
  user: SessionUser | null;
};

export type CurrentSession = PersonSession & { user: SessionUser };

const idleMs = () => env().SESSION_IDLE_MINUTES * 60_000;
const absoluteMs = () => env().SESSION_ABSOLUTE_HOURS * 3_600_000;
/** Extending the idle deadline costs a write, so it is done at most once a minute per session. */
const touchIntervalMs = 60_000;

function isSecure(request: Request) {
  return new URL(request.url).protocol === "https:";
}

/** `__Host-` binds the cookie to this exact origin; browsers accept the prefix only on Secure cookies. */
function cookieName(request: Request) {
  return isSecure(request) ? "__Host-care_circle_session" : "care_circle_session";
}

function sessionCookie(request: Request, value: string, maxAge?: number) {
  return serializeCookie(cookieName(request), value, {
    httpOnly: true,
    sameSite: "lax",
    secure: isSecure(request),
    path: "/",
    // No Max-Age: a browser-session cookie; the server enforces idle and absolute lifetimes.
    ...(maxAge === undefined ? {} : { maxAge }),
  });
}

function tokenFrom(request: Request): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  const token = parseCookie(header)[cookieName(request)];
  return token && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : null;
}

export type ClientInfo = { ipAddress: string | null; userAgent: string | null };

/**
 * Starts a fresh session (never reusing one the browser brought) acting as `membershipId`, or as
 * nobody yet when the person must choose, and returns its Set-Cookie header.
 */
export async function startSession(
  db: Database,
  request: Request,
  personId: string,
  membershipId: string | null,
  client: ClientInfo,
): Promise<string> {
  const previous = tokenFrom(request);
  if (previous) await endSession(db, sha256Hex(previous));
  const token = randomToken();
  const now = Date.now();
  await db.insert(sessions).values({
    id: sha256Hex(token),
    personId,
    membershipId,
    expiresAt: now + idleMs(),
    createdAt: now,
    lastSeenAt: now,
    ipAddress: client.ipAddress,
    userAgent: client.userAgent?.slice(0, 300) ?? null,
  });
  return sessionCookie(request, token);
}

const activeMembershipCount = sql<number>`(select count(*) from ${memberships} where ${memberships.personId} = ${people.id} and ${memberships.status} = 'active')`;

/** A session with its person and acting membership: read on every request, so built once. */
const sessionWithMembership = preparedRead((db) =>
  db
    .select({
      session: sessions,
      email: people.email,
      discreet: people.discreet,
      language: people.language,
      activeMemberships: activeMembershipCount,
      membership: memberships,
    })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .leftJoin(
      memberships,
      and(
        eq(memberships.id, sessions.membershipId),
        eq(memberships.personId, sessions.personId),
        eq(memberships.status, "active"),
      ),
    )
    .where(eq(sessions.id, sql.placeholder("sessionId")))
    .prepare(),
);

/**
 * The signed-in session, or null. Expired, idle and over-age sessions end here, and so do those of
 * a person left with no active membership. An acting membership that was disabled stops acting.
 */
export async function readSession(db: Database, request: Request): Promise<PersonSession | null> {
  const token = tokenFrom(request);
  if (!token) return null;
  const sessionId = sha256Hex(token);
  const row = await sessionWithMembership(db).get({ sessionId });
  if (!row) return null;
  const now = Date.now();
  if (row.session.expiresAt <= now || now - row.session.createdAt >= absoluteMs() || row.activeMemberships === 0) {
    await endSession(db, sessionId);
    return null;
  }
  if (now - row.session.lastSeenAt >= touchIntervalMs) {
    await db
      .update(sessions)
      .set({ lastSeenAt: now, expiresAt: now + idleMs() })
      .where(eq(sessions.id, sessionId));
  }
  const membership = row.membership;
  return {
    id: sessionId,
    person: {
      id: row.session.personId,
      email: row.email,
      activeMemberships: row.activeMemberships,
      discreet: row.discreet,
      language: row.language,
    },
    user: membership
      ? {
          id: membership.id,
          personId: membership.personId,
          programId: membership.programId,
          email: row.email,
          name: membership.name,
          role: membership.role,
        }
      : null,
  };
}

/** Makes one of the person's own active memberships act in this session; false for any other id. */
export async function actAs(db: Database, session: { id: string; personId: string }, membershipId: string): Promise<boolean> {
  const [updated] = await db
    .update(sessions)
    .set({ membershipId })
    .where(
      and(
        eq(sessions.id, session.id),
        eq(sessions.personId, session.personId),
        sql`exists (select 1 from ${memberships} where ${memberships.id} = ${membershipId} and ${memberships.personId} = ${session.personId} and ${memberships.status} = 'active')`,
      ),
    )
    .returning({ id: sessions.id });
  return Boolean(updated);
}

export function clearSessionCookie(request: Request): string {
  return sessionCookie(request, "", 0);
}

export async function endSession(db: Database, sessionId: string) {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function endAllSessions(db: Database, personId: string) {
  await db.delete(sessions).where(eq(sessions.personId, personId));
}

/** Ends the sessions in which this membership acts (it was disabled); the person's others go on. */
export async function endMembershipSessions(db: Database, membershipId: string) {
  await db.delete(sessions).where(eq(sessions.membershipId, membershipId));
}

/** Ends one of the person's own sessions; the person id in the query keeps anyone else's out of reach. */
export async function endOwnSession(db: Database, personId: string, sessionId: string): Promise<boolean> {
  const ended = await db
    .delete(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.personId, personId)))
    .returning({ id: sessions.id });
  return ended.length === 1;
}

export async function endOtherSessions(db: Database, personId: string, currentSessionId: string) {
  await db.delete(sessions).where(and(eq(sessions.personId, personId), ne(sessions.id, currentSessionId)));
}

export type SessionSummary = {
  /** The stored id is the SHA-256 of the cookie token: showing it cannot let anyone sign in. */
  id: string;
  createdAt: number;
  lastSeenAt: number;
  ipAddress: string | null;
  userAgent: string | null;
  current: boolean;
};

export async function listSessions(db: Database, personId: string, currentSessionId: string): Promise<SessionSummary[]> {
  const now = Date.now();
  const rows = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.personId, personId), gt(sessions.expiresAt, now), gt(sessions.createdAt, now - absoluteMs())))
    .orderBy(desc(sessions.lastSeenAt));
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    ipAddress: row.ipAddress,
    userAgent: row.userAgent,
    current: row.id === currentSessionId,
  }));
}
