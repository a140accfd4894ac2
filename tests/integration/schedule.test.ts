import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attendance, auditEvents, circleLinks, disclosureLog, groupEnrolments, scheduleGroups } from "#db/schema";
import { translator } from "~/i18n/i18n";
import { revokeLink } from "~/models/care-circle.server";
import { createProgram } from "~/models/program.server";
import { latestMeetingDate, nextMeeting } from "~/models/schedule.server";
import { newId } from "~/utils/crypto.server";
import { addDays, calendarDateIn, clockTimeIn, isoWeekday } from "~/utils/dates";
import { db } from "../support/database";
import { createActiveUser, enrolExisting, joinApproved, type TestUser } from "../support/fixtures";
import { decodeEntities } from "../support/html-forms";
import { remixHandler, requestAs } from "../support/remix-handler";

/**
 * The weekly schedule and attendance through the built app: the rules of a group, of an enrolment
 * and of a meeting (bad input changes nothing), who reaches what across therapists and programs, and
 * what a supporter sees and the disclosure log keeps, depending on the attendance category.
 */

let app: Awaited<ReturnType<typeof remixHandler>>;
const t = translator("en");

/** A program with two therapists each with a patient, and two supporters of the first patient: one sharing attendance. */
async function program(timeZone: string) {
  const { id } = await createProgram(db, `Schedule ${newId().slice(0, 6)}`, timeZone);
  const therapist = await createActiveUser(id, "therapist");
  const otherTherapist = await createActiveUser(id, "therapist", "other-therapist");
  const patient = await createActiveUser(id, "patient");
  const otherPatient = await createActiveUser(id, "patient", "other-patient");
  await enrolExisting(patient, therapist);
  await enrolExisting(otherPatient, otherTherapist);
  const supporter = await createActiveUser(id, "supporter");
  const quiet = await createActiveUser(id, "supporter", "quiet");
  const linkId = await joinApproved(patient, supporter, therapist, ["attendance"]);
  const quietLinkId = await joinApproved(patient, quiet, therapist, ["progress"]);
  const today = calendarDateIn(timeZone);
  return { id, timeZone, today, therapist, otherTherapist, patient, otherPatient, supporter, quiet, linkId, quietLinkId };
}
type World = Awaited<ReturnType<typeof program>>;

let la: World;
let other: World;

beforeAll(async () => {
  app = await remixHandler();
  la = await program("America/Los_Angeles");
  other = await program("America/New_York");
});

type Form = Record<string, string | string[]>;
const groupForm = (overrides: Form = {}): Form => ({
  intent: "create",
  name: "Evening group",
  weekday: "1",
  startTime: "18:00",
  durationMinutes: "180",
  location: "",
  videoUrl: "https://video.example.test/group",
  ...overrides,
});

async function text(path: string, as: TestUser, form?: Form) {
  const response = await requestAs(app, path, as.id, form);
  return { status: response.status, body: decodeEntities(await response.text()).replaceAll("<!-- -->", "") };
}

const groupsOf = (world: World) => db.select().from(scheduleGroups).where(eq(scheduleGroups.programId, world.id)).all();

/** Adds a group through the page, as the therapist does, and returns its id. */
async function addGroup(world: World, overrides: Form = {}) {
  const response = await requestAs(app, "/therapist/schedule", world.therapist.id, groupForm(overrides));
  expect(response.status).toBe(302);
  const location = response.headers.get("Location")!;
  expect(location).toMatch(/^\/therapist\/schedule\/[^/?]+\?created=1$/);
  return location.slice("/therapist/schedule/".length).split("?")[0]!;
}

const enrol = (world: World, groupId: string, patient: TestUser, as = world.therapist) =>
  requestAs(app, `/therapist/schedule/${groupId}`, as.id, { intent: "enrol", patientId: patient.id });

const openEnrolments = (groupId: string) =>
  db
    .select()
    .from(groupEnrolments)
    .where(and(eq(groupEnrolments.groupId, groupId)))
    .all()
    .then((rows) => rows.filter((row) => row.endedOn === null));

