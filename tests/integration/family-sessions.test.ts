import type { AddressInfo } from "node:net";
import ICAL from "ical.js";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { auditEvents, circleLinks, disclosureLog, familySessions, groupEnrolments, scheduleGroups } from "#db/schema";
import { revokeLink } from "~/models/care-circle.server";
import { createProgram } from "~/models/program.server";
import { newId } from "~/utils/crypto.server";
import { createApp } from "../../server/app";
import { db } from "../support/database";
import { createActiveUser, enrolExisting, joinApproved, type TestUser } from "../support/fixtures";
import { decodeEntities } from "../support/html-forms";
import { remixHandler, requestAs } from "../support/remix-handler";
import { notifyAll, tomorrowAt } from "../support/notify";
import { decoded, header, startSmtpServer, textPart } from "../support/smtp";

/**
 * Family sessions and calendars through the built app: who reaches what, the rules of a session,
 * the calendar files and feeds, and the e-mails. Sessions are in 2027, so they never lie in the past;
 * 13 and 15 March 2027 lie on either side of the change to daylight-saving time in Los Angeles.
 */

let app: Awaited<ReturnType<typeof remixHandler>>;

/** A program in `timeZone` with a therapist, a patient and two approved supporters, and a stray supporter. */
async function program(timeZone: string) {
  const { id } = await createProgram(db, `Family ${newId().slice(0, 6)}`, timeZone);
  const therapist = await createActiveUser(id, "therapist");
  const otherTherapist = await createActiveUser(id, "therapist", "other-therapist");
  const patient = await createActiveUser(id, "patient");
  const otherPatient = await createActiveUser(id, "patient", "other-patient");
  await enrolExisting(patient, therapist);
  await enrolExisting(otherPatient, otherTherapist);
  const supporter = await createActiveUser(id, "supporter");
  const secondSupporter = await createActiveUser(id, "supporter", "second-supporter");
  const otherSupporter = await createActiveUser(id, "supporter", "other-supporter");
  const linkId = await joinApproved(patient, supporter, therapist, ["progress"]);
  const secondLinkId = await joinApproved(patient, secondSupporter, therapist, ["milestones"]);
  const otherLinkId = await joinApproved(otherPatient, otherSupporter, otherTherapist, ["progress"]);
  return {
    id,
    therapist,
    otherTherapist,
    patient,
    otherPatient,
    supporter,
    secondSupporter,
    otherSupporter,
    linkId,
    secondLinkId,
    otherLinkId,
  };
}
type World = Awaited<ReturnType<typeof program>>;

let la: World;
let other: World;

beforeAll(async () => {
  app = await remixHandler();
  la = await program("America/Los_Angeles");
  other = await program("America/New_York");
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

const sessionsPath = (world: World) => `/therapist/patients/${world.patient.id}/family-sessions`;

type Form = Record<string, string | string[]>;
const form = (overrides: Form = {}): Form => ({
  intent: "propose",
  date: "2027-03-13",
  startTime: "18:00",
  endTime: "19:00",
  location: "",
  videoUrl: "https://video.example.test/room",
  invitees: [la.linkId],
  ...overrides,
});

async function sessionsOf(patient: TestUser) {
  return db.select().from(familySessions).where(eq(familySessions.patientId, patient.id)).all();
}

/** Proposes through the page, as the therapist does, and returns the new session's id. */
async function propose(world: World, overrides: Form = {}) {
  const before = new Set((await sessionsOf(world.patient)).map((session) => session.id));
  const response = await requestAs(app, sessionsPath(world), world.therapist.id, {
    ...form({ invitees: [world.linkId] }),
    ...overrides,
  });
  expect(response.status).toBe(302);
  const created = (await sessionsOf(world.patient)).find((session) => !before.has(session.id));
  return created!.id;
}

async function text(path: string, as: TestUser) {
  const response = await requestAs(app, path, as.id);
  return { status: response.status, body: decodeEntities(await response.text()).replaceAll("<!-- -->", "") };
}

function parseEvent(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const start = vevent.getFirstProperty("dtstart")!;
    return {
      uid: String(vevent.getFirstPropertyValue("uid")),
      sequence: Number(vevent.getFirstPropertyValue("sequence")),
      status: String(vevent.getFirstPropertyValue("status")),
      summary: String(vevent.getFirstPropertyValue("summary")),
      tzid: start.getParameter("tzid"),
      start: (start.getFirstValue() as ICAL.Time).toString(),
    };
  });
  const zones = calendar.getAllSubcomponents("vtimezone").map((zone) => zone.getFirstPropertyValue("tzid"));
  return { events, zones };
}

