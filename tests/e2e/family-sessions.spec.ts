import fs from "node:fs";
import { expect, type Page } from "@playwright/test";
import {
  demo,
  expectAccessible,
  expectNoHorizontalScroll,
  invitee,
  joinCircle,
  openNavigation,
  openPatientPage,
  type Person,
  programDate,
  signIn,
  test,
} from "./support";

/**
 * Family sessions (issue 15, journey 3): the therapist proposes a session for their patient and
 * invites two supporters; one accepts with JavaScript, the other declines without it; the patient
 * sees who is coming on a phone and downloads the calendar file; the therapist changes and then
 * cancels it without JavaScript; a supporter's calendar feed works until it is turned off. Each
 * test enrols its own patient, so nothing here touches another spec's data.
 */

const supporterPassword = "supporter password one";

async function openSessions(therapist: Page, patient: Person) {
  await openPatientPage(therapist, patient);
  await therapist.getByRole("link", { name: "Family sessions" }).click();
  await expect(therapist.getByRole("heading", { level: 1, name: `Family sessions with ${patient.name}` })).toBeVisible();
}

async function fillSession(page: Page, date: string, start: string, end: string, place: string) {
  await page.getByLabel("Date", { exact: true }).fill(date);
  await page.getByLabel("Starts at").fill(start);
  await page.getByLabel("Ends at").fill(end);
  await page.getByLabel("Place").fill(place);
}

function sessionItem(page: Page, place: string) {
  return page.getByRole("listitem").filter({ hasText: `Where: ${place}` });
}

test("the therapist invites two supporters; one accepts, one declines without JavaScript; the patient sees who is coming and downloads the .ics", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  test.slow();
  const cast = { page, patient, therapist, mailbox, newPage };
  const dana = invitee("Dana Park", "Parent", ["progress"]);
  const lee = invitee("Lee Park", "Brother or sister", ["milestones"]);
  const danaPage = await joinCircle(cast, dana);
  await joinCircle(cast, lee);
  const date = programDate(9);

  // 1. The therapist proposes: first with nothing filled in, then a session.
  await openSessions(therapist, patient);
  await expect(therapist.getByText("No family sessions are planned.")).toBeVisible();
  await expectAccessible(therapist, "family sessions, none yet");
  await therapist.getByRole("button", { name: "Propose and send invitations" }).click();
  await expect(therapist.getByLabel("Date", { exact: true })).toHaveAccessibleDescription("Enter a date.");
  await expect(therapist.getByText("Choose at least one person to invite.")).toBeVisible();
  await expectAccessible(therapist, "propose form with errors");
  await fillSession(therapist, date, "18:00", "17:00", "Family room, 2nd floor");
  await therapist.getByRole("checkbox", { name: dana.name }).check();
  await therapist.getByRole("checkbox", { name: lee.name }).check();
  await therapist.getByRole("button", { name: "Propose and send invitations" }).click();
  await expect(therapist.getByLabel("Ends at")).toHaveAccessibleDescription("The end must be after the start.");
  await therapist.getByLabel("Ends at").fill("19:00");
  await therapist.getByRole("button", { name: "Propose and send invitations" }).click();
  await expect(therapist.getByRole("status")).toHaveText("The session is planned and the invitations are sent.");
  const planned = sessionItem(therapist, "Family room, 2nd floor");
  await expect(planned).toContainText("6:00 PM");
  await expect(planned).toContainText(`${dana.name}: no answer yet`);
  await expectAccessible(therapist, "family sessions, one planned");

  // 2. The invitation tells Dana only when and where, and never names the patient in its subject.
  const invitation = await mailbox.latestMessage(dana.email, /Care Circle meeting: invitation/);
  expect(invitation).toContain("Family room, 2nd floor");
  expect(invitation).not.toContain(patient.name);

  // 3. Dana accepts, with JavaScript, on a phone.
  await danaPage.setViewportSize({ width: 360, height: 740 });
  await danaPage.goto("/supporter");
  await danaPage.getByRole("link", { name: "You have 1 meeting invitation to answer." }).click();
  const danaInvite = sessionItem(danaPage, "Family room, 2nd floor");
  await expect(danaInvite).toContainText("Your answer: no answer yet");
  await expectAccessible(danaPage, "supporter's invitation at 360 px");
  await expectNoHorizontalScroll(danaPage);
  await danaInvite.getByRole("button", { name: "I will come" }).click();
  await expect(danaPage.getByRole("status")).toHaveText("Thank you: you said you are coming.");
  await expect(sessionItem(danaPage, "Family room, 2nd floor")).toContainText("Your answer: coming");
  await expectAccessible(danaPage, "supporter accepted");

  // 4. Lee declines, without JavaScript.
  const leePage = await newPage({ javaScriptEnabled: false });
  await signIn(leePage, lee.email, supporterPassword);
  await leePage.goto("/supporter/family-sessions");
  await sessionItem(leePage, "Family room, 2nd floor").getByRole("button", { name: "I cannot come" }).click();
  await expect(leePage.getByRole("status")).toHaveText("Thank you: you said you cannot come.");
  await expect(sessionItem(leePage, "Family room, 2nd floor")).toContainText("Your answer: not coming");

  // 5. The patient sees who is coming, on a phone, and adds it to their calendar.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/patient");
  await openNavigation(page);
  await page.getByRole("link", { name: "Family sessions" }).click();
  const mine = sessionItem(page, "Family room, 2nd floor");
  await expect(mine).toContainText(`${dana.name}: coming`);
  await expect(mine).toContainText(`${lee.name}: not coming`);
  await expect(mine).toContainText("6:00 PM");
  await expectAccessible(page, "patient's family sessions at 360 px");
  await expectNoHorizontalScroll(page);
  const downloading = page.waitForEvent("download");
  await mine.getByRole("link", { name: "Add to my calendar (.ics)" }).click();
  const ics = fs.readFileSync(await (await downloading).path(), "utf8");
  expect(ics).toContain("SUMMARY:Care Circle meeting");
  expect(ics).toContain(`DTSTART;TZID=America/Chicago:${date.replaceAll("-", "")}T180000`);
  expect(ics).toContain("BEGIN:VTIMEZONE");
  expect(ics).not.toContain(patient.name);
});