const meetingsOf = (groupId: string) => db.select().from(attendance).where(eq(attendance.groupId, groupId)).all();

const auditOf = (targetId: string) =>
  db
    .select({ action: auditEvents.action, targetType: auditEvents.targetType })
    .from(auditEvents)
    .where(eq(auditEvents.targetId, targetId))
    .all();

describe("a group of the weekly schedule", () => {
  it("is added, shown by day and time with its link, changed and ended, each step audited by id", async () => {
    const groupId = await addGroup(la, { name: "Monday relapse prevention" });
    const schedule = await text("/therapist/schedule", la.therapist);
    expect(schedule.body).toContain("Monday relapse prevention");
    expect(schedule.body).toContain(t("schedule.weekly", { day: "Monday", time: "18:00" }));
    expect(schedule.body).toContain('href="https://video.example.test/group"');

    const changed = await requestAs(app, `/therapist/schedule/${groupId}`, la.therapist.id, {
      ...groupForm({ name: "Monday relapse prevention", weekday: "2", location: "Room 4", videoUrl: "" }),
      intent: "change",
    });
    expect(changed.status).toBe(302);
    expect((await groupsOf(la)).find((group) => group.id === groupId)).toMatchObject({
      weekday: 2,
      location: "Room 4",
      videoUrl: null,
    });

    expect(await enrol(la, groupId, la.patient).then((response) => response.status)).toBe(302);
    const ended = await requestAs(app, `/therapist/schedule/${groupId}`, la.therapist.id, { intent: "end" });
    expect(ended.status).toBe(302);
    expect(await openEnrolments(groupId)).toEqual([]);
    expect((await text("/therapist/schedule", la.therapist)).body).not.toContain("Monday relapse prevention");
    expect((await text(`/therapist/schedule/${groupId}`, la.therapist)).status).toBe(404);
    expect((await auditOf(groupId)).map((row) => row.action)).toEqual([
      "schedule.group_created",
      "schedule.group_changed",
      "schedule.group_ended",
    ]);
  });

  const refusals: [string, Form, string, string][] = [
    ["no day", { weekday: "" }, "weekday", "schedule.validation.dayRequired"],
    ["a start that is not a time", { startTime: "6pm" }, "startTime", "familySessions.validation.timeInvalid"],
    ["a length too short", { durationMinutes: "10" }, "durationMinutes", "schedule.validation.length"],
    ["a length too long", { durationMinutes: "481" }, "durationMinutes", "schedule.validation.length"],
    ["neither place nor link", { location: "", videoUrl: "" }, "location", "familySessions.validation.placeRequired"],
    [
      "a link that is not https",
      { videoUrl: "http://video.example.test/group" },
      "videoUrl",
      "familySessions.validation.videoUrlHttps",
    ],
  ];
  for (const [label, overrides, field, message] of refusals) {
    it(`refuses ${label} at its field and saves nothing`, async () => {
      const before = (await groupsOf(la)).length;
      const answer = await text("/therapist/schedule", la.therapist, groupForm({ name: `Refused ${label}`, ...overrides }));
      expect(answer.status).toBe(400);
      // The message sits in the field's own error element, tied to its control.
      expect(answer.body).toMatch(new RegExp(`id="[^"]*-${field}-error"[^>]*>${t(message as "schedule.validation.length")}<`));
      expect(answer.body).toMatch(new RegExp(`name="${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="${field}"`));
      expect((await groupsOf(la)).length).toBe(before);
    });
  }
});

