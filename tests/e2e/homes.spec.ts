import { expect, type Page } from "@playwright/test";
import {
  demo,
  expectAccessible,
  expectNoHorizontalScroll,
  invitee,
  joinCircle,
  openPatientPage,
  programDate,
  signIn,
  signOut,
  tabTo,
  test,
} from "./support";

/**
 * Each role's first screen on a 360 px phone: what is new since the person last marked it seen, where to
 * act on each line, and "seen" kept on the server so another device agrees. Every state passes axe.
 */

const phone = { width: 360, height: 780 };
test.use({ viewport: phone });

function whatIsNew(page: Page) {
  return page.getByRole("region", { name: "What is new" });
}

async function expectHome(page: Page, label: string) {
  await expectAccessible(page, label);
  await expectNoHorizontalScroll(page);
}

test("the patient and a new supporter learn what is new on their homes, act on it, and mark it seen on every device", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  test.slow();
  await page.goto("/patient");
  await expect(whatIsNew(page)).toContainText("Nothing new since you last looked.");
  await expectHome(page, "patient home, nothing new");

  // A check-in written before anyone joins, for the care team only.
  await page.goto("/patient/check-ins/new");
  await page.getByRole("group", { name: "Mood" }).getByRole("radio", { name: "3 – Okay" }).check();
  await page.getByLabel("Wins").fill("Went to group twice");
  await page.getByRole("button", { name: "Save check-in" }).click();
  await expect(page.getByRole("status")).toHaveText("Your check-in is saved.");

  const dana = invitee("Dana Park", "Parent", ["progress", "education"]);
  const danaPage = await joinCircle({ page, patient, therapist, mailbox, newPage: () => newPage({ viewport: phone }) }, dana);

  // The supporter, just approved: told why there is nothing yet, and what will appear.
  await danaPage.goto("/supporter");
  await expect(whatIsNew(danaPage).getByRole("link")).toHaveText([
    `You are now in ${patient.name}'s care circle. What ${patient.name} shares with you will appear here.`,
  ]);
  await expectHome(danaPage, "supporter home, just approved");
  await danaPage.goto("/supporter/updates");
  await expect(danaPage.getByRole("main")).toContainText(
    `${patient.name} chooses which check-ins to share with you, one at a time. When ${patient.name} shares one, it appears here.`,
  );
  await expectHome(danaPage, "supporter updates, just approved");

  // The patient: Dana accepted, then was approved, with the offer to share earlier check-ins.
  await page.goto("/patient");
  await expect(whatIsNew(page).getByRole("listitem")).toHaveCount(2);
  await expect(whatIsNew(page).getByRole("listitem").first()).toContainText(`Your therapist approved ${dana.name}.`);
  await expect(whatIsNew(page).getByRole("listitem").last()).toContainText(`${dana.name} accepted your invitation.`);
  await expect(
    whatIsNew(page).getByRole("link", { name: `Choose earlier check-ins to share with ${dana.name}` }),
  ).toHaveAttribute("href", /\/patient\/circle\/[^/]+\/earlier-check-ins$/);
  await expectHome(page, "patient home, supporter approved");

  // The patient takes the offer and picks the earlier check-in for Dana.
  await whatIsNew(page)
    .getByRole("link", { name: `Choose earlier check-ins to share with ${dana.name}` })
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Share earlier check-ins with ${dana.name}`);
  await page.getByRole("button", { name: `Share with ${dana.name}` }).click();
  await expect(page.getByText("Pick at least one check-in to share, or choose Not now.")).toBeVisible();
  await expectHome(page, "earlier check-ins, nothing picked");
  await page.getByRole("checkbox", { name: /^Share the check-in of / }).check();
  await page.getByRole("button", { name: `Share with ${dana.name}` }).click();
  await expect(page.getByRole("status")).toHaveText("The check-ins you chose are now shared.");

  // The patient shares a check-in with Dana, and the therapist asks Dana to read a module.
  await page.goto("/patient/check-ins/new");
  await page.getByRole("group", { name: "Mood" }).getByRole("radio", { name: "4 – Good" }).check();
  await page
    .getByRole("group", { name: "Share with people in my circle" })
    .getByRole("checkbox", { name: dana.name, exact: true })
    .check();
  await page.getByRole("button", { name: "Save check-in" }).click();
  await expect(page.getByRole("status")).toHaveText("Your check-in is saved.");
  await openPatientPage(therapist, patient);
  await therapist.getByRole("link", { name: "Family learning" }).click();
  const module = therapist.getByLabel("Module");
  const firstModule = (await module.locator("option").nth(1).textContent())!.replace(/ \(\d+ minutes?\)$/, "");
  await module.selectOption({ index: 1 });
  await therapist.getByLabel("Who should take it").selectOption({ label: dana.name });
  await therapist.getByLabel("Due date (optional)").fill(programDate(3));
  await therapist.getByRole("button", { name: "Assign the module" }).click();
  await expect(therapist.getByRole("status")).toContainText("The module was assigned.");

  // Dana's home: both lines, newest first, the new check-in beside Jordan's name, and the module to read.
  await danaPage.goto("/supporter");
  const lines = whatIsNew(danaPage).getByRole("listitem");
  await expect(lines).toHaveCount(4);
  await expect(lines.nth(0)).toContainText(`You were asked to read “${firstModule}” to support ${patient.name}.`);
  await expect(lines.nth(1)).toContainText(`${patient.name} shared a check-in with you.`);
  await expect(lines.nth(2)).toContainText(`${patient.name} shared a check-in with you.`);
  await expect(danaPage.getByRole("listitem").filter({ hasText: patient.name }).getByText("2 new check-ins")).toBeVisible();
  const toDo = danaPage.getByRole("region", { name: "Modules to read" });
  await expect(toDo.getByRole("link", { name: firstModule })).toBeVisible();
  await expect(toDo).toContainText("Not started");
  await expectHome(danaPage, "supporter home, with news");

  // Each line leads where the supporter acts.
  await lines.nth(1).getByRole("link").click();
  await expect(danaPage).toHaveURL(/\/supporter\/updates$/);
  await expect(danaPage.getByText("Went to group twice")).toBeVisible();
  await danaPage.goBack();
  await lines.nth(0).getByRole("link").click();
  await expect(danaPage.getByRole("heading", { level: 1, name: firstModule })).toBeVisible();

  // Marked seen on the phone: on a second device, without JavaScript, nothing is new either.
  await danaPage.goto("/supporter");
  await danaPage.getByRole("button", { name: "Mark all as seen" }).click();
  await expect(whatIsNew(danaPage)).toContainText("Nothing new since you last looked.");
  await expect(danaPage.getByText("2 new check-ins")).toHaveCount(0);
  await expectHome(danaPage, "supporter home, all seen");
  const laptop = await newPage({ javaScriptEnabled: false, viewport: phone });
  await signIn(laptop, dana.email, "supporter password one");
  await laptop.goto("/supporter");
  await expect(whatIsNew(laptop)).toContainText("Nothing new since you last looked.");

  // The patient marks seen without JavaScript too.
  const patientLaptop = await newPage({ javaScriptEnabled: false, viewport: phone });
  await signIn(patientLaptop, patient.email);
  await patientLaptop.goto("/patient");
  await patientLaptop.getByRole("button", { name: "Mark all as seen" }).click();
  await expect(whatIsNew(patientLaptop)).toContainText("Nothing new since you last looked.");
  await page.goto("/patient");
  await expect(whatIsNew(page)).toContainText("Nothing new since you last looked.");
});

test("the therapist's and the admin's homes fit a phone and pass axe", async ({ page, newPage }) => {
  await signIn(page, demo.therapist);
  await page.goto("/therapist");
  await expectHome(page, "therapist home");
  const admin = await newPage({ viewport: phone });
  await signIn(admin, demo.admin);
  await admin.goto("/admin");
  await expectHome(admin, "admin home");
});

test("on a phone the navigation is one Menu that opens by keyboard, and without JavaScript too", async ({ page, newPage }) => {
  await signIn(page, demo.patient);
  const navigation = page.getByRole("navigation", { name: "Main" });
  const menu = navigation.getByText("Menu", { exact: true });
  const header = await page.locator(".site-header").boundingBox();
  expect(header!.height, "the header takes one row").toBeLessThan(80);
  await expect(navigation.getByRole("link", { name: "My circle" })).toBeHidden();
  await expectHome(page, "menu closed");

  await tabTo(page, menu);
  await page.keyboard.press("Enter");
  const circle = navigation.getByRole("link", { name: "My circle" });
  await expect(circle).toBeVisible();
  await expectHome(page, "menu open");
  await tabTo(page, circle);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "My care circle" })).toBeVisible();
  await expect(circle).toBeHidden();
  await signOut(page);

  const noScript = await newPage({ javaScriptEnabled: false, viewport: phone });
  await signIn(noScript, demo.patient);
  await noScript.getByRole("navigation", { name: "Main" }).getByText("Menu", { exact: true }).click();
  await noScript.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Check-ins" }).click();
  await expect(noScript.getByRole("heading", { level: 1, name: "My check-ins" })).toBeVisible();

  const wide = await newPage({ viewport: { width: 1280, height: 800 } });
  await signIn(wide, demo.patient);
  await expect(wide.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My circle" })).toBeVisible();
  await expect(wide.getByText("Menu", { exact: true })).toBeHidden();
});