async function calendarOf(world: World, sessionId: string, as: TestUser) {
  const response = await requestAs(app, `/family-sessions/${sessionId}/calendar.ics`, as.id);
  return { status: response.status, type: response.headers.get("Content-Type"), ics: await response.text() };
}

describe("proposing a family session", () => {
  it("keeps 18:00 in Los Angeles at 18:00 for the patient and in the .ics, before and after daylight-saving time starts", async () => {
    for (const [date, utc] of [
      ["2027-03-13", "2027-03-14T02:00:00.000Z"],
      ["2027-03-15", "2027-03-16T01:00:00.000Z"],
    ] as const) {
      const id = await propose(la, { date, startTime: "18:00", endTime: "19:30" });
      const [session] = await db.select().from(familySessions).where(eq(familySessions.id, id)).all();
      expect(session!.startsAt.toISOString()).toBe(utc);
      expect(session!.durationMinutes).toBe(90);

      const page = await text("/patient/family-sessions", la.patient);
      const day = date === "2027-03-13" ? "Mar 13, 2027, 6:00 PM" : "Mar 15, 2027, 6:00 PM";
      expect(page.body).toContain(day);

      const { ics, type } = await calendarOf(la, id, la.patient);
      expect(type).toMatch(/^text\/calendar/);
      const { events, zones } = parseEvent(ics);
      expect(zones).toEqual(["America/Los_Angeles"]);
      expect(events[0]).toMatchObject({ tzid: "America/Los_Angeles", start: `${date}T18:00:00`, summary: "Care Circle meeting" });
      expect(ics).not.toContain(la.patient.name);
      await db.update(familySessions).set({ status: "cancelled" }).where(eq(familySessions.id, id));
    }
  });

  it("shows the patient who is coming once supporters answer, and the supporter only through a live link", async () => {
    const id = await propose(la, { date: "2027-04-01", invitees: [la.linkId, la.secondLinkId] });
    const invitation = await text("/supporter/family-sessions", la.supporter);
    expect(invitation.body).toContain("Apr 1, 2027, 6:00 PM");
    expect((await text("/supporter/family-sessions", la.secondSupporter)).status).toBe(200);
    expect((await text("/supporter", la.supporter)).body).toContain("You have 1 meeting invitation to answer.");
    expect(invitation.body).toContain("https://video.example.test/room");

    expect(
      (await requestAs(app, "/supporter/family-sessions", la.supporter.id, { sessionId: id, answer: "accepted" })).status,
    ).toBe(302);
    expect(
      (await requestAs(app, "/supporter/family-sessions", la.secondSupporter.id, { sessionId: id, answer: "declined" })).status,
    ).toBe(302);
    const page = (await text("/patient/family-sessions", la.patient)).body;
    expect(page).toMatch(new RegExp(`${la.supporter.name}: <strong>coming`));
    expect(page).toMatch(new RegExp(`${la.secondSupporter.name}: <strong>not coming`));

    // A supporter not invited, or of another patient, cannot answer or download it.
    expect(
      (await requestAs(app, "/supporter/family-sessions", la.otherSupporter.id, { sessionId: id, answer: "accepted" })).status,
    ).toBe(404);
    expect((await calendarOf(la, id, la.otherSupporter)).status).toBe(404);
    expect((await text("/supporter/family-sessions", la.otherSupporter)).body).not.toContain("Apr 1, 2027");

    // Showing it to the supporter is an accounted disclosure under their link's consent.
    const disclosures = await db
      .select()
      .from(disclosureLog)
      .where(and(eq(disclosureLog.itemType, "family_session"), eq(disclosureLog.itemId, id)))
      .all();
    expect(disclosures.map((row) => row.linkId).sort()).toEqual([la.linkId, la.secondLinkId].sort());
    expect(disclosures.every((row) => row.category === null && row.kind === "disclosure")).toBe(true);
    await db.update(familySessions).set({ status: "cancelled" }).where(eq(familySessions.id, id));
  });
});

