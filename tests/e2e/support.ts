import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Page } from "@playwright/test";

export const demoPassword = "care-circle-demo";
export const demo = {
  admin: "admin@demo.test",
  therapist: "therapist@demo.test",
  patient: "patient@demo.test",
  supporter: "supporter@demo.test",
};

/** Runs axe with the WCAG 2.0, 2.1 and 2.2 A/AA rules on the page as it is now. */
export async function expectAccessible(page: Page, label = page.url()) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const problems = results.violations.map(
    (violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`,
  );
  expect(problems, `axe on ${label}`).toEqual([]);
}

/** Fits a 360 px wide phone screen: nothing wider than the viewport. */
export async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "horizontal overflow in px").toBeLessThanOrEqual(0);
}

export async function signIn(page: Page, email: string, password = demoPassword) {
  await page.goto("/login");
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
}

/** A second, separate person (own cookies) signed in as the demo admin, to read the development mailbox. */
export async function openMailbox(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, demo.admin);
  /** The body of the newest message to `address` whose subject matches. */
  async function latestMessage(address: string, subject: RegExp): Promise<string> {
    await page.goto("/admin/mailbox");
    await expectAccessible(page, "mailbox");
    const message = page.getByRole("listitem").filter({ hasText: `To ${address}` }).filter({ hasText: subject }).first();
    return message.locator("pre").innerText();
  }
  return {
    latestMessage,
    /** The link in the newest message to `address` whose subject matches. */
    async latestLink(address: string, subject: RegExp): Promise<string> {
      const body = await latestMessage(address, subject);
      const link = /https?:\/\/\S+/.exec(body)?.[0];
      expect(link, `a link in the mail to ${address}`).toBeTruthy();
      return link!;
    },
    close: () => context.close(),
  };
}

export type Mailbox = Awaited<ReturnType<typeof openMailbox>>;

/**
 * A new patient enrolled through the UI by the therapist signed in on `therapist`, activated with
 * the demo password on `patientPage` (which ends up on the patient's home). These pages are
 * checked with axe in onboarding.spec.ts.
 */
export async function enrolPatient(therapist: Page, patientPage: Page, mailbox: Mailbox, name: string) {
  const email = uniqueEmail("patient");
  await therapist.goto("/therapist/patients/new");
  await therapist.getByLabel("Full name").fill(name);
  await therapist.getByLabel("E-mail address").fill(email);
  await therapist.getByRole("button", { name: "Enrol patient" }).click();
  await expect(therapist.getByText("Patient enrolled.")).toBeVisible();
  await patientPage.goto(await mailbox.latestLink(email, /You have been invited to Care Circle/));
  await patientPage.getByLabel("New password", { exact: true }).fill(demoPassword);
  await patientPage.getByLabel("Type the new password again").fill(demoPassword);
  await patientPage.getByRole("button", { name: "Activate my account" }).click();
  await expect(patientPage).toHaveURL(/\/patient$/);
  return { name, email };
}

export function uniqueEmail(label: string) {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@example.test`;
}
