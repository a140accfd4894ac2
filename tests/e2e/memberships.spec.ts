import { expect, type Page } from "@playwright/test";
import {
  activate,
  approve,
  demo,
  expectAccessible,
  expectNoHorizontalScroll,
  fillInvitation,
  invite,
  invitee,
  signIn,
  signOut,
  tabTo,
  test,
  uniqueEmail,
  uniqueName,
  type Invitee,
  type Person,
} from "./support";

/**
 * One person, several memberships: a patient of the demo program who is also in the demo patient's
 * circle chooses which role acts, and switches. Each test makes its own person (unique e-mail), and
 * looks only at rows named after them in the demo patient's circle and disclosure log, which the
 * demo data and other workers also write to.
 */

/** The demo patient, who invites. */
const jordan: Person = { name: "Jordan Rivera", email: demo.patient };
const program = "Riverbend IOP (demo)";

function roleChoice(page: Page, role: "Patient" | "Supporter") {
  return page
    .getByRole("list", { name: "Choose your role" })
    .getByRole("listitem")
    .filter({ hasText: `${role} · ${program}` });
}

function switchRole(page: Page) {
  return page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Switch role" });
}

test("a patient who also supports someone chooses a role at sign-in, switches, and each role sees only its own pages", async ({
  page,
  therapist,
  mailbox,
  newPage,
}) => {
  // Four people (admin, patient, the new person, therapist) take their turns in one journey.
  test.slow();
  // The demo admin enrols a new patient with the demo therapist; they activate from the e-mailed link.
  const person: Person = { name: uniqueName("Robin Vega"), email: uniqueEmail("patient") };
  const admin = await newPage();
  await signIn(admin, demo.admin);
  await admin.getByRole("link", { name: "Enrol a patient" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Enrol a patient" })).toBeVisible();
  await admin.getByLabel("Full name").fill(person.name);
  await admin.getByLabel("E-mail address").fill(person.email);
  await admin.getByLabel("Primary therapist").selectOption({ label: "Maya Chen" });
  await admin.getByRole("button", { name: "Enrol patient" }).click();
  await expect(admin.getByText("Patient enrolled.")).toBeVisible();

  await activate(page, mailbox, person.email);
  await expect(page).toHaveURL(/\/patient$/);
  await expect(page.getByRole("heading", { level: 1, name: `Hello, ${person.name}` })).toBeVisible();
  await expect(page.getByText("Maya Chen")).toBeVisible();
  await expect(switchRole(page)).toHaveCount(0);

  // The demo patient invites that same address; the person, signed in as their patient self, accepts.
  const demoPatient = await newPage();
  await signIn(demoPatient, jordan.email);
  await expect(switchRole(demoPatient)).toHaveCount(0);
  const asSupporter: Invitee = { ...person, relationship: "Friend", categories: ["milestones"] };
  await invite(demoPatient, jordan, asSupporter);

  const invitation = await mailbox.latestLink(person.email, /You have been invited to Care Circle/);
  expect(invitation).toContain("/invitation?token=");
  await page.goto(invitation);
  await expect(page.getByRole("heading", { level: 1, name: `${jordan.name} has invited you` })).toBeVisible();
  await expect(page.getByText("You are signed in with another account.")).toHaveCount(0);
  await expect(page.getByLabel("New password", { exact: true })).toHaveCount(0);
  await expectAccessible(page, "invitation, signed in with the address invited");
  await page.getByRole("button", { name: "Accept the invitation" }).click();
  await expect(page).toHaveURL(/\/supporter\?accepted=1$/);
  await expect(page.getByRole("heading", { level: 1, name: `Hello, ${person.name}` })).toBeVisible();
  await expect(page.getByRole("status")).toHaveText("Thank you. The request is now with their therapist.");
  await expect(page.getByRole("region", { name: `Waiting for approval: ${jordan.name}` })).toContainText(
    "Their therapist will look at it soon. Until then you will not see anything.",
  );
  await expect(switchRole(page)).toBeVisible();
  await expectAccessible(page, "supporter home of a person who is also a patient");

  await approve(therapist, jordan, person);

  // Signed in again, they are asked which role to use: on a phone, and by keyboard only.
  await signOut(page);
  await signIn(page, person.email);
  await expect(page).toHaveURL(/\/account\/roles$/);
  await expect(page.getByRole("heading", { level: 1, name: "Choose your role" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Choose your role" }).getByRole("listitem")).toHaveCount(2);
  await expect(roleChoice(page, "Patient")).toContainText(`As ${person.name}`);
  await expect(roleChoice(page, "Supporter")).toContainText(`As ${person.name}`);
  await expect(page.getByText("You are using this role now.")).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My circle" })).toHaveCount(0);
  await page.setViewportSize({ width: 360, height: 740 });
  await expectNoHorizontalScroll(page);
  await expectAccessible(page, "role chooser at 360 px");
  await tabTo(page, roleChoice(page, "Supporter").getByRole("button", { name: `Use this role Supporter, ${program}` }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/supporter$/);
  await page.setViewportSize({ width: 1280, height: 720 });

  // As the supporter: the demo patient's circle, opened twice.
  const circles = page.getByRole("region", { name: "People you support" });
  await circles.getByRole("link", { name: jordan.name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: jordan.name })).toBeVisible();
  await expect(page.getByText(/^Week \d+ of 10$/)).toBeVisible();
  const circleUrl = page.url();
  expect(circleUrl).toMatch(/\/supporter\/circles\/[^/]+$/);
  await page.reload();
  await expect(page.getByText(/^Week \d+ of 10$/)).toBeVisible();

  // "Switch role" brings back the chooser, the supporter marked as acting; as the patient, supporter pages are refused.
  await switchRole(page).click();
  await expect(page).toHaveURL(/\/account\/roles$/);
  await expect(roleChoice(page, "Supporter")).toContainText("You are using this role now.");
  await expect(roleChoice(page, "Supporter").getByRole("button")).toHaveCount(0);
  await expect(roleChoice(page, "Patient")).not.toContainText("You are using this role now.");
  await expectAccessible(page, "role chooser while acting as a supporter");
  await roleChoice(page, "Patient")
    .getByRole("button", { name: `Use this role Patient, ${program}` })
    .click();
  await expect(page).toHaveURL(/\/patient$/);
  await expect(page.getByRole("heading", { level: 1, name: `Hello, ${person.name}` })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My circle" })).toBeVisible();

  const refused = await page.goto(circleUrl);
  expect(refused?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: "Not available to you" })).toBeVisible();
  await expect(page.getByRole("main")).not.toContainText(/Week \d+ of 10/);
  await expectAccessible(page, "supporter page refused to the patient role");

  // The demo patient's log: each item once a day, with how many times it was shown.
  await demoPatient.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Who has seen my information" }).click();
  const entries = demoPatient.getByRole("list", { name: "Who has seen my information" }).getByRole("listitem");
  const sawWeek = entries.filter({ hasText: `${person.name} saw Milestones: your week in the program` });
  await expect(sawWeek).toHaveCount(1);
  await expect(sawWeek).toContainText(/ · 2 times that day, last at .+ · under consent version 1$/);
  const opened = entries.filter({ hasText: `${person.name}'s invitation was opened` });
  await expect(opened).toHaveCount(1);
  await expect(opened).toContainText(" · once that day · under consent version 1");
  await expectAccessible(demoPatient, "disclosure log with counts");
});

test("a patient cannot invite a member of their program's staff: the e-mail field says why, and nothing is created", async ({
  page,
}) => {
  const staff: Invitee = { ...invitee(uniqueName("Maya Chen"), "Friend", ["milestones"]), email: demo.therapist };
  await signIn(page, jordan.email);
  await page.goto("/patient/circle/invite");
  await fillInvitation(page, staff);
  await page.getByRole("button", { name: "Review the consent" }).click();
  await expect(page.getByRole("region", { name: "Your consent" })).toContainText(
    `with ${staff.name} (Friend, ${demo.therapist}).`,
  );
  await page.getByLabel("Your full name, as your signature").fill(jordan.name);
  await page.getByRole("button", { name: "Sign and send the invitation" }).click();

  const email = page.getByLabel("E-mail address");
  await expect(email).toHaveAccessibleDescription(
    /This address belongs to a member of your program's staff, who cannot join your circle as a supporter\. Enter the personal address of someone who supports you\.$/,
  );
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toHaveValue(demo.therapist);
  await expect(page).toHaveURL(/\/patient\/circle\/invite$/);
  await expectAccessible(page, "invitation refused for a staff address");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My circle" }).click();
  const circle = page.getByRole("list", { name: "My care circle" });
  await expect(circle.getByRole("listitem").filter({ hasText: "Pat Rivera" })).toBeVisible();
  await expect(circle.getByRole("listitem").filter({ hasText: staff.name })).toHaveCount(0);
});
