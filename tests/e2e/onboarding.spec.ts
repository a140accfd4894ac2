import { expect, test } from "@playwright/test";
import { demo, expectAccessible, openMailbox, signIn, signOut, uniqueEmail } from "./support";

test("an admin adds a therapist, who activates, enrols a patient, who activates and sees their program", async ({
  page,
  browser,
}) => {
  const therapistEmail = uniqueEmail("therapist");
  const patientEmail = uniqueEmail("patient");
  const mailbox = await openMailbox(browser);

  await signIn(page, demo.admin);
  await expect(page).toHaveURL(/\/admin$/);
  await expectAccessible(page, "admin home");

  await page.getByRole("link", { name: "Add a therapist" }).click();
  await expectAccessible(page, "add therapist");
  await page.getByRole("button", { name: "Add therapist" }).click();
  await expect(page.getByText("Enter a name.")).toBeVisible();
  await expect(page.getByText("Enter an e-mail address.")).toBeVisible();
  await expectAccessible(page, "add therapist with errors");

  await page.getByLabel("Full name").fill("Riley Therapist");
  await page.getByLabel("E-mail address").fill(therapistEmail);
  await page.getByRole("button", { name: "Add therapist" }).click();
  await expect(page.getByText("Therapist added.")).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: therapistEmail })).toContainText("Not activated yet");
  await signOut(page);

  // The therapist opens the e-mailed link and chooses a password.
  const activation = await mailbox.latestLink(therapistEmail, /You have been invited to Care Circle/);
  await page.goto(activation);
  await expect(page.getByRole("heading", { name: "Activate your account" })).toBeVisible();
  await expectAccessible(page, "activation");
  await page.getByLabel("New password", { exact: true }).fill("therapist password one");
  await page.getByLabel("Type the new password again").fill("something different");
  await page.getByRole("button", { name: "Activate my account" }).click();
  await expect(page.getByText("The two passwords are not the same.")).toBeVisible();
  await expectAccessible(page, "activation with errors");
  await page.getByLabel("Type the new password again").fill("therapist password one");
  await page.getByRole("button", { name: "Activate my account" }).click();
  await expect(page).toHaveURL(/\/therapist$/);
  await expect(page.getByRole("heading", { name: "Your caseload" })).toBeVisible();
  await expectAccessible(page, "caseload");

  // The link worked once only.
  await page.goto(activation);
  await expect(page.getByText("This link has already been used.")).toBeVisible();
  await expectAccessible(page, "used link");

  // The therapist enrols a patient.
  await page.getByRole("link", { name: "Enrol a patient" }).first().click();
  await expectAccessible(page, "enrol patient");
  await page.getByLabel("Full name").fill("Casey Patient");
  await page.getByLabel("E-mail address").fill(patientEmail);
  await page.getByLabel("Planned length in weeks").fill("99");
  await page.getByRole("button", { name: "Enrol patient" }).click();
  await expect(page.getByText("Enter a whole number of weeks from 1 to 52.")).toBeVisible();
  await expectAccessible(page, "enrol patient with errors");
  await page.getByLabel("Planned length in weeks").fill("12");
  await expect(page.getByLabel("Primary therapist")).toHaveValue(/.+/);
  await page.getByRole("button", { name: "Enrol patient" }).click();
  await expect(page.getByText("Patient enrolled.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Your caseload" })).toContainText("Casey Patient");
  await signOut(page);

  // The patient activates and lands on their own home.
  await page.goto(await mailbox.latestLink(patientEmail, /You have been invited to Care Circle/));
  await page.getByLabel("New password", { exact: true }).fill("patient password one");
  await page.getByLabel("Type the new password again").fill("patient password one");
  await page.getByRole("button", { name: "Activate my account" }).click();
  await expect(page).toHaveURL(/\/patient$/);
  await expect(page.getByRole("heading", { name: "Hello, Casey Patient" })).toBeVisible();
  await expect(page.getByText("Week 1 of 12")).toBeVisible();
  await expect(page.getByText("Riley Therapist")).toBeVisible();
  await expectAccessible(page, "patient home");
  await mailbox.close();
});

test("each role lands on its own home, with navigation and the crisis resources", async ({ page }) => {
  const homes = [
    [demo.admin, /\/admin$/, "Riverbend IOP (demo)"],
    [demo.therapist, /\/therapist$/, "Your caseload"],
    [demo.patient, /\/patient$/, "Hello, Jordan Rivera"],
    [demo.supporter, /\/supporter$/, "Hello, Pat Rivera"],
  ] as const;
  for (const [email, url, heading] of homes) {
    await signIn(page, email);
    await expect(page).toHaveURL(url);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    const crisis = page.getByRole("contentinfo");
    await expect(crisis.getByRole("link", { name: "call 988" })).toHaveAttribute("href", "tel:988");
    await expect(crisis.getByRole("link", { name: "1-800-662-4357" })).toBeVisible();
    await expect(crisis.getByRole("link", { name: "911" })).toBeVisible();
    await expectAccessible(page, `${email} home`);
    await signOut(page);
  }
});
