import { expect, type Locator, type Page } from "@playwright/test";
import {
  demo,
  expectAccessible,
  expectNoHorizontalScroll,
  openPatientPage,
  showPatientsNamed,
  signIn,
  tabTo,
  test,
  uniqueEmail,
  uniqueName,
} from "./support";

/**
 * Journeys 4 and 5: ending an episode behind its confirmation (a page without JavaScript, a dialog
 * with it), starting aftercare, disabling a therapist with a handover, hiding a module. Every test
 * makes its own people, named "Aaa …" so that they come first in the admin's lists; the demo patient
 * and the demo therapist are never ended or disabled.
 */

const phone = { width: 360, height: 740 };

/** The admin's list item of one person. */
function accountRow(admin: Page, name: string) {
  return admin.getByRole("listitem").filter({ hasText: name });
}

/** The admin enrols a new patient with `therapist` (no activation needed: the admin's pages are enough). */
async function enrolAsAdmin(admin: Page, name: string, therapist = "Maya Chen") {
  await admin.goto("/admin/patients/new");
  await admin.getByLabel("Full name").fill(name);
  await admin.getByLabel("E-mail address").fill(uniqueEmail("patient"));
  await admin.getByLabel("Primary therapist").selectOption({ label: therapist });
  await admin.getByRole("button", { name: "Enrol patient" }).click();
  await expect(admin.getByText("Patient enrolled.")).toBeVisible();
}

/** The dialog is open, holds the focus, and passes axe. */
async function expectOpenDialog(page: Page, dialog: Locator) {
  await expect(dialog).toBeVisible();
  expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
  await expectAccessible(page, "confirmation dialog");
}

test("the primary therapist ends their patient's episode in a dialog; Escape and Cancel change nothing", async ({
  page,
  therapist,
  patient,
}) => {
  await openPatientPage(therapist, patient);
  const trigger = therapist.getByRole("button", { name: "End the episode" });
  const dialog = therapist.getByRole("dialog", { name: `End ${patient.name}'s episode?` });

  // By keyboard: the dialog opens, Escape closes it and the focus comes back to the button.
  await tabTo(therapist, trigger);
  await therapist.keyboard.press("Enter");
  await expectOpenDialog(therapist, dialog);
  await expect(dialog).toContainText("whatever its consent said");
  await therapist.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(trigger).toBeFocused();

  await trigger.click();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await therapist.reload();
  await expect(therapist.getByRole("button", { name: "End the episode" })).toBeVisible();

  await therapist.getByRole("button", { name: "End the episode" }).click();
  await dialog.getByRole("radio", { name: "Completed" }).check();
  await dialog.getByRole("button", { name: "End the episode" }).click();
  await expect(therapist).toHaveURL(/\/therapist\?episodeEnded=1$/);
  await expect(therapist.getByText("The episode has ended")).toBeVisible();
  await showPatientsNamed(therapist, patient.name);
  await expect(therapist).toHaveURL(/[?&]name=/);
  await expect(therapist.getByRole("link", { name: patient.name })).toHaveCount(0);

  await page.reload();
  await expect(page.getByText("You are not enrolled in a program right now.")).toBeVisible();
});

test("without JavaScript the admin ends an episode on the confirmation page, then starts aftercare (360 px)", async ({
  newPage,
}) => {
  const admin = await newPage({ javaScriptEnabled: false, viewport: phone });
  await signIn(admin, demo.admin);
  // axe needs scripts to run: the same pages are checked on a second page with scripts on.
  const checker = await newPage({ viewport: phone });
  await signIn(checker, demo.admin);
  const name = uniqueName("Aaa Ending");
  await enrolAsAdmin(admin, name);

  await admin.goto("/admin");
  await accountRow(admin, name)
    .getByRole("link", { name: `End the program episode ${name}` })
    .click();
  await expect(admin.getByRole("heading", { level: 1, name: `End ${name}'s episode?` })).toBeVisible();
  await expect(admin.getByText(`${name} keeps their account, their history and their disclosure log.`)).toBeVisible();
  await expectNoHorizontalScroll(admin);
  await checker.goto(admin.url());
  await expectAccessible(checker, "confirmation page");

  // No reason: the message is at the field and the episode is still open.
  await admin.getByRole("button", { name: "End the episode" }).click();
  await expect(admin.getByRole("group", { name: "Why does the episode end?" })).toHaveAccessibleDescription(
    "Choose why the episode ends.",
  );
  await checker.getByRole("button", { name: "End the episode" }).click();
  await expect(checker.getByText("Choose why the episode ends.")).toBeVisible();
  await expectAccessible(checker, "confirmation page with an error");
  await admin.getByRole("link", { name: "Cancel" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: `Episodes of ${name}` })).toBeVisible();
  await expect(admin.getByRole("link", { name: "End the episode" })).toBeVisible();

  await admin.getByRole("link", { name: "End the episode" }).click();
  await admin.getByRole("radio", { name: "Transferred" }).check();
  await admin.getByRole("button", { name: "End the episode" }).click();
  await expect(admin.getByText("The episode has ended")).toBeVisible();
  await expect(admin.getByRole("list", { name: "Episodes" })).toContainText("Transferred");
  await checker.goto(admin.url());
  await expectAccessible(checker, "patient's episodes after the end");

  await admin.getByLabel("Kind of episode").selectOption({ label: "Aftercare" });
  await admin.getByLabel("Primary therapist").selectOption({ label: "Maya Chen" });
  await admin.getByRole("button", { name: "Start the episode" }).click();
  await expect(admin.getByText("The new episode has started.")).toBeVisible();
  await expect(admin.getByRole("list", { name: "Episodes" })).toContainText("Aftercare since");
  await expectNoHorizontalScroll(admin);
  await checker.goto(admin.url());
  await expectAccessible(checker, "patient's episodes in aftercare");
});