describe("enrolment", () => {
  it("refuses to book a patient twice at one time, and allows a group that starts as another ends", async () => {
    const evening = await addGroup(la, { name: "Wednesday evening", weekday: "3", startTime: "18:00", durationMinutes: "180" });
    const overlapping = await addGroup(la, { name: "Wednesday late", weekday: "3", startTime: "20:30", durationMinutes: "60" });
    const after = await addGroup(la, { name: "Wednesday night", weekday: "3", startTime: "21:00", durationMinutes: "60" });
    expect((await enrol(la, evening, la.patient)).status).toBe(302);

    const refused = await text(`/therapist/schedule/${overlapping}`, la.therapist, { intent: "enrol", patientId: la.patient.id });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain(t("schedule.validation.overlap"));
    expect(await openEnrolments(overlapping)).toEqual([]);

    const twice = await text(`/therapist/schedule/${evening}`, la.therapist, { intent: "enrol", patientId: la.patient.id });
    expect(twice.body).toContain(t("schedule.validation.alreadyEnrolled"));
    expect(await openEnrolments(evening)).toHaveLength(1);

    expect((await enrol(la, after, la.patient)).status).toBe(302);
    // Moving a group onto another of its patients' groups is refused the same way.
    const moved = await text(`/therapist/schedule/${after}`, la.therapist, {
      ...groupForm({ name: "Wednesday night", weekday: "3", startTime: "19:00", durationMinutes: "60" }),
      intent: "change",
    });
    expect(moved.status).toBe(400);
    expect(moved.body).toContain(t("schedule.validation.changeOverlap"));
    expect((await groupsOf(la)).find((group) => group.id === after)?.startTime).toBe("21:00");

    const out = await requestAs(app, `/therapist/schedule/${after}`, la.therapist.id, {
      intent: "unenrol",
      patientId: la.patient.id,
    });
    expect(out.status).toBe(302);
    expect(await openEnrolments(after)).toEqual([]);
    const enrolmentIds = (await db.select().from(groupEnrolments).where(eq(groupEnrolments.groupId, after)).all()).map(
      (row) => row.id,
    );
    const audited = await db.select().from(auditEvents).where(inArray(auditEvents.targetId, enrolmentIds)).all();
    expect(audited.map((row) => row.action)).toEqual(["schedule.enrolled", "schedule.enrolment_ended"]);
  });

  it("lets a therapist reach only their own patients", async () => {
    const groupId = await addGroup(la, { name: "Friday group", weekday: "5" });
    expect((await enrol(la, groupId, la.otherPatient, la.otherTherapist)).status).toBe(302);
    expect((await enrol(la, groupId, la.patient)).status).toBe(302);

    // Another therapist's patient can be neither enrolled nor taken out, nor is named on the page.
    expect((await enrol(la, groupId, la.otherPatient)).status).toBe(404);
    const takeOut = await requestAs(app, `/therapist/schedule/${groupId}`, la.therapist.id, {
      intent: "unenrol",
      patientId: la.otherPatient.id,
    });
    expect(takeOut.status).toBe(404);
    expect(await openEnrolments(groupId)).toHaveLength(2);
    const page = await text(`/therapist/schedule/${groupId}`, la.therapist);
    expect(page.body).toContain(la.patient.name);
    expect(page.body).not.toContain(la.otherPatient.name);

    const meeting = await text(`/therapist/schedule/${groupId}/attendance`, la.therapist);
    expect(meeting.body).toContain(la.patient.name);
    expect(meeting.body).not.toContain(la.otherPatient.name);
    const date = latestMeetingDate(5, la.today);
    const stranger = await requestAs(app, `/therapist/schedule/${groupId}/attendance`, la.therapist.id, {
      date,
      [`attendance.${la.otherPatient.id}`]: "missed",
    });
    expect(stranger.status).toBe(404);
    expect(await meetingsOf(groupId)).toEqual([]);
  });
});