describe("rules of a session", () => {
  const cases: [string, () => Form, string][] = [
    ["a time that has passed", () => ({ date: "2020-01-06" }), "Choose a date and time that have not passed."],
    ["an end before its start", () => ({ startTime: "18:00", endTime: "17:00" }), "The end must be after the start."],
    [
      "a video link that is not https",
      () => ({ videoUrl: "http://video.example.test/room" }),
      "Enter a video link that starts with https://.",
    ],
    ["no place and no link", () => ({ location: "", videoUrl: "" }), "Enter a place or a video link."],
    [
      "more than 20 invitees",
      () => ({ invitees: [la.linkId, ...Array.from({ length: 20 }, () => crypto.randomUUID())] }),
      "Invite at most 20 people.",
    ],
    [
      "another patient's supporter",
      () => ({ invitees: [la.linkId, la.otherLinkId] }),
      "Invite only people of this patient’s care circle whose link is active.",
    ],
    [
      "a supporter of another program",
      () => ({ invitees: [other.linkId] }),
      "Invite only people of this patient’s care circle whose link is active.",
    ],
  ];

  for (const [name, overrides, message] of cases) {
    it(`refuses ${name} with a message at its field, saving nothing`, async () => {
      const before = await sessionsOf(la.patient);
      const response = await requestAs(app, sessionsPath(la), la.therapist.id, form(overrides()));
      expect(response.status).toBe(400);
      const html = decodeEntities(await response.text());
      expect(html).toMatch(new RegExp(`<p id="[^"]+-error" class="error">${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}</p>`));
      expect(await sessionsOf(la.patient)).toEqual(before);
    });
  }

  it("refuses an invitee whose link has ended", async () => {
    const patient = await createActiveUser(la.id, "patient", "ended-link-patient");
    await enrolExisting(patient, la.therapist);
    const supporter = await createActiveUser(la.id, "supporter", "ended-link-supporter");
    const linkId = await joinApproved(patient, supporter, la.therapist, ["milestones"]);
    const link = (await db.select().from(circleLinks).where(eq(circleLinks.id, linkId)).get())!;
    await revokeLink(db, { actor: { id: patient.id, programId: la.id, ipAddress: null }, as: "patient" }, link);
    const response = await requestAs(
      app,
      `/therapist/patients/${patient.id}/family-sessions`,
      la.therapist.id,
      form({ invitees: [linkId] }),
    );
    expect(response.status).toBe(400);
    expect(decodeEntities(await response.text())).toContain(
      "Invite only people of this patient’s care circle whose link is active.",
    );
    expect(await sessionsOf(patient)).toEqual([]);
  });

  it("refuses to book the same patient twice at one time, and allows the next hour", async () => {
    const id = await propose(la, { date: "2027-05-03", startTime: "10:00", endTime: "11:00" });
    const overlapping = await requestAs(
      app,
      sessionsPath(la),
      la.therapist.id,
      form({ date: "2027-05-03", startTime: "10:30", endTime: "11:30" }),
    );
    expect(overlapping.status).toBe(400);
    expect(decodeEntities(await overlapping.text())).toContain("This patient already has a family session at that time.");
    const next = await propose(la, { date: "2027-05-03", startTime: "11:00", endTime: "12:00" });
    // A cancelled session frees its time.
    await requestAs(app, `${sessionsPath(la)}/${id}`, la.therapist.id, { intent: "cancel" });
    await propose(la, { date: "2027-05-03", startTime: "10:00", endTime: "10:45" });
    // Moving a session onto another is refused as well, and the session keeps its time.
    const move = await requestAs(app, `${sessionsPath(la)}/${next}`, la.therapist.id, {
      intent: "change",
      date: "2027-05-03",
      startTime: "10:15",
      endTime: "11:15",
      location: "Room 2",
    });
    expect(move.status).toBe(400);
    const [kept] = await db.select().from(familySessions).where(eq(familySessions.id, next)).all();
    expect(kept!.sequence).toBe(0);
  });
});

