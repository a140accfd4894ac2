import { beforeAll, describe, expect, it } from "vitest";
import { databaseLocation, openDatabase } from "#db/database";
import { attendance, checkIns, groupEnrolments, moduleAssignments, scheduleGroups, supportPlanItems } from "#db/schema";
import { acceptInvitation, invite } from "~/models/invitations.server";
import { caseload, cravingRose, filterCaseload } from "~/models/caseload.server";
import { findLibraryModule } from "~/models/module-library.server";
import { newId } from "~/utils/crypto.server";
import { db } from "../support/database";
import { createActiveUser, createProgramWithStaff, enrolExisting, joinApproved, type TestUser } from "../support/fixtures";
import { remixHandler, requestAs } from "../support/remix-handler";
import { englishLocale } from "~/i18n/i18n";

let app: Awaited<ReturnType<typeof remixHandler>>;
beforeAll(async () => {
  app = await remixHandler();
});

/** Wednesday 2 December 2026, 15:00 in Chicago (the fixtures' program time zone): the week began on Monday 30 November. */
const now = new Date("2026-12-02T21:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 3_600_000);

async function shareCheckIn(
  patient: TestUser,
  at: Date,
  fields: { craving?: number | null; mood?: number | null; kind?: "check_in" | "slip"; careTeam?: boolean },
) {
  await db.insert(checkIns).values({
    id: newId(),
    programId: patient.programId,
    patientId: patient.id,
    kind: fields.kind ?? "check_in",
    mood: fields.mood ?? 3,
    craving: fields.craving ?? null,
    sharedWithCareTeam: fields.careTeam ?? true,
    createdAt: at,
    updatedAt: at,
  });
}

async function group(owner: TestUser, weekday: number) {
  const id = newId();
  await db.insert(scheduleGroups).values({
    id,
    programId: owner.programId,
    name: `Group ${weekday}`,
    weekday,
    startTime: "18:00",
    durationMinutes: 180,
    location: "Room 2",
    createdBy: owner.id,
    createdAt: daysAgo(60),
  });
  return id;
}

async function enrolInGroup(patient: TestUser, groupId: string, enrolledOn = "2026-10-01", endedOn: string | null = null) {
  await db.insert(groupEnrolments).values({
    id: newId(),
    programId: patient.programId,
    groupId,
    patientId: patient.id,
    enrolledOn,
    endedOn,
    createdAt: daysAgo(60),
  });
}

async function recordAttendance(
  patient: TestUser,
  groupId: string,
  sessionDate: string,
  status: "attended" | "missed" | "excused",
  by: TestUser,
) {
  await db.insert(attendance).values({
    id: newId(),
    programId: patient.programId,
    groupId,
    patientId: patient.id,
    sessionDate,
    status,
    recordedBy: by.id,
    recordedAt: now,
  });
}

async function pendingRequest(patient: TestUser, supporter: TestUser) {
  const { token } = await invite(
    db,
    { id: patient.id, programId: patient.programId, ipAddress: null },
    {
      categories: ["progress"],
      purpose: "Support",
      expiryKind: "episode_end",
      expiresOn: null,
      signature: patient.name,
      name: supporter.name,
      email: supporter.email,
      relationship: "sibling",
    },
    englishLocale,
  );
  await acceptInvitation(db, token, supporter, null);
}

async function newPatient(therapist: TestUser, label: string) {
  const patient = await createActiveUser(therapist.programId, "patient", label);
  await enrolExisting(patient, therapist, "2026-11-02", 10);
  return patient;
}

const rowOf = async (therapist: TestUser, patient: TestUser) =>
  (await caseload(db, therapist, now)).find((row) => row.patientId === patient.id)!;

describe("the therapist's caseload", () => {
  it("counts this week's scheduled meetings and those attended, within each enrolment", async () => {
    const { therapist } = await createProgramWithStaff();
    const patient = await newPatient(therapist, "attending");
    const monday = await group(therapist, 1);
    const tuesday = await group(therapist, 2);
    const thursday = await group(therapist, 4);
    await enrolInGroup(patient, monday);
    await enrolInGroup(patient, thursday); // Thursday's meeting is still ahead this week
    await enrolInGroup(patient, await group(therapist, 3)); // today's meets at 18:00, three hours from now
    await enrolInGroup(patient, tuesday, "2026-12-02"); // enrolled after Tuesday's meeting
    await recordAttendance(patient, monday, "2026-11-30", "attended", therapist);
    await recordAttendance(patient, monday, "2026-11-23", "attended", therapist); // last week

    const row = await rowOf(therapist, patient);

    expect(row.attendance).toEqual({ scheduled: 1, attended: 1, missed: 0 });
    expect(row.reasons).toEqual([]);
  });

  it("counts a meeting recorded for a patient enrolled after it as one they were expected at", async () => {
    const { therapist } = await createProgramWithStaff();
    const patient = await newPatient(therapist, "late-enrolled");
    const tuesday = await group(therapist, 2);
    await enrolInGroup(patient, tuesday, "2026-12-02");
    await recordAttendance(patient, tuesday, "2026-12-01", "attended", therapist);

    expect((await rowOf(therapist, patient)).attendance).toEqual({ scheduled: 1, attended: 1, missed: 0 });
  });

  it("gives a meeting missed in the last 7 days as a reason, and not one missed before", async () => {
    const { therapist } = await createProgramWithStaff();
    const recent = await newPatient(therapist, "missed-recently");
    const earlier = await newPatient(therapist, "missed-earlier");
    const tuesday = await group(therapist, 2);
    await enrolInGroup(recent, tuesday);
    await enrolInGroup(earlier, tuesday);
    await recordAttendance(recent, tuesday, "2026-11-24", "attended", therapist);
    await recordAttendance(recent, tuesday, "2026-12-01", "missed", therapist);
    await recordAttendance(earlier, tuesday, "2026-11-24", "missed", therapist);
    await recordAttendance(earlier, tuesday, "2026-12-01", "excused", therapist);

    expect((await rowOf(therapist, recent)).reasons).toEqual(["missed_session"]);
    expect((await rowOf(therapist, recent)).attendance).toEqual({ scheduled: 1, attended: 0, missed: 1 });
    expect((await rowOf(therapist, earlier)).reasons).toEqual([]);
  });

  it("shows the last check-in shared with the care team, never a private one", async () => {
    const { therapist } = await createProgramWithStaff();
    const patient = await newPatient(therapist, "private-last");
    await shareCheckIn(patient, daysAgo(3), { mood: 4, craving: 2 });
    await shareCheckIn(patient, daysAgo(1), { mood: 1, craving: 9, careTeam: false });

    const row = await rowOf(therapist, patient);

    expect(row.lastCheckIn).toEqual({ kind: "check_in", mood: 4, craving: 2, at: daysAgo(3).getTime() });
    expect(row.reasons).toEqual([]);
  });

  it("gives a craving 2 or more above the patient's own 4-week average as a reason, and 1.9 above not", async () => {
    const { therapist } = await createProgramWithStaff();
    const rising = await newPatient(therapist, "rising");
    const steady = await newPatient(therapist, "steady");
    for (const [day, craving] of [
      [20, 3],
      [10, 5],
    ] as const) {
      await shareCheckIn(rising, daysAgo(day), { craving });
    }
    await shareCheckIn(rising, daysAgo(40), { craving: 0 }); // older than four weeks: not in the average
    await shareCheckIn(rising, daysAgo(1), { craving: 6 });
    for (let day = 2; day < 12; day++) await shareCheckIn(steady, daysAgo(day), { craving: day === 2 ? 5 : 4 });
    await shareCheckIn(steady, daysAgo(1), { craving: 6 }); // average 4.1: 1.9 above

    expect((await rowOf(therapist, rising)).reasons).toEqual(["craving_rise"]);
    expect((await rowOf(therapist, steady)).reasons).toEqual([]);
  });

  it("compares a craving only with check-ins before it, and needs two of them", () => {
    const at = (days: number) => daysAgo(days);
    const entry = (days: number, craving: number) => ({
      patientId: "p",
      kind: "check_in" as const,
      mood: 3,
      craving,
      createdAt: at(days),
    });
    expect(cravingRose(entry(1, 8), [entry(5, 2)], now)).toBe(false);
    expect(cravingRose(entry(1, 8), [entry(5, 2), entry(6, 2)], now)).toBe(true);
    expect(cravingRose(entry(9, 8), [entry(12, 2), entry(13, 2)], now)).toBe(false); // not this week
    expect(cravingRose(entry(1, 8), [entry(1, 8), entry(0, 9), entry(5, 2), entry(6, 2)], now)).toBe(true);
  });

  it("gives a slip shared with the care team this week as a reason, not one shared only with supporters or older", async () => {
    const { therapist } = await createProgramWithStaff();
    const told = await newPatient(therapist, "slip-told");
    const notTold = await newPatient(therapist, "slip-private");
    const older = await newPatient(therapist, "slip-older");
    await shareCheckIn(told, daysAgo(3), { kind: "slip" });
    await shareCheckIn(notTold, daysAgo(3), { kind: "slip", careTeam: false });
    await shareCheckIn(older, daysAgo(9), { kind: "slip" });

    expect((await rowOf(therapist, told)).reasons).toEqual(["slip"]);
    expect((await rowOf(therapist, notTold)).reasons).toEqual([]);
    expect((await rowOf(therapist, older)).reasons).toEqual([]);
  });

  it("counts the circle, pending approvals, plan gaps and modules, with overdue modules and pending approvals as reasons", async () => {
    const { therapist, program } = await createProgramWithStaff();
    const patient = await newPatient(therapist, "circle");
    const supporter = await createActiveUser(program.id, "supporter", "circle-supporter");
    const waiting = await createActiveUser(program.id, "supporter", "circle-waiting");
    const linkId = await joinApproved(patient, supporter, therapist, ["progress", "education"]);
    await pendingRequest(patient, waiting);
    await db.insert(supportPlanItems).values([
      { id: newId(), programId: program.id, patientId: patient.id, need: "ride", createdAt: now },
      { id: newId(), programId: program.id, patientId: patient.id, need: "hard_day_call", createdAt: now },
    ]);
    for (const [slug, dueOn] of [
      ["relapse", "2026-11-20"],
      ["after-the-program", null],
    ] as const) {
      const module = await findLibraryModule(db, program.id, slug);
      expect(module, slug).toBeTruthy();
      await db.insert(moduleAssignments).values({
        id: newId(),
        programId: program.id,
        moduleId: module!.id,
        linkId,
        assignedBy: therapist.id,
        assignedByRole: "therapist",
        dueOn,
        createdAt: daysAgo(20),
      });
    }

    const row = await rowOf(therapist, patient);

    expect(row).toMatchObject({
      circleSize: 1,
      pendingApprovals: 1,
      planGaps: 2,
      education: { assigned: 2, completed: 0, overdue: 1 },
      reasons: ["overdue_module", "pending_approval"],
    });
  });

  it("puts patients needing attention first, more reasons first, then by name", async () => {
    const { therapist, program } = await createProgramWithStaff();
    const calm = await newPatient(therapist, "a-calm");
    const one = await newPatient(therapist, "b-one");
    const two = await newPatient(therapist, "c-two");
    await shareCheckIn(one, daysAgo(2), { kind: "slip" });
    await shareCheckIn(two, daysAgo(2), { kind: "slip" });
    await pendingRequest(two, await createActiveUser(program.id, "supporter", "two-waiting"));

    const order = (await caseload(db, therapist, now)).map((row) => row.patientId);

    expect(order.indexOf(two.id)).toBeLessThan(order.indexOf(one.id));
    expect(order.indexOf(one.id)).toBeLessThan(order.indexOf(calm.id));
  });

  it("holds only the therapist's own open episodes, never another therapist's or another program's", async () => {
    const { therapist, patient, program } = await createProgramWithStaff();
    const colleague = await createActiveUser(program.id, "therapist", "colleague");
    const theirs = await newPatient(colleague, "colleagues-patient");
    const elsewhere = await createProgramWithStaff("Elsewhere");
    await shareCheckIn(theirs, daysAgo(1), { kind: "slip" });

    const ids = (await caseload(db, therapist, now)).map((row) => row.patientId);

    expect(ids).toEqual([patient.id]);
    expect((await caseload(db, elsewhere.therapist, now)).map((row) => row.patientId)).toEqual([elsewhere.patient.id]);
  });

  it("filters by name, by needing attention and by one reason", async () => {
    const { therapist } = await createProgramWithStaff();
    const slipped = await newPatient(therapist, "filter-slip");
    await newPatient(therapist, "filter-calm");
    await shareCheckIn(slipped, daysAgo(1), { kind: "slip" });
    const everyone = await caseload(db, therapist, now);

    expect(filterCaseload(everyone, { name: "FILTER-" }).length).toBe(2);
    expect(filterCaseload(everyone, { attention: true }).map((row) => row.patientId)).toEqual([slipped.id]);
    expect(filterCaseload(everyone, { reason: "slip" }).map((row) => row.patientId)).toEqual([slipped.id]);
    expect(filterCaseload(everyone, { reason: "missed_session" })).toEqual([]);
  });
});

describe("a large caseload", () => {
  it("costs the same few queries with 200 patients as with one", async () => {
    const { therapist, patient } = await createProgramWithStaff();
    const monday = await group(therapist, 1);
    const needingAttention = async (member: TestUser) => {
      await enrolInGroup(member, monday);
      await recordAttendance(member, monday, "2026-11-30", "missed", therapist);
      await shareCheckIn(member, daysAgo(2), { kind: "slip" });
    };
    await needingAttention(patient);
    let queries = 0;
    const counted = await openDatabase(databaseLocation(), { logger: { logQuery: () => void queries++ } });
    try {
      await caseload(counted.db, therapist, now);
      const forOne = queries;
      for (let n = 0; n < 199; n++) await needingAttention(await newPatient(therapist, `large-${n}`));
      queries = 0;
      const rows = await caseload(counted.db, therapist, now);

      expect(rows).toHaveLength(200);
      expect(rows.every((row) => row.reasons.join() === "missed_session,slip")).toBe(true);
      expect(queries).toBe(forOne);
      // The roster, enrolments, attendance, last and recent check-ins, circle, plan, program and assignments.
      expect(queries).toBeLessThanOrEqual(9);
    } finally {
      counted.close();
    }
  });
});

describe("the caseload page", () => {
  it("pages 200 patients 25 at a time, keeping the filters", async () => {
    const { therapist } = await createProgramWithStaff();
    for (let n = 0; n < 200; n++) await newPatient(therapist, `many-${String(n).padStart(3, "0")}`);

    const first = await (await requestAs(app, "/therapist", therapist.id)).text();
    const eighth = await (await requestAs(app, "/therapist?name=many&page=8", therapist.id)).text();

    expect(first).toContain("Showing 1–25 of 201 patients.");
    expect(first).toContain("Page 1 of 9");
    expect(eighth).toContain("Showing 176–200 of 200 patients.");
    expect(eighth).toContain("Test many-199");
    expect(eighth).not.toContain("Test many-174");
    expect(eighth).toMatch(/href="\/therapist\?name=many&amp;page=7"/);
  });

  it("says what is wrong with a filter at its field and shows the whole caseload", async () => {
    const { therapist } = await createProgramWithStaff();
    await newPatient(therapist, "filtered");

    const response = await requestAs(app, `/therapist?reason=unknown&name=${"x".repeat(101)}`, therapist.id);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(html).toContain("Choose one of the reasons in the list.");
    expect(html).toContain("Enter at most 100 characters of a name.");
    expect(html).toContain("Showing 1–2 of 2 patients.");
  });

  it("shows each figure and reason in words, linking where the therapist acts", async () => {
    const { therapist, program } = await createProgramWithStaff();
    const patient = await newPatient(therapist, "words");
    await pendingRequest(patient, await createActiveUser(program.id, "supporter", "words-waiting"));

    const html = await (await requestAs(app, "/therapist?reason=pending_approval", therapist.id)).text();

    expect(html).toContain("Test words");
    expect(html).toMatch(/<a[^>]*href="\/therapist\/approvals"[^>]*>1 supporter waiting for your approval<\/a>/);
    expect(html).toContain("None shared yet");
    expect(html).toContain("No gaps");
  });
});
