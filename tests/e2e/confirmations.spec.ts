import { expect, type Page } from "@playwright/test";
import {
  circleMember,
  expectAccessible,
  expectNoHorizontalScroll,
  invitee,
  joinCircle,
  signIn,
  test,
  type Cast,
  type Invitee,
} from "./support";

/**
 * Ending sharing, leaving a circle and deleting a check-in cannot be undone, so each is confirmed
 * first: on a page of its own without JavaScript, in a dialog with it. Cancelling changes nothing;
 * confirming takes effect at once. On a 360 px phone, with axe on every state.
 */

const phone = { width: 360, height: 780 };
test.use({ viewport: phone });

async function expectChecked(page: Page, label: string) {
  await expectAccessible(page, label);
  await expectNoHorizontalScroll(page);
}

/** A supporter's page with JavaScript off, signed in with the password they chose on accepting. */
async function withoutJavaScript(newPage: (options: object) => Promise<Page>, email: string, password: string) {
  const page = await newPage({ javaScriptEnabled: false, viewport: phone });
  await signIn(page, email, password);
  return page;
}

/** Dana and Lee, both approved into the patient's circle, each signed in on a phone. */
async function circleOfTwo(cast: Cast) {
  const dana: Invitee = invitee("Dana Park", "Parent", ["progress"]);
  const lee: Invitee = invitee("Lee Park", "Friend", ["progress"]);
  return { dana, danaPage: await joinCircle(cast, dana), lee, leePage: await joinCircle(cast, lee) };
}

async function leave(page: Page) {
  await page.goto("/supporter");
  await page.getByRole("link", { name: /^What you may see, and why/ }).click();
}

test("with JavaScript the patient ends sharing in a dialog; without it a supporter leaves from a page", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  test.slow();
  const { dana, danaPage, lee } = await circleOfTwo({
    page,
    patient,
    therapist,
    mailbox,
    newPage: () => newPage({ viewport: phone }),
  });

  // The dialog: Escape and Cancel change nothing, and the focus comes back to the button.
  await page.goto("/patient/circle");
  const trigger = circleMember(page, dana).getByRole("button", { name: `End sharing ${dana.name}` });
  await trigger.click();
  const dialog = page.getByRole("dialog", { name: `End sharing with ${dana.name}?` });
  await expect(dialog).toContainText(`${dana.name} stops seeing everything you shared, at once`);
  await expectChecked(page, "ending sharing, the dialog");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(trigger).toBeFocused();
  await trigger.click();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await page.reload();
  await expect(circleMember(page, dana)).toContainText("Sharing");

  await trigger.click();
  await dialog.getByRole("button", { name: `End sharing with ${dana.name}` }).click();
  await expect(page.getByRole("status")).toHaveText("Sharing has ended. They can no longer see anything from now on.");
  await expect(circleMember(page, dana)).toContainText("Ended");

  // Dana's home and updates say that the circle ended, and when.
  await danaPage.goto("/supporter");
  const endedOn = `Your place in ${patient.name}'s care circle ended on `;
  await expect(danaPage.getByRole("region", { name: "Past circles" })).toContainText(endedOn);
  await expectChecked(danaPage, "supporter home, circle ended");
  await danaPage.goto("/supporter/updates");
  await expect(danaPage.getByRole("main")).toContainText(endedOn);
  await expectChecked(danaPage, "supporter updates, circle ended");

  // Lee, without JavaScript: the button is a link to a page that says what will happen.
  const leePage = await withoutJavaScript(newPage, lee.email, "supporter password one");
  await leave(leePage);
  await leePage.getByRole("link", { name: "Leave the circle" }).click();
  await expect(leePage).toHaveURL(/\/consent\?confirm=leave$/);
  await expect(leePage.getByRole("heading", { level: 1 })).toHaveText("Leave this care circle?");
  await leePage.getByRole("link", { name: "Cancel" }).click();
  await expect(leePage.getByRole("heading", { level: 1 })).toHaveText("What you can see, and why");
  await leave(leePage);
  await leePage.getByRole("link", { name: "Leave the circle" }).click();
  await leePage.getByRole("button", { name: "Leave the circle" }).click();
  await expect(leePage.getByRole("status")).toHaveText("You have left the circle.");
  await page.goto("/patient/circle");
  await expect(circleMember(page, lee)).toContainText("Ended");
});