describe("a family session and the weekly groups", () => {
  it("refuses a time when the patient is at one of their weekly groups, and allows the hour after it", async () => {
    const patient = await createActiveUser(la.id, "patient", "group-patient");
    await enrolExisting(patient, la.therapist);
    const supporter = await createActiveUser(la.id, "supporter", "group-supporter");
    const linkId = await joinApproved(patient, supporter, la.therapist, ["milestones"]);
    const groupId = newId();
    await db.insert(scheduleGroups).values({
      id: groupId,
      programId: la.id,
      name: "Monday evening group",
      weekday: 1,
      startTime: "18:00",
      durationMinutes: 180,
      location: "Room 3",
      createdBy: la.therapist.id,
      createdAt: new Date(),
    });
    await db
      .insert(groupEnrolments)
      .values({ id: newId(), programId: la.id, groupId, patientId: patient.id, enrolledOn: "2026-01-01", createdAt: new Date() });
    const path = `/therapist/patients/${patient.id}/family-sessions`;

    // 3 May 2027 is a Monday.
    const clashing = await requestAs(
      app,
      path,
      la.therapist.id,
      form({ date: "2027-05-03", startTime: "20:30", endTime: "21:30", invitees: [linkId] }),
    );
    expect(clashing.status).toBe(400);
    expect(decodeEntities(await clashing.text())).toContain("The patient has a weekly group at this time.");
    expect(await sessionsOf(patient)).toEqual([]);

    const after = await requestAs(
      app,
      path,
      la.therapist.id,
      form({ date: "2027-05-03", startTime: "21:00", endTime: "22:00", invitees: [linkId] }),
    );
    expect(after.status).toBe(302);
    expect(await sessionsOf(patient)).toHaveLength(1);
  });
});

describe("who reaches a session", () => {
  it("lets a therapist reach only their own patients, in their own program; a stranger's id is 404", async () => {
    const id = await propose(la, { date: "2027-06-01" });
    expect((await requestAs(app, sessionsPath(la), la.otherTherapist.id)).status).toBe(404);
    expect((await requestAs(app, sessionsPath(la), other.therapist.id)).status).toBe(404);
    expect((await requestAs(app, sessionsPath(la), la.otherTherapist.id, form())).status).toBe(404);
    expect((await requestAs(app, `${sessionsPath(la)}/${id}`, la.otherTherapist.id)).status).toBe(404);
    expect((await requestAs(app, `${sessionsPath(la)}/${id}`, la.otherTherapist.id, { intent: "cancel" })).status).toBe(404);
    // The right therapist with another patient's path, or a made-up session id.
    expect(
      (await requestAs(app, `/therapist/patients/${la.otherPatient.id}/family-sessions/${id}`, la.otherTherapist.id)).status,
    ).toBe(404);
    expect((await requestAs(app, `${sessionsPath(la)}/${crypto.randomUUID()}`, la.therapist.id)).status).toBe(404);
    // Calendars: only those who are part of it, never across programs.
    expect((await calendarOf(la, id, la.therapist)).status).toBe(200);
    expect((await calendarOf(la, id, la.supporter)).status).toBe(200);
    for (const stranger of [la.otherTherapist, la.otherPatient, other.therapist, other.patient, other.supporter]) {
      expect((await calendarOf(la, id, stranger)).status).toBe(404);
    }
    expect((await text("/patient/family-sessions", la.otherPatient)).body).not.toContain("Jun 1, 2027");
    expect((await db.select().from(familySessions).where(eq(familySessions.id, id)).get())!.status).toBe("scheduled");
  });
});