test("the admin disables a therapist in a dialog, handing their patients to a named colleague", async ({ newPage }) => {
  const admin = await newPage({ viewport: phone });
  await signIn(admin, demo.admin);
  const therapistName = uniqueName("Aaa Leaving");
  await admin.goto("/admin/therapists/new");
  await admin.getByLabel("Full name").fill(therapistName);
  await admin.getByLabel("E-mail address").fill(uniqueEmail("therapist"));
  await admin.getByRole("button", { name: "Add therapist" }).click();
  await expect(admin.getByText("Therapist added.")).toBeVisible();
  const patientName = uniqueName("Aaa Handed");
  await enrolAsAdmin(admin, patientName, therapistName);

  await admin.goto("/admin");
  await accountRow(admin, therapistName)
    .getByRole("button", { name: `Disable account ${therapistName}` })
    .click();
  const dialog = admin.getByRole("dialog", { name: `Disable ${therapistName}?` });
  await expectOpenDialog(admin, dialog);
  await expect(dialog).toContainText("primary therapist of 1 patient");
  await expectNoHorizontalScroll(admin);

  // No colleague: the confirmation comes back as its page, with the message at the field.
  await dialog.getByRole("button", { name: "Disable the account" }).click();
  await expect(admin.getByText("Choose the colleague who takes their patients.")).toBeVisible();
  await expectAccessible(admin, "disable page with an error");
  await admin.getByLabel("Colleague who takes their patients").selectOption({ label: "Maya Chen" });
  await admin.getByRole("button", { name: "Disable the account" }).click();
  await expect(admin.getByText("The account is disabled")).toBeVisible();
  await expect(accountRow(admin, therapistName)).toContainText("Disabled");

  await accountRow(admin, patientName)
    .getByRole("link", { name: `Episodes ${patientName}` })
    .click();
  await expect(admin.getByRole("list", { name: "Episodes" })).toContainText("with Maya Chen");
});

test("the admin hides a module from assignment and shows it again", async ({ newPage }) => {
  const admin = await newPage();
  await signIn(admin, demo.admin);
  await admin.goto("/admin");
  await admin.getByRole("link", { name: "Module library" }).click();
  await expectAccessible(admin, "module library");
  const item = admin.getByRole("listitem").filter({ hasText: "After the Program" });
  await item.getByRole("button", { name: /^Hide from assignment/ }).click();
  await expect(admin.getByText("The module is hidden from assignment.")).toBeVisible();
  await expect(item).toContainText("Hidden from assignment");
  await expectAccessible(admin, "module library with a hidden module");

  const therapist = await newPage();
  await signIn(therapist, demo.therapist);
  await therapist.goto("/therapist/patients/demo-patient/learning");
  await expect(therapist.getByRole("option", { name: /After the Program/ })).toHaveCount(0);
  await expect(therapist.getByRole("option", { name: /Welcome/ })).toHaveCount(1);

  await item.getByRole("button", { name: /^Offer for assignment again/ }).click();
  await expect(admin.getByText("The module is offered for assignment again.")).toBeVisible();
  await therapist.reload();
  await expect(therapist.getByRole("option", { name: /After the Program/ })).toHaveCount(1);
});
