import { expect, type Page } from "@playwright/test";
import {
  demo,
  expectAccessible,
  expectNoHorizontalScroll,
  invitee,
  joinCircle,
  openNavigation,
  programDate,
  signIn,
  tabTo,
  test,
  uniqueName,
  type Person,
} from "./support";

/**
 * Schedule and attendance (issue 15, journey 2): the therapist adds a weekly group, enrols their
 * patient and records a meeting on one screen by keyboard; the patient sees their schedule and
 * attendance on a phone; a supporter sharing attendance sees it too. Once with JavaScript and once
 * without. Each test adds its own group on today's weekday and enrols its own patient, so nothing
 * here touches another spec's data.
 */

/** Today's weekday in the demo program's time zone (America/Chicago), e.g. "Thursday". */
const todayName = new Intl.DateTimeFormat("en-US", { timeZone: "America/Chicago", weekday: "long" }).format(new Date());

async function fillGroup(
  page: Page,
  group: { name: string; day: string; start: string; minutes: string; place: string; link: string },
) {
  await page.getByLabel("Name", { exact: true }).fill(group.name);
  if (group.day) await page.getByLabel("Day").selectOption({ label: group.day });
  await page.getByLabel("Starts at").fill(group.start);
  await page.getByLabel("Length in minutes").fill(group.minutes);
  await page.getByLabel("Place").fill(group.place);
  await page.getByLabel("Video link (https)").fill(group.link);
}

/** The therapist adds a group (after one refusal at its field) and enrols the patient in it. */
async function addGroupAndEnrol(therapist: Page, patient: Person, name: string, refusal: "day" | "length") {
  // axe needs scripts to run: without JavaScript the same pages are checked by the test with it.
  const checkAccessible = async (label: string) => {
    if (refusal === "day") await expectAccessible(therapist, label);
  };
  await therapist.goto("/therapist");
  await therapist.getByRole("navigation").getByRole("link", { name: "Schedule" }).click();
  await expect(therapist.getByRole("heading", { level: 1, name: "Program schedule" })).toBeVisible();
  await checkAccessible("program schedule");

  const group = { name, day: todayName, start: "18:00", minutes: "180", place: "", link: "https://video.example.test/iop" };
  if (refusal === "day") {
    await fillGroup(therapist, { ...group, day: "", link: "http://video.example.test/iop" });
    await therapist.getByRole("button", { name: "Add the group" }).click();
    await expect(therapist.getByLabel("Day")).toHaveAccessibleDescription("Choose the day the group meets.");
    await expect(therapist.getByLabel("Video link (https)")).toHaveAccessibleDescription(
      "Enter a video link that starts with https://.",
    );
  } else {
    await fillGroup(therapist, { ...group, minutes: "600", link: "" });
    await therapist.getByRole("button", { name: "Add the group" }).click();
    await expect(therapist.getByLabel("Length in minutes")).toHaveAccessibleDescription(
      "From 15 to 480 minutes. A group meets for 15 to 480 minutes.",
    );
    await expect(therapist.getByLabel("Place")).toHaveAccessibleDescription(
      "A place, a video link, or both. Enter a place or a video link.",
    );
  }
  await checkAccessible("group form with errors");
  await fillGroup(therapist, group);
  await therapist.getByRole("button", { name: "Add the group" }).click();
  await expect(therapist.getByRole("status")).toHaveText("The group was added.");
  await expect(therapist.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(therapist.getByText(`Every ${todayName} at 18:00`)).toBeVisible();

  await therapist.getByLabel("Patient").selectOption({ label: patient.name });
  await therapist.getByRole("button", { name: "Add to the group" }).click();
  await expect(therapist.getByRole("status")).toHaveText("The patient was added to the group.");
  await expect(therapist.getByRole("button", { name: `Take ${patient.name} out of this group` })).toBeVisible();
  await checkAccessible("group with its member");
  await therapist.getByRole("link", { name: "Record a meeting" }).click();
  await expect(therapist.getByRole("heading", { level: 1, name: `Record a meeting of ${name}` })).toBeVisible();
  await expect(therapist.getByLabel("Meeting date")).toHaveValue(programDate(0));
  await checkAccessible("meeting form");
}

/** The patient's schedule on a phone: the group, its next meeting at 18:00, and what was recorded. */
async function expectPatientSchedule(page: Page, group: string, status: string, withScripts: boolean) {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/patient");
  await openNavigation(page);
  await page.getByRole("link", { name: "My schedule" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My schedule" })).toBeVisible();
  const item = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: group }) });
  await expect(item).toContainText(`Every ${todayName} at 18:00`);
  await expect(item).toContainText("6:00 PM");
  await expect(page.getByRole("row").filter({ hasText: group })).toContainText(status);
  if (withScripts) await expectAccessible(page, "patient's schedule at 360 px");
  await expectNoHorizontalScroll(page);
}