test("without JavaScript the patient ends sharing from a page; with it a supporter leaves in a dialog", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  test.slow();
  const { dana, lee, leePage } = await circleOfTwo({
    page,
    patient,
    therapist,
    mailbox,
    newPage: () => newPage({ viewport: phone }),
  });

  const patientPage = await newPage({ javaScriptEnabled: false, viewport: phone });
  await signIn(patientPage, patient.email);
  await patientPage.goto("/patient/circle");
  await circleMember(patientPage, dana)
    .getByRole("link", { name: `End sharing ${dana.name}` })
    .click();
  await expect(patientPage.getByRole("heading", { level: 1 })).toHaveText(`End sharing with ${dana.name}?`);
  const confirmationAddress = patientPage.url();
  await patientPage.getByRole("link", { name: "Cancel" }).click();
  await expect(circleMember(patientPage, dana)).toContainText("Sharing");
  // The same page, checked with axe where scripts run.
  await page.goto(confirmationAddress);
  await expectChecked(page, "ending sharing, the page");
  await patientPage.goto(confirmationAddress);
  await patientPage.getByRole("button", { name: `End sharing with ${dana.name}` }).click();
  await expect(patientPage.getByRole("status")).toHaveText("Sharing has ended. They can no longer see anything from now on.");
  await expect(circleMember(patientPage, dana)).toContainText("Ended");
  // Asked again for someone whose sharing has ended, the page only shows how things stand.
  await patientPage.goto(confirmationAddress);
  await expect(patientPage.getByRole("heading", { level: 1 })).toHaveText("My care circle");

  await leave(leePage);
  const leaveButton = leePage.getByRole("button", { name: "Leave the circle" });
  await leaveButton.click();
  const dialog = leePage.getByRole("dialog", { name: "Leave this care circle?" });
  await expectChecked(leePage, "leaving, the dialog");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(leaveButton).toBeFocused();
  await leaveButton.click();
  await dialog.getByRole("button", { name: "Leave the circle" }).click();
  await expect(leePage.getByRole("status")).toHaveText("You have left the circle.");
  await page.goto("/patient/circle");
  await expect(circleMember(page, lee)).toContainText("Ended");
});

test("without JavaScript a check-in is deleted only from its confirmation page", async ({ page, patient, newPage }) => {
  await page.goto("/patient/check-ins/new");
  await page.getByLabel("Wins").fill("A quiet evening");
  await page.getByRole("button", { name: "Save check-in" }).click();
  await expect(page.getByRole("status")).toHaveText("Your check-in is saved.");

  const noScript = await newPage({ javaScriptEnabled: false, viewport: phone });
  await signIn(noScript, patient.email);
  await noScript.goto("/patient/check-ins");
  await noScript.getByRole("link", { name: "Edit or delete" }).click();
  await noScript.getByRole("link", { name: "Delete check-in" }).click();
  await expect(noScript.getByRole("heading", { level: 1 })).toHaveText("Delete this check-in?");
  await page.goto(noScript.url());
  await expectChecked(page, "deleting a check-in, the page");
  await noScript.getByRole("link", { name: "Cancel" }).click();
  await expect(noScript.getByRole("heading", { level: 1 })).toHaveText("Edit check-in");
  await noScript.goto("/patient/check-ins");
  await expect(noScript.getByText("A quiet evening")).toBeVisible();

  await noScript.getByRole("link", { name: "Edit or delete" }).click();
  await noScript.getByRole("link", { name: "Delete check-in" }).click();
  await noScript.getByRole("button", { name: "Delete check-in" }).click();
  await expect(noScript.getByRole("status")).toHaveText("Your check-in is deleted. Nobody can see it any more.");
  await expect(noScript.getByText("A quiet evening")).toHaveCount(0);
});