describe("recording a meeting", () => {
  it("records the whole group on one screen, replaces on a second recording, and refuses a wrong or future date", async () => {
    const weekday = isoWeekday(la.today);
    const groupId = await addGroup(la, {
      name: "Today's group",
      weekday: String(weekday),
      startTime: "00:00",
      durationMinutes: "15",
    });
    const second = await createActiveUser(la.id, "patient", "second-patient");
    await enrolExisting(second, la.therapist);
    expect((await enrol(la, groupId, la.patient)).status).toBe(302);
    expect((await enrol(la, groupId, second)).status).toBe(302);
    const path = `/therapist/schedule/${groupId}/attendance`;

    const page = await text(path, la.therapist);
    expect(page.body).toContain(`value="${la.today}"`);
    expect(page.body.match(/<fieldset/g)).toHaveLength(2);
    expect(page.body).toContain(`<legend>${second.name}</legend>`);

    for (const [date, message] of [
      [addDays(la.today, -1), "schedule.validation.wrongDay"],
      [addDays(la.today, 7), "schedule.validation.future"],
      ["2026-02-30", "validation.date.invalid"],
    ] as const) {
      const refused = await text(path, la.therapist, { date, [`attendance.${la.patient.id}`]: "attended" });
      expect(refused.status, date).toBe(400);
      expect(refused.body, date).toMatch(new RegExp(`id="[^"]*-date-error"[^>]*>${t(message)}<`));
      expect(await meetingsOf(groupId), date).toEqual([]);
    }

    const nobodyMarked = await text(path, la.therapist, { date: la.today });
    expect(nobodyMarked.status).toBe(400);
    expect(nobodyMarked.body).toContain(t("schedule.validation.nobodyMarked"));
    expect(await meetingsOf(groupId)).toEqual([]);
    expect(await auditOf(groupId)).not.toContainEqual(expect.objectContaining({ action: "attendance.recorded" }));

    const recorded = await requestAs(app, path, la.therapist.id, {
      date: la.today,
      [`attendance.${la.patient.id}`]: "attended",
      [`attendance.${second.id}`]: "excused",
    });
    expect(recorded.status).toBe(302);
    expect((await meetingsOf(groupId)).map((row) => [row.patientId, row.status]).sort()).toEqual(
      [
        [la.patient.id, "attended"],
        [second.id, "excused"],
      ].sort(),
    );
    const again = await requestAs(app, path, la.therapist.id, { date: la.today, [`attendance.${la.patient.id}`]: "missed" });
    expect(again.status).toBe(302);
    const rows = await meetingsOf(groupId);
    expect(rows).toHaveLength(2);
    expect(rows.find((row) => row.patientId === la.patient.id)?.status).toBe("missed");
    expect((await auditOf(groupId)).filter((row) => row.action === "attendance.recorded")).toHaveLength(2);
    // The page shows what was recorded for that meeting.
    expect((await text(`${path}?date=${la.today}`, la.therapist)).body).toMatch(
      new RegExp(`name="attendance.${la.patient.id}"[^>]*checked="" value="missed"`),
    );
  });
});

describe("two programs", () => {
  it("cross nothing: another program's groups are unknown, by page and by form", async () => {
    const groupId = await addGroup(la, { name: "Los Angeles only" });
    for (const path of [`/therapist/schedule/${groupId}`, `/therapist/schedule/${groupId}/attendance`]) {
      expect((await text(path, other.therapist)).status, path).toBe(404);
    }
    expect((await enrol(other, groupId, other.patient)).status).toBe(404);
    const posted = await requestAs(app, `/therapist/schedule/${groupId}/attendance`, other.therapist.id, {
      date: latestMeetingDate(1, other.today),
      [`attendance.${other.patient.id}`]: "attended",
    });
    expect(posted.status).toBe(404);
    expect((await text("/therapist/schedule", other.therapist)).body).not.toContain("Los Angeles only");
    expect(await openEnrolments(groupId)).toEqual([]);
    expect(await meetingsOf(groupId)).toEqual([]);
    // Nor can a therapist enrol another program's patient in their own group.
    const own = await addGroup(other, { name: "New York only" });
    expect((await enrol(other, own, la.patient)).status).toBe(404);
  });
});

