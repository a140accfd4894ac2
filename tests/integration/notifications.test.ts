import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { auditEvents, digests, disclosureLog, events, notificationPreferences, outboxMessages, people } from "#db/schema";
import { en } from "~/i18n/en";
import { englishLocale } from "~/i18n/i18n";
import { findMember } from "~/models/account.server";
import { assignModule } from "~/models/assignments.server";
import { createCheckIn } from "~/models/check-in.server";
import { changeConsent } from "~/models/consent.server";
import type { EventKind } from "~/vocabulary";
import { createApp } from "../../server/app";
import { db } from "../support/database";
import { createProgramWithStaff, joinApproved, type TestUser } from "../support/fixtures";
import { decodeEntities } from "../support/html-forms";
import { notifyAll, tomorrowAt } from "../support/notify";
import { loadBuild, remixHandler, requestAs } from "../support/remix-handler";
import { header, startSmtpServer, textPart, type ReceivedMail } from "../support/smtp";

/**
 * E-mail about events, through a real SMTP server on loopback: what each person chose per kind, quiet
 * hours, the outbox's retries, the daily digest, and one-click unsubscribe. The notifier and the
 * digest run with a given "now" (tomorrow in the program's zone, after every event written).
 */

const zone = "America/Chicago";
const app = await remixHandler();
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let server: Server;
let base: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = createApp({ build: await loadBuild(), db, trustProxy: 0, logRequests: false }).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await smtp.close();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${smtp.port}`);
  vi.stubEnv("MAIL_FROM", "Care Circle <no-reply@care-circle.test>");
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** The app's modules as this test's environment (the SMTP server above) makes them. */
async function load() {
  return { ...(await import("~/models/notifications.server")), ...(await import("~/mail.server")) };
}

const checkIn = (audience: string[]) => ({
  kind: "check_in" as const,
  mood: 4,
  craving: 2,
  wins: "Marker win: a long walk",
  hard: null,
  helpRequest: null,
  audience,
  sharedWithCareTeam: false,
});

/** A patient and an approved supporter sharing progress and education; what their joining told is already sent. */
async function circle() {
  const world = await createProgramWithStaff();
  const linkId = await joinApproved(world.patient, world.supporter, world.therapist, ["progress", "education"]);
  await notifyAll(tomorrowAt(zone));
  smtp.received.length = 0;
  return { ...world, linkId };
}

async function choose(member: TestUser, form: Record<string, string>) {
  const response = await requestAs(app, "/account/notifications", member.id, {
    quietHoursOn: "on",
    quietFrom: "21:00",
    quietUntil: "08:00",
    timeZone: "",
    ...form,
  });
  expect(response.status).toBe(302);
}

const mailTo = (member: TestUser) => smtp.received.filter((mail) => mail.to[0] === member.email);
const tokenOf = (mail: ReceivedMail) =>
  /^List-Unsubscribe:\s*<http:\/\/care-circle\.test\/unsubscribe\?token=([^>]+)>/m.exec(mail.raw)![1]!;

async function personOf(member: TestUser) {
  return (await findMember(db, member.id))!.personId;
}

async function deliveryOf(member: TestUser, kind: EventKind) {
  return (
    await db
      .select({ delivery: notificationPreferences.delivery })
      .from(notificationPreferences)
      .where(and(eq(notificationPreferences.membershipId, member.id), eq(notificationPreferences.kind, kind)))
      .get()
  )?.delivery;
}

describe("mail at once", () => {
  it("tells of the event's kind only, under a neutral subject, with one-click unsubscribe, and logs the telling", async () => {
    const { patient, supporter, linkId } = await circle();
    await choose(supporter, { check_in_shared: "immediate" });
    const checkInId = await createCheckIn(db, patient, checkIn([linkId]));
    await notifyAll(tomorrowAt(zone));

    const [mail] = mailTo(supporter);
    expect(mailTo(supporter)).toHaveLength(1);
    expect(header(mail!.raw, "Subject")).toBe(en["mail.notice.subject"]);
    expect(header(mail!.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const text = textPart(mail!.raw);
    expect(text).toContain(`There is something new for you on Care Circle: ${en["notifications.kind.check_in_shared"]}.`);
    expect(text).toContain("http://care-circle.test/login");
    expect(text).toContain(`To stop e-mails like this one: http://care-circle.test/unsubscribe?token=${tokenOf(mail!)}`);
    expect(text).toContain("http://care-circle.test/account/notifications");
    expect(mail!.raw).not.toContain("Marker win");
    expect(mail!.raw).not.toContain(patient.name);
    // Telling the supporter that a check-in was shared is a disclosure, logged under their consent.
    const event = (await db
      .select()
      .from(events)
      .where(and(eq(events.subjectId, checkInId), eq(events.recipientId, supporter.id)))
      .get())!;
    expect(event.notice).toBe("immediate");
    const logged = await db.select().from(disclosureLog).where(eq(disclosureLog.itemId, event.id)).all();
    expect(logged.map((row) => [row.category, row.itemType])).toEqual([["progress", "news"]]);

    // Decided once: another round sends nothing more.
    await notifyAll(tomorrowAt(zone));
    expect(mailTo(supporter)).toHaveLength(1);
  });

  it("holds mail about an event until the person's quiet hours end, in their own time zone", async () => {
    const { patient, supporter, linkId } = await circle();
    await choose(supporter, {
      check_in_shared: "immediate",
      quietFrom: "22:00",
      quietUntil: "07:30",
      timeZone: "America/New_York",
    });
    await createCheckIn(db, patient, checkIn([linkId]));
    const { deliverDueMail } = await load();
    // 23:00 in New York: quiet.
    await notifyAll(tomorrowAt("America/New_York", "23:00"));
    expect(mailTo(supporter)).toEqual([]);
    const [held] = await db.select().from(outboxMessages).where(eq(outboxMessages.toAddress, supporter.email)).all();
    expect(held!.nextAttemptAt).toEqual(new Date(tomorrowAt("America/New_York", "07:30").getTime() + 24 * 60 * 60 * 1000));
    await deliverDueMail(db, new Date(held!.nextAttemptAt.getTime() - 60_000));
    expect(mailTo(supporter)).toEqual([]);
    await deliverDueMail(db, held!.nextAttemptAt);
    expect(mailTo(supporter)).toHaveLength(1);
  });

  it("sends nothing for a kind turned off, and nothing a narrowed consent no longer covers", async () => {
    const { patient, supporter, linkId } = await circle();
    await choose(supporter, { check_in_shared: "off" });
    await createCheckIn(db, patient, checkIn([linkId]));
    await notifyAll(tomorrowAt(zone));
    expect(mailTo(supporter)).toEqual([]);

    await choose(supporter, { check_in_shared: "immediate" });
    const checkInId = await createCheckIn(db, patient, checkIn([linkId]));
    await changeConsent(
      db,
      { id: patient.id, programId: patient.programId, ipAddress: null },
      linkId,
      { categories: ["education"], purpose: "Support", expiryKind: "episode_end", expiresOn: null, signature: patient.name },
      englishLocale,
    );
    await notifyAll(tomorrowAt(zone));
    expect(mailTo(supporter).filter((mail) => textPart(mail.raw).includes(en["notifications.kind.check_in_shared"]))).toEqual([]);
    const event = (await db.select().from(events).where(eq(events.subjectId, checkInId)).get())!;
    expect(event.notice).toBe("hidden");
    expect(await db.select().from(disclosureLog).where(eq(disclosureLog.itemId, event.id)).all()).toEqual([]);
  });

  it("never holds back or unsubscribes a mail the person asked for themselves", async () => {
    const { supporter } = await circle();
    const { sendPasswordResetMail } = await load();
    vi.useFakeTimers({ now: tomorrowAt(zone, "23:30"), toFake: ["Date"] });
    try {
      await sendPasswordResetMail(db, { programId: supporter.programId, email: supporter.email, name: supporter.name }, "RESET");
    } finally {
      vi.useRealTimers();
    }
    const [mail] = mailTo(supporter);
    expect(header(mail!.raw, "Subject")).toBe(en["mail.reset.subject"]);
    expect(header(mail!.raw, "List-Unsubscribe")).toBeUndefined();
  });
});

