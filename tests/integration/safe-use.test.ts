import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { auditEvents, people } from "#db/schema";
import { db } from "../support/database";
import { cookieFor, createProgramWithStaff, testOrigin, type TestUser } from "../support/fixtures";
import { remixHandler, requestAs } from "../support/remix-handler";
import { header, startSmtpServer, textPart } from "../support/smtp";

/** "Leave quickly" and discreet mode (decision 021), through the built app. */

let app: Awaited<ReturnType<typeof remixHandler>>;
let world: Awaited<ReturnType<typeof createProgramWithStaff>>;

beforeAll(async () => {
  app = await remixHandler();
  world = await createProgramWithStaff("Safe use");
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** A request carrying one session's cookie, as the browser that holds it sends it. */
function send(path: string, cookie: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  return app.fetch(
    new Request(`${testOrigin}${path}`, {
      method: init.method ?? "GET",
      headers: { Cookie: cookie, Origin: testOrigin, ...init.headers },
      redirect: "manual",
    }),
  );
}

const signedIn = async (cookie: string) => (await send("/patient", cookie)).status === 200;

async function leftQuickly(member: TestUser) {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "auth.left_quickly"), eq(auditEvents.actorUserId, member.id)))
    .all();
}

describe("leave quickly", () => {
  it("is on every signed-in page, and not before signing in", async () => {
    for (const [path, member] of [
      ["/patient", world.patient],
      ["/supporter", world.supporter],
      ["/therapist", world.therapist],
      ["/admin", world.admin],
      ["/account", world.patient],
    ] as const) {
      const html = await (await requestAs(app, path, member.id)).text();
      expect(html, path).toMatch(/<a href="\/leave" class="leave-quickly__link"[^>]*>Leave quickly<\/a>/);
    }
    const signIn = await app.fetch(new Request(`${testOrigin}/login`));
    expect(await signIn.text()).not.toContain('href="/leave"');
  });

  it("without JavaScript, the link signs the person out and sends them to the neutral site", async () => {
    const cookie = await cookieFor(world.patient.id);
    const response = await send("/leave", cookie, { headers: { "Sec-Fetch-Site": "same-origin" } });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("https://www.google.com/");
    expect(response.headers.get("Set-Cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
    expect(await signedIn(cookie)).toBe(false);
    expect(await leftQuickly(world.patient)).toHaveLength(1);
  });

  it("with JavaScript, the page's beacon (a POST) signs the person out", async () => {
    const cookie = await cookieFor(world.supporter.id);
    const beacon = await send("/leave", cookie, { method: "POST", headers: { "Sec-Fetch-Site": "same-origin" } });
    expect(beacon.status).toBe(204);
    expect((await send("/supporter", cookie)).status).toBe(302);
    expect(await leftQuickly(world.supporter)).toHaveLength(1);
  });

  it("goes wherever LEAVE_QUICKLY_URL says", async () => {
    vi.stubEnv("LEAVE_QUICKLY_URL", "https://weather.example/today");
    const { loader } = await import("~/routes/leave");
    const response = (await loader({
      request: new Request(`${testOrigin}/leave`),
      context: { db, cspNonce: "", clientAddress: null },
      params: {},
    })) as Response;
    expect(response.headers.get("Location")).toBe("https://weather.example/today");
  });

  it("from another site's link, only sends the person on: nobody is signed out by a stranger", async () => {
    const cookie = await cookieFor(world.therapist.id);
    const response = await send("/leave", cookie, { headers: { "Sec-Fetch-Site": "cross-site" } });
    expect(response.status).toBe(303);
    expect(response.headers.get("Set-Cookie")).toBeNull();
    expect((await send("/therapist", cookie)).status).toBe(200);
    // A cross-site POST never reaches the app at all (the same-origin check), so it cannot either.
  });

  it("sends a signed-out visitor on, with nothing to end", async () => {
    const response = await app.fetch(new Request(`${testOrigin}/leave`, { redirect: "manual" }));
    expect(response.status).toBe(303);
    expect(response.headers.get("Set-Cookie")).toBeNull();
  });
});

describe("discreet mode", () => {
  const discreetOf = async (member: TestUser) =>
    (await db.select({ discreet: people.discreet }).from(people).where(eq(people.email, member.email)).get())!.discreet;

  it("is off until the person turns it on, then gives every page a neutral title and icon, in every role", async () => {
    const page = async (path: string, member: TestUser) => (await requestAs(app, path, member.id)).text();
    const before = await page("/patient/check-ins", world.patient);
    expect(before).toMatch(/<title>[^<]*Care Circle<\/title>/);
    expect(before).toContain('href="/favicon.svg"');
    expect(await discreetOf(world.patient)).toBe(false);

    const saved = await requestAs(app, "/account/discreet", world.patient.id, { discreet: "on" });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe("/account/discreet?saved=1");
    expect(await discreetOf(world.patient)).toBe(true);

    // An error page too: a stranger's or a missing check-in.
    for (const path of ["/patient", "/patient/check-ins", "/account/discreet?saved=1", "/patient/check-ins/no-such-id"]) {
      const html = await page(path, world.patient);
      expect(html.match(/<title>[^<]*<\/title>/g), path).toEqual(["<title>My account</title>"]);
      expect(html, path).toContain('href="/favicon-neutral.svg"');
      expect(html, path).not.toContain('href="/favicon.svg"');
    }
    expect(await page("/account/discreet?saved=1", world.patient)).toContain("Discreet mode is on.");
    const audit = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "account.discreet_changed"), eq(auditEvents.actorUserId, world.patient.id)))
      .all();
    expect(audit).toHaveLength(1);

    // A checkbox left unticked is not sent: that turns it off.
    expect((await requestAs(app, "/account/discreet", world.patient.id, {})).status).toBe(302);
    expect(await discreetOf(world.patient)).toBe(false);
    expect(await page("/patient", world.patient)).toMatch(/<title>[^<]*Care Circle<\/title>/);
  });

  it("refuses anything the form cannot send, and changes nothing", async () => {
    for (const value of ["yes", "true", ""]) {
      expect((await requestAs(app, "/account/discreet", world.supporter.id, { discreet: value })).status).toBe(400);
    }
    expect(await discreetOf(world.supporter)).toBe(false);
  });

  it("sends a password reset from a neutral sender under a neutral subject, keeping only its link", async () => {
    await requestAs(app, "/account/discreet", world.therapist.id, { discreet: "on" });
    const smtp = await startSmtpServer();
    try {
      vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${smtp.port}`);
      vi.stubEnv("MAIL_FROM", "Care Circle <no-reply@care-circle.test>");
      const { sendPasswordResetMail } = await import("~/mail.server");
      const recipient = { programId: world.program.id, email: world.therapist.email.toUpperCase(), name: world.therapist.name };
      await sendPasswordResetMail(db, recipient, "RESET789");
      const [mail] = smtp.received;
      expect(header(mail!.raw, "From")).toBe("Notifications <no-reply@care-circle.test>");
      expect(header(mail!.raw, "Subject")).toBe("You have a new message");
      expect(textPart(mail!.raw)).toBe(
        "Hello,\n\nUse this link to continue:\n\nhttp://care-circle.test/reset-password?token=RESET789\n\nIf you did not expect this message, you can ignore it.",
      );
    } finally {
      await smtp.close();
      await requestAs(app, "/account/discreet", world.therapist.id, {});
    }
  });
});