describe("the .ics file", () => {
  it("keeps its UID and raises SEQUENCE with each change, then says CANCELLED", async () => {
    const id = await propose(la, { date: "2027-07-01" });
    const first = parseEvent((await calendarOf(la, id, la.supporter)).ics).events[0]!;
    expect(first).toMatchObject({ uid: `${id}@family-sessions.care-circle.app`, sequence: 0, status: "CONFIRMED" });

    const change = {
      intent: "change",
      date: "2027-07-02",
      startTime: "17:00",
      endTime: "18:00",
      location: "Room 4",
      videoUrl: "",
    };
    expect((await requestAs(app, `${sessionsPath(la)}/${id}`, la.therapist.id, change)).status).toBe(302);
    const second = parseEvent((await calendarOf(la, id, la.supporter)).ics).events[0]!;
    expect(second).toMatchObject({ uid: first.uid, sequence: 1, start: "2027-07-02T17:00:00" });

    expect((await requestAs(app, `${sessionsPath(la)}/${id}`, la.therapist.id, { ...change, location: "Room 5" })).status).toBe(
      302,
    );
    expect(parseEvent((await calendarOf(la, id, la.patient)).ics).events[0]).toMatchObject({ uid: first.uid, sequence: 2 });

    expect((await requestAs(app, `${sessionsPath(la)}/${id}`, la.therapist.id, { intent: "cancel" })).status).toBe(302);
    expect(parseEvent((await calendarOf(la, id, la.therapist)).ics).events[0]).toMatchObject({
      uid: first.uid,
      sequence: 3,
      status: "CANCELLED",
    });
    // A cancelled session cannot be changed or cancelled again.
    expect((await requestAs(app, `${sessionsPath(la)}/${id}`, la.therapist.id, { intent: "cancel" })).status).toBe(404);

    const audit = await db.select().from(auditEvents).where(eq(auditEvents.targetId, id)).all();
    expect(audit.map((row) => row.action)).toEqual([
      "family_session.proposed",
      "family_session.changed",
      "family_session.changed",
      "family_session.cancelled",
    ]);
    expect(audit.every((row) => row.targetType === "family_session" && row.actorUserId === la.therapist.id)).toBe(true);
  });
});