test("without JavaScript the therapist proposes, changes and cancels; a supporter's calendar feed works until turned off", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
  request,
}) => {
  test.slow();
  const sam = invitee("Sam Ortiz", "Friend", ["progress"]);
  const samPage = await joinCircle({ page, patient, therapist, mailbox, newPage }, sam);
  const noScript = await newPage({ javaScriptEnabled: false });
  await signIn(noScript, demo.therapist);
  await openSessions(noScript, patient);

  // Proposing: a video link that is not https is refused at its field; then the session is planned.
  await fillSession(noScript, programDate(12), "10:00", "11:00", "");
  await noScript.getByLabel("Video link (https)").fill("http://video.example.test/room");
  await noScript.getByRole("checkbox", { name: sam.name }).check();
  await noScript.getByRole("button", { name: "Propose and send invitations" }).click();
  await expect(noScript.getByLabel("Video link (https)")).toHaveAccessibleDescription(
    "Enter a video link that starts with https://.",
  );
  await expect(noScript.getByLabel("Video link (https)")).toHaveAttribute("aria-invalid", "true");
  await noScript.getByLabel("Video link (https)").fill("https://video.example.test/room");
  await noScript.getByRole("checkbox", { name: sam.name }).check();
  await noScript.getByRole("button", { name: "Propose and send invitations" }).click();
  await expect(noScript.getByRole("status")).toHaveText("The session is planned and the invitations are sent.");

  // Changing it to a place; then cancelling it.
  await noScript.getByRole("link", { name: "Change or cancel" }).click();
  await expect(noScript.getByRole("heading", { level: 1, name: "Change a family session" })).toBeVisible();
  await noScript.getByLabel("Place").fill("Room 4");
  await noScript.getByRole("button", { name: "Save and tell everyone" }).click();
  await expect(noScript.getByRole("status")).toHaveText("The session is changed and everyone has been told.");
  await expect(sessionItem(noScript, "Room 4")).toContainText("10:00 AM");
  const changed = await mailbox.latestMessage(sam.email, /Care Circle meeting: changed/);
  expect(changed).toContain("Room 4");

  // The same pages with JavaScript pass axe.
  await openSessions(therapist, patient);
  await therapist.getByRole("link", { name: "Change or cancel" }).click();
  await expectAccessible(therapist, "change a session");

  // Sam's calendar feed carries the session, until Sam turns it off.
  await samPage.goto("/account");
  await samPage.getByRole("link", { name: "Calendar feed" }).click();
  await expect(samPage.getByText("You have no calendar feed.")).toBeVisible();
  await expectAccessible(samPage, "calendar feed, none");
  await samPage.getByRole("button", { name: "Make a feed address" }).click();
  const address = await samPage.getByLabel("Feed address").inputValue();
  await expectAccessible(samPage, "calendar feed, address shown once");
  const live = await request.get(address);
  expect(live.status()).toBe(200);
  expect(await live.text()).toContain("LOCATION:Room 4");

  await noScript.getByRole("link", { name: "Change or cancel" }).click();
  await noScript.getByRole("button", { name: "Cancel the session" }).click();
  await expect(noScript.getByRole("status")).toHaveText("The session is cancelled and everyone has been told.");
  await expect(sessionItem(noScript, "Room 4")).toContainText("Cancelled");
  expect(await (await request.get(address)).text()).toContain("STATUS:CANCELLED");
  await openSessions(therapist, patient);
  await expect(sessionItem(therapist, "Room 4")).toContainText("Cancelled");
  await expectAccessible(therapist, "family sessions, one cancelled");
  await samPage.goto("/supporter/family-sessions");
  await expect(sessionItem(samPage, "Room 4")).toContainText("Cancelled");
  await expect(sessionItem(samPage, "Room 4").getByRole("button")).toHaveCount(0);
  await expectAccessible(samPage, "supporter's cancelled meeting");
  await samPage.goto("/account/calendar");

  await samPage.getByRole("button", { name: "Turn the feed off" }).click();
  await expect(samPage.getByRole("status")).toHaveText("Your calendar feed is off: its address no longer works.");
  await expectAccessible(samPage, "calendar feed, turned off");
  expect((await request.get(address)).status()).toBe(404);
});
