import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRequestHandler } from "@remix-run/node";
import { databaseLocation, openDatabase } from "#db/database";
import { db } from "../support/database";
import { loadBuild } from "../support/remix-handler";
import { sessions } from "#db/schema";
import { endOwnSession, listSessions, readSession, startSession } from "~/session.server";
import { sha256Hex } from "~/utils/crypto.server";
import { cookieFor, createProgramWithStaff, testOrigin } from "../support/fixtures";

const client = { ipAddress: "127.0.0.1", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0" };

function requestWith(cookie?: string, origin = testOrigin) {
  return new Request(`${origin}/patient`, { headers: cookie ? { Cookie: cookie } : {} });
}

const cookiePair = (setCookie: string) => setCookie.split(";")[0]!;

afterEach(() => {
  vi.useRealTimers();
});

describe("session cookies", () => {
  it("carries a 256-bit token; the database keeps only its SHA-256", async () => {
    const { patient } = await createProgramWithStaff();
    const setCookie = await startSession(db, requestWith(), patient.id, patient.id, client);
    expect(setCookie).toMatch(/^care_circle_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Lax");
    expect(setCookie).not.toMatch(/Max-Age|Expires/);
    const token = cookiePair(setCookie).split("=")[1]!;
    const rows = await db.select().from(sessions).where(eq(sessions.personId, patient.id)).all();
    expect(rows.map((row) => row.id)).toEqual([sha256Hex(token)]);
    expect((await readSession(db, requestWith(cookiePair(setCookie))))?.user?.id).toBe(patient.id);
  });

  it("is Secure with the __Host- prefix over HTTPS", async () => {
    const { patient } = await createProgramWithStaff();
    const setCookie = await startSession(db, requestWith(undefined, "https://care.example"), patient.id, patient.id, client);
    expect(setCookie).toMatch(/^__Host-care_circle_session=/);
    expect(setCookie).toContain("Secure");
    expect(setCookie).toContain("Path=/");
    expect(setCookie).not.toContain("Domain");
  });

  it("rotates at sign-in: the session the browser brought ends", async () => {
    const { patient } = await createProgramWithStaff();
    const first = cookiePair(await startSession(db, requestWith(), patient.id, patient.id, client));
    const second = cookiePair(await startSession(db, requestWith(first), patient.id, patient.id, client));
    expect(second).not.toBe(first);
    expect(await readSession(db, requestWith(first))).toBeNull();
    expect(await readSession(db, requestWith(second))).not.toBeNull();
  });

  it("ends after 30 idle minutes, and activity keeps it alive", async () => {
    const { patient } = await createProgramWithStaff();
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-06-01T08:00:00Z") });
    const cookie = cookiePair(await startSession(db, requestWith(), patient.id, patient.id, client));
    vi.setSystemTime(new Date("2026-06-01T08:25:00Z"));
    expect(await readSession(db, requestWith(cookie))).not.toBeNull();
    vi.setSystemTime(new Date("2026-06-01T08:54:00Z"));
    expect(await readSession(db, requestWith(cookie))).not.toBeNull();
    vi.setSystemTime(new Date("2026-06-01T09:24:30Z"));
    expect(await readSession(db, requestWith(cookie))).toBeNull();
  });

  it("ends 12 hours after sign-in however active it is", async () => {
    const { patient } = await createProgramWithStaff();
    const start = new Date("2026-06-01T08:00:00Z").getTime();
    vi.useFakeTimers({ toFake: ["Date"], now: start });
    const cookie = cookiePair(await startSession(db, requestWith(), patient.id, patient.id, client));
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      vi.setSystemTime(start + minutes * 60_000);
      expect(await readSession(db, requestWith(cookie))).not.toBeNull();
    }
    vi.setSystemTime(start + 12 * 3_600_000);
    expect(await readSession(db, requestWith(cookie))).toBeNull();
  });

  it("ignores malformed and forged cookies", async () => {
    await createProgramWithStaff();
    expect(await readSession(db, requestWith("care_circle_session=not-a-token"))).toBeNull();
    expect(await readSession(db, requestWith(`care_circle_session=${"A".repeat(43)}`))).toBeNull();
  });
});

describe("the sessions list", () => {
  it("shows only the user's own live sessions, and one user cannot end another's", async () => {
    const { patient, therapist } = await createProgramWithStaff();
    const mine = cookiePair(await startSession(db, requestWith(), patient.id, patient.id, client));
    cookiePair(await startSession(db, requestWith(), patient.id, patient.id, client));
    const theirs = cookiePair(await startSession(db, requestWith(), therapist.id, therapist.id, client));
    const current = (await readSession(db, requestWith(mine)))!;
    const listed = await listSessions(db, patient.id, current.id);
    expect(listed).toHaveLength(2);
    expect(listed.filter((row) => row.current)).toHaveLength(1);

    const theirId = (await readSession(db, requestWith(theirs)))!.id;
    expect(await endOwnSession(db, patient.id, theirId)).toBe(false);
    expect(await readSession(db, requestWith(theirs))).not.toBeNull();
  });
});

describe("reading the session", () => {
  it("reads it once for a page, though its loaders run apart, and again after an action", async () => {
    const { patient } = await createProgramWithStaff();
    const build = await loadBuild();
    const sessionReads: string[] = [];
    const counted = await openDatabase(databaseLocation(), {
      logger: { logQuery: (query) => void (/from "sessions"/.test(query) && sessionReads.push(query)) },
    });
    try {
      const handler = createRequestHandler(build, "production");
      const cookie = await cookieFor(patient.id);
      const ask = (path: string, method = "GET") =>
        handler(new Request(`${testOrigin}${path}`, { method, headers: { Cookie: cookie, Origin: testOrigin } }), {
          db: counted.db,
          cspNonce: "test-nonce",
          clientAddress: "127.0.0.1",
        });
      // The root's loader and the page's each need it.
      expect((await ask("/patient")).status).toBe(200);
      expect(sessionReads).toHaveLength(1);
      sessionReads.length = 0;
      // Signing out ends the session the action read; nothing after it may use the read from before.
      expect((await ask("/logout", "POST")).status).toBe(302);
      expect((await ask("/patient")).headers.get("Location")).toBe("/login?redirectTo=%2Fpatient");
    } finally {
      counted.close();
    }
  });
});