test("with JavaScript: the therapist adds a group, enrols the patient and records a meeting by keyboard; patient and supporter see it", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  test.slow();
  const dana = invitee("Dana Park", "Parent", ["attendance"]);
  const danaPage = await joinCircle({ page, patient, therapist, mailbox, newPage }, dana);
  const name = uniqueName("Evening IOP");
  await addGroupAndEnrol(therapist, patient, name, "day");

  // Saving with nobody marked is refused, at the top of the form.
  await therapist.getByRole("button", { name: "Save attendance" }).click();
  await expect(therapist.getByText("Mark each person who was expected as attended, missed or excused.")).toBeVisible();
  await expectAccessible(therapist, "meeting form with nobody marked");
  await therapist.getByRole("group", { name: patient.name }).getByRole("radio", { name: "Attended" }).check();

  // A date off the group's day is refused by the server, at the field.
  await therapist.getByLabel("Meeting date").fill(programDate(-1));
  await therapist.getByRole("button", { name: "Save attendance" }).click();
  await expect(therapist.getByLabel("Meeting date")).toHaveAccessibleDescription(
    `A ${todayName}, today or earlier. Choose a date on the day this group meets.`,
  );
  await expectAccessible(therapist, "meeting form with a wrong date");
  await therapist.getByLabel("Meeting date").fill(programDate(0));

  // One screen for the whole group, by keyboard: into the patient's radio group, arrow to "Missed", submit.
  const attendance = therapist.getByRole("group", { name: patient.name });
  await tabTo(therapist, attendance.getByRole("radio", { name: "Attended" }));
  await therapist.keyboard.press("Space");
  await therapist.keyboard.press("ArrowDown");
  await expect(attendance.getByRole("radio", { name: "Missed" })).toBeChecked();
  await tabTo(therapist, therapist.getByRole("button", { name: "Save attendance" }));
  await therapist.keyboard.press("Enter");
  await expect(therapist.getByRole("status")).toHaveText("Attendance was saved.");
  await expect(attendance.getByRole("radio", { name: "Missed" })).toBeChecked();
  await expectAccessible(therapist, "meeting recorded");

  await expectPatientSchedule(page, name, "Missed", true);

  // Dana shares attendance: she sees it under the Part 2 notice, on a phone.
  await danaPage.setViewportSize({ width: 360, height: 740 });
  await danaPage.goto("/supporter");
  await danaPage.getByRole("link", { name: patient.name }).first().click();
  const section = danaPage.getByRole("region", { name: "Attendance" });
  await expect(section).toContainText(name);
  await expect(section.getByRole("row").filter({ hasText: name })).toContainText("Missed");
  await expectAccessible(danaPage, "supporter's attendance at 360 px");
  await expectNoHorizontalScroll(danaPage);

  // The patient's accounting says what Dana saw.
  await page.goto("/patient/disclosures");
  await expect(page.getByText("whether you attended a group meeting").first()).toBeVisible();
  await expectAccessible(page, "disclosure log with attendance");
});

test("without JavaScript: a wrong meeting date is refused at its field, then the meeting is recorded and the patient sees it", async ({
  patient,
  newPage,
}) => {
  test.slow();
  const therapist = await newPage({ javaScriptEnabled: false });
  await signIn(therapist, demo.therapist);
  const name = uniqueName("Morning IOP");
  await addGroupAndEnrol(therapist, patient, name, "length");

  const attendance = therapist.getByRole("group", { name: patient.name });
  await therapist.getByLabel("Meeting date").fill(programDate(-1));
  await attendance.getByRole("radio", { name: "Excused" }).check();
  await therapist.getByRole("button", { name: "Save attendance" }).click();
  await expect(therapist.getByLabel("Meeting date")).toHaveAccessibleDescription(
    `A ${todayName}, today or earlier. Choose a date on the day this group meets.`,
  );
  await therapist.getByLabel("Meeting date").fill(programDate(7));
  await therapist.getByRole("button", { name: "Save attendance" }).click();
  await expect(therapist.getByLabel("Meeting date")).toHaveAccessibleDescription(
    `A ${todayName}, today or earlier. Choose a meeting that has already happened.`,
  );
  await therapist.getByLabel("Meeting date").fill(programDate(0));
  await therapist.getByRole("group", { name: patient.name }).getByRole("radio", { name: "Excused" }).check();
  await therapist.getByRole("button", { name: "Save attendance" }).click();
  await expect(therapist.getByRole("status")).toHaveText("Attendance was saved.");
  await expect(therapist.getByRole("group", { name: patient.name }).getByRole("radio", { name: "Excused" })).toBeChecked();

  const patientPage = await newPage({ javaScriptEnabled: false });
  await signIn(patientPage, patient.email);
  await expectPatientSchedule(patientPage, name, "Excused", false);
});

test("the demo patient has the evening IOP schedule and three weeks of attendance, one missed and one excused", async ({
  page,
}) => {
  await signIn(page, demo.patient);
  await page.goto("/patient/schedule");
  for (const [group, day] of [
    ["Evening IOP: skills group", "Monday"],
    ["Evening IOP: process group", "Tuesday"],
    ["Evening IOP: family education", "Thursday"],
  ]) {
    await expect(page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: group }) })).toContainText(
      `Every ${day} at 18:00`,
    );
  }
  await expect(page.getByRole("link", { name: "Join by video (Evening IOP: family education)" })).toHaveAttribute(
    "href",
    /^https:\/\//,
  );
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(10);
  await expect(rows.filter({ hasText: "Missed" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "Excused" })).toHaveCount(1);
  await expectAccessible(page, "demo patient's schedule");
});
