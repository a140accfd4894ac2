import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { and, desc, eq, gt, ne } from "drizzle-orm";
import { Lucia, TimeSpan } from "lucia";
import { parse as parseCookie, serialize as serializeCookie } from "cookie";
import { db } from "#db/client";
import { sessions, users } from "#db/schema";
import { type AccountStatus, type Role } from "~/vocabulary";
import { env } from "~/env.server";
import { randomToken, sha256Hex } from "~/utils/crypto.server";

/**
 * The only module that knows sessions are Lucia's (docs/decisions/002-sessions-behind-one-module.md).
 * The cookie carries a 256-bit random token; the database stores only its SHA-256 as the session id.
 * Lucia keeps the idle lifetime; the absolute lifetime is checked here.
 */

const lucia = new Lucia(new DrizzleSQLiteAdapter(db, sessions, users), {
  sessionExpiresIn: new TimeSpan(env().SESSION_IDLE_MINUTES, "m"),
  getSessionAttributes: (attributes) => attributes,
  getUserAttributes: (attributes) => ({
    programId: attributes.programId,
    email: attributes.email,
    name: attributes.name,
    role: attributes.role,
    status: attributes.status,
  }),
});

declare module "lucia" {
  interface Register {
    Lucia: typeof lucia;
    DatabaseSessionAttributes: {
      createdAt: number;
      lastSeenAt: number;
      ipAddress: string | null;
      userAgent: string | null;
    };
    DatabaseUserAttributes: {
      programId: string;
      email: string;
      name: string;
      role: Role;
      status: AccountStatus;
    };
  }
}

export type SessionUser = {
  id: string;
  programId: string;
  email: string;
  name: string;
  role: Role;
};

export type CurrentSession = { id: string; user: SessionUser };

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

/** Starts a fresh session (never reusing one the browser brought) and returns its Set-Cookie header. */
export async function startSession(request: Request, userId: string, client: ClientInfo): Promise<string> {
  const previous = tokenFrom(request);
  if (previous) await lucia.invalidateSession(sha256Hex(previous));
  const token = randomToken();
  const now = Date.now();
  await lucia.createSession(
    userId,
    {
      createdAt: now,
      lastSeenAt: now,
      ipAddress: client.ipAddress,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
    },
    { sessionId: sha256Hex(token) },
  );
  return sessionCookie(request, token);
}

/** The signed-in session, or null. Expired, idle, over-age and disabled-account sessions end here. */
export async function readSession(request: Request): Promise<CurrentSession | null> {
  const token = tokenFrom(request);
  if (!token) return null;
  const sessionId = sha256Hex(token);
  const { session, user } = await lucia.validateSession(sessionId);
  if (!session || !user) return null;
  const now = Date.now();
  if (now - session.createdAt >= absoluteMs() || user.status !== "active") {
    await lucia.invalidateSession(sessionId);
    return null;
  }
  if (now - session.lastSeenAt >= touchIntervalMs) {
    db.update(sessions)
      .set({ lastSeenAt: now, expiresAt: Math.floor((now + idleMs()) / 1000) })
      .where(eq(sessions.id, sessionId))
      .run();
  }
  return {
    id: sessionId,
    user: { id: user.id, programId: user.programId, email: user.email, name: user.name, role: user.role },
  };
}

export function clearSessionCookie(request: Request): string {
  return sessionCookie(request, "", 0);
}

export async function endSession(sessionId: string) {
  await lucia.invalidateSession(sessionId);
}

export async function endAllSessions(userId: string) {
  await lucia.invalidateUserSessions(userId);
}

/** Ends one of the user's own sessions; the user id in the query keeps anyone else's out of reach. */
export function endOwnSession(userId: string, sessionId: string): boolean {
  const result = db
    .delete(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)))
    .run();
  return result.changes === 1;
}

export function endOtherSessions(userId: string, currentSessionId: string) {
  db.delete(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.id, currentSessionId)))
    .run();
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

export function listSessions(userId: string, currentSessionId: string): SessionSummary[] {
  const now = Date.now();
  return db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        gt(sessions.expiresAt, Math.floor(now / 1000)),
        gt(sessions.createdAt, now - absoluteMs()),
      ),
    )
    .orderBy(desc(sessions.lastSeenAt))
    .all()
    .map((row) => ({
      id: row.id,
      createdAt: row.createdAt,
      lastSeenAt: row.lastSeenAt,
      ipAddress: row.ipAddress,
      userAgent: row.userAgent,
      current: row.id === currentSessionId,
    }));
}