describe("the calendar feed", () => {
  async function makeFeed(as: TestUser) {
    const response = await requestAs(app, "/account/calendar", as.id, { intent: "create" });
    expect(response.status).toBe(200);
    const match = /value="http:\/\/care-circle\.test(\/calendar\/[^"]+\/meetings\.ics)"/.exec(await response.text());
    return match![1]!;
  }

  async function feed(path: string) {
    const response = await app.fetch(new Request(`http://care-circle.test${path}`));
    return { status: response.status, body: await response.text() };
  }

  const fetches = async (member: TestUser) =>
    (
      await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, "calendar_feed.fetched"), eq(auditEvents.actorUserId, member.id)))
        .all()
    ).length;

  it("titles a discreet person's meetings 'Appointment' under the same UIDs, in the download and in the feed", async () => {
    const id = await propose(la, { date: "2027-04-19", invitees: [la.linkId] });
    const path = await makeFeed(la.patient);
    const download = () => requestAs(app, `/family-sessions/${id}/calendar.ics`, la.patient.id);
    expect((await download()).headers.get("Content-Disposition")).toContain('filename="care-circle-meeting.ics"');
    expect((await feed(path)).body).toContain("SUMMARY:Care Circle meeting");

    await requestAs(app, "/account/discreet", la.patient.id, { discreet: "on" });
    try {
      const response = await download();
      expect(response.headers.get("Content-Disposition")).toContain('filename="appointment.ics"');
      for (const ics of [await response.text(), (await feed(path)).body]) {
        expect(ics).toContain("SUMMARY:Appointment");
        expect(ics).not.toContain("Care Circle");
        expect(parseEvent(ics).events.map((event) => event.uid)).toContain(`${id}@family-sessions.care-circle.app`);
      }
    } finally {
      await requestAs(app, "/account/discreet", la.patient.id, {});
    }
  });

  it("serves the person's sessions without signing in, audits each fetch, and dies when revoked or replaced", async () => {
    const id = await propose(la, { date: "2027-08-02" });
    const path = await makeFeed(la.supporter);
    const first = await feed(path);
    expect(first.status).toBe(200);
    expect(parseEvent(first.body).events.map((event) => event.uid)).toContain(`${id}@family-sessions.care-circle.app`);
    expect(first.body).not.toContain(la.patient.name);
    expect(await fetches(la.supporter)).toBe(1);
    await feed(path);
    expect(await fetches(la.supporter)).toBe(2);

    const replaced = await makeFeed(la.supporter);
    expect(replaced).not.toBe(path);
    expect((await feed(path)).status).toBe(404);
    expect((await feed(replaced)).status).toBe(200);

    expect((await requestAs(app, "/account/calendar", la.supporter.id, { intent: "revoke" })).status).toBe(302);
    expect((await feed(replaced)).status).toBe(404);
    expect((await feed("/calendar/not-a-token/meetings.ics")).status).toBe(404);
    expect(await fetches(la.supporter)).toBe(3);
  });

  it("is never written to the request log: the token part of the path is left out", async () => {
    const path = await makeFeed(la.patient);
    const token = /^\/calendar\/([^/]+)\//.exec(path)![1]!;
    const logged: string[] = [];
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
    const server = createApp({ build: app.build, db, trustProxy: 0, logRequests: true }).listen(0, "127.0.0.1");
    try {
      await new Promise((resolve) => server.once("listening", resolve));
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
      expect(response.status).toBe(200);
      await response.text();
      await vi.waitFor(() => expect(logged.join("")).toContain("GET /calendar/[token]/meetings.ics 200"));
      expect(logged.join("")).not.toContain(token);
    } finally {
      write.mockRestore();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("carries only the therapist's own patients, nothing of another program", async () => {
    const mine = await propose(la, { date: "2027-08-03" });
    const theirs = await propose(other, { date: "2027-08-03" });
    const uids = parseEvent((await feed(await makeFeed(la.therapist))).body).events.map((event) => event.uid);
    expect(uids).toContain(`${mine}@family-sessions.care-circle.app`);
    expect(uids).not.toContain(`${theirs}@family-sessions.care-circle.app`);
    const otherUids = parseEvent((await feed(await makeFeed(other.therapist))).body).events.map((event) => event.uid);
    expect(otherUids).not.toContain(`${mine}@family-sessions.care-circle.app`);
  });

  it("is dead once the supporter's link ends, and the session is no longer shown to them", async () => {
    const patient = await createActiveUser(la.id, "patient", "leaving-patient");
    await enrolExisting(patient, la.therapist);
    const supporter = await createActiveUser(la.id, "supporter", "leaving-supporter");
    const linkId = await joinApproved(patient, supporter, la.therapist, ["milestones"]);
    const id = await propose({ ...la, patient, linkId }, { date: "2027-09-01" });
    const path = await makeFeed(supporter);
    expect((await feed(path)).status).toBe(200);
    expect((await text("/supporter/family-sessions", supporter)).body).toContain("Sep 1, 2027");

    const link = (await db.select().from(circleLinks).where(eq(circleLinks.id, linkId)).get())!;
    await revokeLink(db, { actor: { id: supporter.id, programId: la.id, ipAddress: null }, as: "supporter" }, link);
    expect((await feed(path)).status).toBe(404);
    expect((await text("/supporter/family-sessions", supporter)).body).not.toContain("Sep 1, 2027");
    expect((await calendarOf(la, id, supporter)).status).toBe(404);
    expect((await requestAs(app, "/supporter/family-sessions", supporter.id, { sessionId: id, answer: "accepted" })).status).toBe(
      404,
    );
  });
});

describe("e-mail", () => {
  it("sends a person in discreet mode a neutral mail, from a neutral sender, with an 'Appointment' in the calendar file", async () => {
    const smtp = await startSmtpServer();
    try {
      vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${smtp.port}`);
      vi.stubEnv("MAIL_FROM", "Care Circle <no-reply@care-circle.test>");
      const now = tomorrowAt("America/Los_Angeles");
      // What other tests left in the stream goes first: only the mail about this session is read.
      await notifyAll(now);
      smtp.received.length = 0;
      await propose(la, { date: "2027-04-12", startTime: "17:00", endTime: "18:00", invitees: [la.linkId] });
      expect((await requestAs(app, "/account/discreet", la.supporter.id, { discreet: "on" })).status).toBe(302);
      await notifyAll(now);

      expect(smtp.received).toHaveLength(2);
      const toSupporter = smtp.received.find((mail) => mail.to[0] === la.supporter.email)!;
      const toPatient = smtp.received.find((mail) => mail.to[0] === la.patient.email)!;
      expect(header(toSupporter.raw, "From")).toBe("Notifications <no-reply@care-circle.test>");
      expect(header(toSupporter.raw, "Subject")).toBe("You have a new message");
      const text = textPart(toSupporter.raw);
      expect(text).toMatch(
        /^Hello,\n\nYou have something new\. Sign in to see it:\n\nhttp:\/\/care-circle\.test\/login\n\nTo stop these e-mails: http:\/\/care-circle\.test\/unsubscribe\?token=[\w.-]+$/,
      );
      const attachment = decoded(toSupporter.raw);
      expect(attachment).toContain("SUMMARY:Appointment");
      expect(attachment).not.toContain("Care Circle");
      expect(attachment).toMatch(/filename="?appointment\.ics/);
      expect(attachment).toContain("DTSTART;TZID=America/Los_Angeles:20270412T170000");
      // The patient has not asked for it: their mail is as before.
      expect(header(toPatient.raw, "Subject")).toBe("Care Circle meeting: invitation");
      expect(decoded(toPatient.raw)).toContain("SUMMARY:Care Circle meeting");
    } finally {
      await smtp.close();
      await requestAs(app, "/account/discreet", la.supporter.id, {});
    }
  });

  it("tells the patient and each invitee, discreetly, in the program's time, with the calendar file", async () => {
    const smtp = await startSmtpServer();
    try {
      vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${smtp.port}`);
      const now = tomorrowAt("America/Los_Angeles");
      // What other tests left in the stream goes first, to this server too: only this patient's mail is read.
      await notifyAll(now);
      smtp.received.length = 0;
      const id = await propose(la, { date: "2027-03-15", startTime: "18:00", endTime: "19:00", invitees: [la.linkId] });
      await notifyAll(now);
      const sessionPath = `${sessionsPath(la)}/${id}`;
      const moved = {
        intent: "change",
        date: "2027-03-15",
        startTime: "18:00",
        endTime: "19:30",
        location: "Room 4",
        videoUrl: "",
      };
      expect((await requestAs(app, sessionPath, la.therapist.id, moved)).status).toBe(302);
      await notifyAll(now);
      expect((await requestAs(app, sessionPath, la.therapist.id, { intent: "cancel" })).status).toBe(302);
      await notifyAll(now);

      expect(smtp.received.map((mail) => mail.to[0]).sort()).toEqual(
        [la.patient.email, la.supporter.email, la.patient.email, la.supporter.email, la.patient.email, la.supporter.email].sort(),
      );
      const subjects = smtp.received.map((mail) => /^Subject: (.*)\r?$/m.exec(mail.raw)![1]);
      expect(new Set(subjects)).toEqual(
        new Set(["Care Circle meeting: invitation", "Care Circle meeting: changed", "Care Circle meeting: cancelled"]),
      );
      for (const mail of smtp.received) {
        const body = decoded(mail.raw);
        expect(/^Subject: (.*)\r?$/m.exec(mail.raw)![1]).not.toContain(la.patient.name);
        // The patient's own mail greets them; a supporter's never names the patient.
        if (mail.to[0] === la.supporter.email) expect(body).not.toContain(la.patient.name);
        expect(body).toContain("Mar 15, 2027, 6:00 PM (America/Los_Angeles)");
        expect(body).toContain("DTSTART;TZID=America/Los_Angeles:20270315T180000");
        expect(body).toMatch(/Content-Type: text\/calendar/);
        expect(body).not.toMatch(/addiction|substance|treatment|therapy|diagnos/i);
      }
    } finally {
      await smtp.close();
    }
  });
});
