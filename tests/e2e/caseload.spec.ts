import { expect, type Page } from "@playwright/test";
import { demo, expectAccessible, expectNoHorizontalScroll, signIn, test, uniqueName } from "./support";

/**
 * The therapist's caseload, read as a therapist on a phone would: each patient's figures and the
 * reasons they need attention, then filters, with JavaScript and without (axe needs scripts, so the
 * states are checked with it in the tests that have them). Other specs enrol patients
 * of the demo therapist at the same time, so every check narrows the list by name first.
 */

const jordan = "Jordan Rivera";

function card(page: Page, name: string) {
  return page.getByRole("article", { name });
}

test.use({ viewport: { width: 360, height: 780 } });

test("the caseload shows each patient's week, figures and reasons, and filters by keyboard", async ({ page }) => {
  await signIn(page, demo.therapist);
  await expect(page.getByRole("heading", { level: 1, name: "Your caseload" })).toBeVisible();
  await expectAccessible(page, "caseload");
  await expectNoHorizontalScroll(page);

  // Narrow to Jordan by keyboard: type a name, tick "needs attention", submit with Enter.
  await page.getByLabel("Name contains").fill("Jordan");
  await page.getByLabel("Only patients who need attention").focus();
  await page.keyboard.press("Space");
  await page.getByLabel("Name contains").press("Enter");
  await expect(page).toHaveURL(/name=Jordan/);
  await expect(page).toHaveURL(/attention=on/);
  await expect(page.getByRole("status")).toHaveText("Showing 1–1 of 1 patient.");

  const jordanCard = card(page, jordan);
  await expect(jordanCard.getByText(/^Week \d+ of \d+$/)).toBeVisible();
  await expect(jordanCard).toContainText("Needs attention:");
  await expect(jordanCard.getByRole("link", { name: /module overdue for a supporter/ })).toBeVisible();
  await expect(jordanCard.getByRole("definition").nth(1)).toContainText(/mood \d of 5 · craving \d+ of 10/);
  await expect(jordanCard).toContainText("Attendance this week");
  await expect(jordanCard).toContainText("Support plan");
  await expect(page.getByLabel("Only patients who need attention")).toBeChecked();
  await expectAccessible(page, "caseload filtered");
  await expectNoHorizontalScroll(page);

  // Each reason leads where the therapist acts on it.
  await jordanCard.getByRole("link", { name: /module overdue for a supporter/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Family learning: ${jordan}` })).toBeVisible();
});

test("a patient with nothing to attend to is left out by the attention filter, without JavaScript", async ({
  newPage,
  therapist,
}) => {
  const name = uniqueName("Quinn Calm");
  await therapist.goto("/therapist/patients/new");
  await therapist.getByLabel("Full name").fill(name);
  await therapist.getByLabel("E-mail address").fill(`${name.toLowerCase().replace(/\W+/g, "-")}@example.test`);
  await therapist.getByRole("button", { name: "Enrol patient" }).click();
  await expect(therapist.getByText("Patient enrolled.")).toBeVisible();

  const page = await newPage({ javaScriptEnabled: false, viewport: { width: 360, height: 780 } });
  await signIn(page, demo.therapist);
  await page.getByLabel("Name contains").fill(name);
  await page.getByRole("button", { name: "Show patients" }).click();
  const quinn = card(page, name);
  await expect(quinn).toContainText("None shared yet");
  await expect(quinn).toContainText("No sessions scheduled yet this week");
  await expect(quinn).toContainText("No supporters yet");
  await expect(quinn).not.toContainText("Needs attention:");

  await page.getByLabel("Only patients who need attention").check();
  await page.getByRole("button", { name: "Show patients" }).click();
  await expect(page.getByRole("status")).toHaveText("No patient matches these filters.");

  await page.getByRole("link", { name: "Show everyone" }).click();
  await page.getByLabel("Reason for attention").selectOption({ label: "Overdue module" });
  await page.getByLabel("Name contains").fill("Jordan");
  await page.getByRole("button", { name: "Show patients" }).click();
  await expect(card(page, jordan)).toBeVisible();
  await expect(page.getByRole("status")).toHaveText("Showing 1–1 of 1 patient.");
  await expectNoHorizontalScroll(page);
});

test("a filter that matches nobody says so, and one that makes no sense is explained at its field", async ({ page }) => {
  await signIn(page, demo.therapist);
  await page.goto("/therapist?name=nobody-by-this-name");
  await expect(page.getByRole("status")).toHaveText("No patient matches these filters.");
  await expectAccessible(page, "caseload, no match");
  await page.goto("/therapist?reason=everything");
  await expect(page.getByLabel("Reason for attention")).toHaveAccessibleDescription("Choose one of the reasons in the list.");
  await expect(card(page, jordan)).toBeVisible();
  await expectAccessible(page, "caseload filter with an error");
});