describe("the outbox", () => {
  it("keeps a mail while the mail server is down, tries again later each time, and sends it once the server is back", async () => {
    const { supporter } = await circle();
    const down = await startSmtpServer();
    await down.close();
    vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${down.port}`);
    vi.resetModules();
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const first = await load();
    const to = { programId: supporter.programId, email: supporter.email, name: supporter.name };
    await expect(first.sendPasswordResetMail(db, to, "KEPT")).rejects.toThrow();
    const row = async () => (await db.select().from(outboxMessages).where(eq(outboxMessages.toAddress, supporter.email)).get())!;
    const waited: number[] = [];
    let tried = (await row()).nextAttemptAt;
    for (let attempt = 2; attempt <= 4; attempt += 1) {
      // Not before its time.
      expect(await first.deliverDueMail(db, new Date(tried.getTime() - 1000))).toBe(0);
      expect((await row()).attempts).toBe(attempt - 1);
      await first.deliverDueMail(db, tried);
      const next = (await row()).nextAttemptAt;
      waited.push((next.getTime() - tried.getTime()) / 60_000);
      tried = next;
    }
    expect(waited).toEqual([2, 4, 8]);
    expect(errors.mock.calls.flat().join(" ")).not.toContain(supporter.email);

    vi.resetModules();
    vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${smtp.port}`);
    expect(await (await load()).deliverDueMail(db, tried)).toBe(1);
    expect(textPart(mailTo(supporter)[0]!.raw)).toContain("reset-password?token=KEPT");
    // Sent through a real server: nothing of it stays in the database.
    expect(await db.select().from(outboxMessages).where(eq(outboxMessages.toAddress, supporter.email)).all()).toEqual([]);
  });

  it("gives a mail up after the last attempt, keeping none of its text", async () => {
    const { supporter } = await circle();
    const down = await startSmtpServer();
    await down.close();
    vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${down.port}`);
    vi.resetModules();
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { deliverDueMail, maxMailAttempts, sendPasswordResetMail } = await load();
    const to = { programId: supporter.programId, email: supporter.email, name: supporter.name };
    await expect(sendPasswordResetMail(db, to, "GIVEN-UP")).rejects.toThrow();
    const row = async () => (await db.select().from(outboxMessages).where(eq(outboxMessages.toAddress, supporter.email)).get())!;
    for (let attempt = 2; attempt <= maxMailAttempts; attempt += 1) await deliverDueMail(db, (await row()).nextAttemptAt);
    expect(await row()).toMatchObject({ status: "failed", attempts: maxMailAttempts, textBody: "" });
    expect(await deliverDueMail(db, new Date((await row()).nextAttemptAt.getTime() + 365 * 24 * 60 * 60 * 1000))).toBe(0);
  });
});

describe("the daily digest", () => {
  it("sends one digest per person per period even when two runs race, counting kinds and quoting nothing", async () => {
    const { patient, supporter, therapist, linkId } = await circle();
    await createCheckIn(db, patient, checkIn([linkId]));
    await createCheckIn(db, patient, checkIn([linkId]));
    await assignModule(db, { ...therapist, ipAddress: null, role: "therapist" }, patient.id, {
      slug: "welcome",
      target: linkId,
      dueOn: null,
    });
    const { sendDigests } = await load();
    // Both kinds go to the digest by the supporter's role's default: nothing at once.
    await notifyAll(tomorrowAt(zone));
    expect(mailTo(supporter)).toEqual([]);
    expect(await sendDigests(db, tomorrowAt(zone, "17:59"))).toBe(0);

    const evening = tomorrowAt(zone, "18:10");
    const made = await Promise.all([sendDigests(db, evening), sendDigests(db, evening)]);
    expect(made.reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(mailTo(supporter)).toHaveLength(1);
    const [digest] = mailTo(supporter);
    expect(header(digest!.raw, "Subject")).toBe(en["mail.digest.subject"]);
    const text = textPart(digest!.raw);
    expect(text).toContain(`- ${en["notifications.kind.check_in_shared"]}: 2`);
    expect(text).toContain(`- ${en["notifications.kind.module_assigned"]}: 1`);
    expect(digest!.raw).not.toContain("Marker win");
    expect(digest!.raw).not.toContain(patient.name);
    expect(digest!.raw).not.toMatch(/welcome/i);
    expect(header(digest!.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");

    // Later the same evening: the period has its digest; a new event waits for tomorrow's.
    await createCheckIn(db, patient, checkIn([linkId]));
    await notifyAll(tomorrowAt(zone, "19:00"));
    expect(await sendDigests(db, tomorrowAt(zone, "20:00"))).toBe(0);
    const nextEvening = new Date(evening.getTime() + 24 * 60 * 60 * 1000);
    expect(await sendDigests(db, nextEvening)).toBe(1);
    expect(textPart(mailTo(supporter)[1]!.raw)).toContain(`- ${en["notifications.kind.check_in_shared"]}: 1`);
    const rows = await db
      .select()
      .from(digests)
      .where(eq(digests.personId, await personOf(supporter)))
      .all();
    expect(rows).toHaveLength(2);
  });

  it("waits, when quiet hours hold 18:00, for them to end", async () => {
    const { patient, supporter, linkId } = await circle();
    await choose(supporter, { quietFrom: "17:00", quietUntil: "09:00" });
    await createCheckIn(db, patient, checkIn([linkId]));
    const { sendDigests } = await load();
    await notifyAll(tomorrowAt(zone, "12:00"));
    expect(await sendDigests(db, tomorrowAt(zone, "18:30"))).toBe(0);
    const morning = new Date(tomorrowAt(zone, "09:05").getTime() + 24 * 60 * 60 * 1000);
    expect(await sendDigests(db, morning)).toBe(1);
    expect(mailTo(supporter)).toHaveLength(1);
  });
});

describe("one-click unsubscribe", () => {
  async function mailWithToken() {
    const world = await circle();
    await choose(world.supporter, { check_in_shared: "immediate", module_assigned: "immediate" });
    await createCheckIn(db, world.patient, checkIn([world.linkId]));
    await notifyAll(tomorrowAt(zone));
    return { ...world, token: tokenOf(mailTo(world.supporter)[0]!) };
  }

  it("turns off that kind alone, from a mail program's POST with no sign-in and no origin", async () => {
    const { supporter, token } = await mailWithToken();
    // Opening the link (as a mail scanner does) changes nothing.
    const page = await fetch(`${base}/unsubscribe?token=${token}`);
    expect(page.status).toBe(200);
    expect(decodeEntities(await page.text())).toContain(en["notifications.kind.check_in_shared"]);
    expect(await deliveryOf(supporter, "check_in_shared")).toBe("immediate");

    const response = await fetch(`${base}/unsubscribe?token=${token}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(response.status).toBe(200);
    expect(await deliveryOf(supporter, "check_in_shared")).toBe("off");
    expect(await deliveryOf(supporter, "module_assigned")).toBe("immediate");
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.actorUserId, supporter.id)).all();
    expect(audit.map((row) => row.action)).toContain("account.unsubscribed");
  });

  it("refuses a forged, a garbled or an expired token, and a post that is neither one-click nor the page's form", async () => {
    const { supporter, token } = await mailWithToken();
    const post = (query: string, body: string) =>
      fetch(`${base}/unsubscribe${query}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body,
      });
    const [payload, signature] = token.split(".");
    const forged = `${Buffer.from(JSON.stringify({ m: supporter.id, t: "module_assigned", e: 9999999999 })).toString("base64url")}.${signature}`;
    expect((await post(`?token=${forged}`, "List-Unsubscribe=One-Click")).status).toBe(400);
    expect((await post(`?token=${payload}`, "List-Unsubscribe=One-Click")).status).toBe(400);
    expect((await post(`?token=${token}`, "something=else")).status).toBe(400);
    const { unsubscribeToken } = await load();
    const old = await unsubscribeToken(db, supporter.id, "module_assigned", new Date(Date.now() - 61 * 24 * 60 * 60 * 1000));
    expect((await post(`?token=${old}`, "List-Unsubscribe=One-Click")).status).toBe(410);
    expect((await fetch(`${base}/unsubscribe?token=${old}`)).status).toBe(410);
    expect(await deliveryOf(supporter, "check_in_shared")).toBe("immediate");
    expect(await deliveryOf(supporter, "module_assigned")).toBe("immediate");
  });

  it("from a digest, turns off every kind the digest carried, and no other", async () => {
    const { patient, supporter, linkId } = await circle();
    await choose(supporter, { circle_ended: "digest" });
    await createCheckIn(db, patient, checkIn([linkId]));
    const { sendDigests } = await load();
    await notifyAll(tomorrowAt(zone));
    await sendDigests(db, tomorrowAt(zone, "18:10"));
    const token = tokenOf(mailTo(supporter)[0]!);
    const page = await requestAs(app, `/unsubscribe?token=${token}`, supporter.id, { token });
    expect(page.status).toBe(200);
    expect(await deliveryOf(supporter, "check_in_shared")).toBe("off");
    expect(await deliveryOf(supporter, "module_assigned")).toBe("off");
    expect(await deliveryOf(supporter, "circle_ended")).toBe("off");
    // Not in the digest: untouched, still its role's default.
    expect(await deliveryOf(supporter, "circle_approved")).toBeUndefined();
  });
});

describe("the settings page", () => {
  it("shows the role's kinds with its defaults, saves a choice, and refuses a bad one at the field, changing nothing", async () => {
    const { supporter, therapist } = await circle();
    const html = decodeEntities(await (await requestAs(app, "/account/notifications", supporter.id)).text());
    for (const kind of ["circle_approved", "check_in_shared", "module_assigned"] as const)
      expect(html).toContain(en[`notifications.kind.${kind}`]);
    expect(html).not.toContain(en["notifications.kind.check_in_replied"]);
    expect(html).toContain('name="check_in_shared" checked="" value="digest"');
    expect(html).toContain('name="circle_approved" checked="" value="immediate"');

    await choose(supporter, {
      check_in_shared: "immediate",
      quietFrom: "20:00",
      quietUntil: "07:00",
      timeZone: "America/Denver",
    });
    expect(await deliveryOf(supporter, "check_in_shared")).toBe("immediate");
    const person = async () =>
      (await db
        .select()
        .from(people)
        .where(eq(people.id, await personOf(supporter)))
        .get())!;
    expect(await person()).toMatchObject({ quietHours: "20:00-07:00", timeZone: "America/Denver" });

    const bad = await requestAs(app, "/account/notifications", supporter.id, {
      check_in_shared: "loudly",
      quietHoursOn: "on",
      quietFrom: "25:99",
      quietUntil: "07:00",
      timeZone: "Mars/Olympus_Mons",
    });
    expect(bad.status).toBe(400);
    const body = decodeEntities(await bad.text());
    for (const key of [
      "notifications.validation.delivery",
      "notifications.validation.timeInvalid",
      "notifications.validation.timeZone",
    ] as const)
      expect(body).toContain(en[key]);
    expect(await deliveryOf(supporter, "check_in_shared")).toBe("immediate");
    expect(await person()).toMatchObject({ quietHours: "20:00-07:00", timeZone: "America/Denver" });

    const same = await requestAs(app, "/account/notifications", supporter.id, {
      quietHoursOn: "on",
      quietFrom: "07:00",
      quietUntil: "07:00",
    });
    expect(same.status).toBe(400);
    expect(decodeEntities(await same.text())).toContain(en["notifications.validation.quietSame"]);

    // Quiet hours off: their times are not needed.
    const off = await requestAs(app, "/account/notifications", supporter.id, { quietFrom: "", quietUntil: "" });
    expect(off.status).toBe(302);
    expect(await person()).toMatchObject({ quietHours: "off" });

    const staff = decodeEntities(await (await requestAs(app, "/account/notifications", therapist.id)).text());
    expect(staff).toContain(en["notifications.noKinds"]);
  });
});