describe("what the patient and their supporters see", () => {
  it("shows the patient and a supporter with the attendance category the schedule and attendance, logged; nothing to others", async () => {
    const world = await program("America/Los_Angeles");
    const weekday = isoWeekday(world.today);
    const groupId = await addGroup(world, { name: "Shared group", weekday: String(weekday), startTime: "18:00" });
    expect((await enrol(world, groupId, world.patient)).status).toBe(302);
    const past = addDays(world.today, -7);
    expect(
      (
        await requestAs(app, `/therapist/schedule/${groupId}/attendance`, world.therapist.id, {
          date: past,
          [`attendance.${world.patient.id}`]: "excused",
        })
      ).status,
    ).toBe(302);
    const meeting = (await meetingsOf(groupId))[0]!;

    const own = await text("/patient/schedule", world.patient);
    expect(own.status).toBe(200);
    expect(own.body).toContain("Shared group");
    expect(own.body).toContain(t("attendanceStatus.excused"));

    const rowsOf = (linkId: string) =>
      db
        .select({ itemType: disclosureLog.itemType, itemId: disclosureLog.itemId, category: disclosureLog.category })
        .from(disclosureLog)
        .where(and(eq(disclosureLog.linkId, linkId), eq(disclosureLog.kind, "disclosure")))
        .all();

    const shared = await text(`/supporter/circles/${world.linkId}`, world.supporter);
    expect(shared.status).toBe(200);
    expect(shared.body).toContain("Shared group");
    expect(shared.body).toContain(t("attendanceStatus.excused"));
    expect((await rowsOf(world.linkId)).sort((a, b) => a.itemType!.localeCompare(b.itemType!))).toEqual([
      { itemType: "attendance", itemId: meeting.id, category: "attendance" },
      { itemType: "schedule_group", itemId: groupId, category: "attendance" },
    ]);

    const quiet = await text(`/supporter/circles/${world.quietLinkId}`, world.quiet);
    expect(quiet.status).toBe(200);
    expect(quiet.body).not.toContain("Shared group");
    expect(quiet.body).not.toContain(t("attendanceStatus.excused"));
    expect(await rowsOf(world.quietLinkId)).toEqual([]);

    // The patient's accounting names what was shown, in words.
    const log = await text("/patient/disclosures", world.patient);
    expect(log.body).toContain(t("disclosures.item.schedule_group"));
    expect(log.body).toContain(t("disclosures.item.attendance"));

    // Revoking hides everything at once and writes nothing more.
    const link = (await db.select().from(circleLinks).where(eq(circleLinks.id, world.linkId)).get())!;
    await revokeLink(db, { actor: { id: world.patient.id, programId: world.id, ipAddress: null }, as: "patient" }, link);
    const before = await rowsOf(world.linkId);
    const gone = await text(`/supporter/circles/${world.linkId}`, world.supporter);
    expect(gone.status).toBe(410);
    expect(gone.body).not.toContain("Shared group");
    expect(await rowsOf(world.linkId)).toEqual(before);
  });
});

describe("time zones", () => {
  it("keeps a group at 18:00 in Los Angeles at 18:00 on either side of the change to daylight-saving time", () => {
    const monday = { weekday: 1, startTime: "18:00", durationMinutes: 180 };
    // Daylight-saving time starts in Los Angeles on Sunday 14 March 2027.
    const before = nextMeeting(monday, "America/Los_Angeles", new Date("2027-03-03T12:00:00Z"));
    const after = nextMeeting(monday, "America/Los_Angeles", new Date("2027-03-10T12:00:00Z"));
    expect(before.date).toBe("2027-03-08");
    expect(after.date).toBe("2027-03-15");
    expect(clockTimeIn("America/Los_Angeles", before.startsAt)).toBe("18:00");
    expect(clockTimeIn("America/Los_Angeles", after.startsAt)).toBe("18:00");
    expect(before.startsAt.toISOString()).toBe("2027-03-09T02:00:00.000Z");
    expect(after.startsAt.toISOString()).toBe("2027-03-16T01:00:00.000Z");
    // A meeting under way is still the next one; once over, the next is a week later.
    expect(nextMeeting(monday, "America/Los_Angeles", new Date("2027-03-09T04:00:00Z")).date).toBe("2027-03-08");
    expect(nextMeeting(monday, "America/Los_Angeles", new Date("2027-03-09T05:00:00Z")).date).toBe("2027-03-15");
  });

  it("offers the latest meeting on the group's day that is not after today", () => {
    expect(latestMeetingDate(1, "2027-03-10")).toBe("2027-03-08");
    expect(latestMeetingDate(3, "2027-03-10")).toBe("2027-03-10");
    expect(latestMeetingDate(4, "2027-03-10")).toBe("2027-03-04");
  });
});
