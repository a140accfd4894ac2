import AxeBuilder from "@axe-core/playwright";
import {
  expect,
  test as base,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from "@playwright/test";

export const demoPassword = "care-circle-demo";
export const demo = {
  admin: "admin@demo.test",
  therapist: "therapist@demo.test",
  patient: "patient@demo.test",
  supporter: "supporter@demo.test",
};

/** Runs axe with the WCAG 2.0, 2.1 and 2.2 A/AA rules on the page as it is now. */
export async function expectAccessible(page: Page, label = page.url()) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
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
  // The navigation shows for a signed-in person: a row of links, or one "Menu" on a phone. Until the
  // stylesheet applies, both can count as visible for a moment, so the first is what is waited for.
  await expect(page.getByRole("navigation", { name: "Main" }).first()).toBeVisible();
}

/** On a phone the navigation is folded into "Menu": opens it, if it is folded and closed. */
export async function openNavigation(page: Page) {
  const menu = page.getByRole("navigation", { name: "Main" }).locator("details");
  if ((await menu.count()) > 0 && !(await menu.evaluate((details: HTMLDetailsElement) => details.open))) {
    await menu.locator("summary").click();
  }
}

export async function signOut(page: Page) {
  await openNavigation(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
}

/** A second, separate person (own cookies) signed in as the demo admin, to read the development mailbox. */
export async function openMailbox(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, demo.admin);
  /**
   * The body of the newest message to `address` whose subject matches (and whose text has `containing`:
   * mails about events share one subject, and the one awaited may still be on its way behind an older one).
   */
  async function latestMessage(address: string, subject: RegExp, containing?: string): Promise<string> {
    const toAddress = page
      .getByRole("listitem")
      .filter({ hasText: `To ${address}` })
      .filter({ hasText: subject });
    const message = (containing ? toAddress.filter({ hasText: containing }) : toAddress).first();
    // Mail about an event goes out from the server's mail job a moment after the request: look again until it is there.
    await expect(async () => {
      await page.goto("/admin/mailbox");
      await expect(message).toBeVisible({ timeout: 1000 });
    }).toPass();
    await expectAccessible(page, "mailbox");
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
  await activate(patientPage, mailbox, email);
  await expect(patientPage).toHaveURL(/\/patient$/);
  return { name, email };
}

/** The newly added person opens the activation link e-mailed to `email` and chooses the demo password. */
export async function activate(page: Page, mailbox: Mailbox, email: string) {
  await page.goto(await mailbox.latestLink(email, /You have been invited to Care Circle/));
  await page.getByLabel("New password", { exact: true }).fill(demoPassword);
  await page.getByLabel("Type the new password again").fill(demoPassword);
  await page.getByRole("button", { name: "Activate my account" }).click();
}

export function uniqueEmail(label: string) {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@example.test`;
}

export function uniqueName(name: string) {
  return `${name}-${Math.random().toString(36).slice(2, 7)}`;
}

export type Person = { name: string; email: string };
export type Category = "attendance" | "progress" | "milestones" | "education";
export type Invitee = Person & { relationship: string; categories: Category[] };

const categoryTitles: Record<Category, string> = {
  attendance: "Attendance",
  progress: "Progress",
  milestones: "Milestones",
  education: "Education",
};

/**
 * Fixtures for journeys with several people, each in their own browser context. Every test enrols
 * its own patient (primary therapist: the demo therapist), so that its circles, check-ins and
 * disclosure logs hold only that test's rows while other workers share the database.
 */
export const test = base.extend<{
  mailbox: Mailbox;
  /** A page in a new browser context (a second person, or no JavaScript), closed after the test. */
  newPage: (options?: BrowserContextOptions) => Promise<Page>;
  therapist: Page;
  /** A new patient of the demo therapist, signed in on `page`. */
  patient: Person;
}>({
  mailbox: async ({ browser }, use) => {
    const mailbox = await openMailbox(browser);
    await use(mailbox);
    await mailbox.close();
  },
  newPage: async ({ browser }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (options) => {
      const context = await browser.newContext(options);
      contexts.push(context);
      return context.newPage();
    });
    await Promise.all(contexts.map((context) => context.close()));
  },
  therapist: async ({ newPage }, use) => {
    const page = await newPage();
    await signIn(page, demo.therapist);
    await use(page);
  },
  patient: async ({ page, therapist, mailbox }, use) => {
    await use(await enrolPatient(therapist, page, mailbox, uniqueName("Robin Vega")));
  },
});

export function invitee(name: string, relationship: string, categories: Category[]): Invitee {
  return { name, email: uniqueEmail("family"), relationship, categories };
}

export async function fillInvitation(page: Page, person: Invitee) {
  await page.getByLabel("Their name").fill(person.name);
  await page.getByLabel("E-mail address").fill(person.email);
  await page.getByLabel("How they are related to you").selectOption({ label: person.relationship });
  for (const category of person.categories) {
    await page.getByRole("checkbox", { name: new RegExp(`^${categoryTitles[category]}:`) }).check();
  }
}

/** The patient invites someone until the end of their program (the form's pages are checked with axe in care-circle.spec.ts). */
export async function invite(page: Page, patient: Person, person: Invitee) {
  await page.goto("/patient/circle/invite");
  await fillInvitation(page, person);
  await page.getByRole("button", { name: "Review the consent" }).click();
  await page.getByLabel("Your full name, as your signature").fill(patient.name);
  await page.getByRole("button", { name: "Sign and send the invitation" }).click();
  await expect(page.getByRole("status")).toHaveText(
    "Invitation sent. Once they accept, your therapist will look at the request.",
  );
}

/** The invited person opens the e-mailed link and creates their account (checked with axe in care-circle.spec.ts). */
export async function accept(page: Page, mailbox: Mailbox, person: Invitee) {
  await page.goto(await mailbox.latestLink(person.email, /You have been invited to Care Circle/));
  await page.getByLabel("New password", { exact: true }).fill("supporter password one");
  await page.getByLabel("Type the new password again").fill("supporter password one");
  await page.getByRole("button", { name: "Create my account and accept" }).click();
  await expect(page.getByRole("status")).toHaveText("Thank you. The request is now with their therapist.");
}

export function approvalItem(therapist: Page, patient: Person, person: Person) {
  return therapist
    .getByRole("listitem")
    .filter({ has: therapist.getByRole("heading", { name: `${person.name}, for ${patient.name}`, exact: true }) });
}

export async function approve(therapist: Page, patient: Person, person: Person) {
  await therapist.goto("/therapist/approvals");
  await approvalItem(therapist, patient, person).getByRole("button", { name: "Approve" }).click();
  await expect(therapist.getByRole("status")).toHaveText("Done.");
  await expect(approvalItem(therapist, patient, person)).toHaveCount(0);
}

/**
 * The therapist narrows the caseload they are on to a name, as with a full caseload: the demo therapist
 * gathers patients from every journey run in parallel, more than one page of 25.
 */
export async function showPatientsNamed(therapist: Page, name: string) {
  await therapist.getByLabel("Name contains").fill(name);
  await therapist.getByRole("button", { name: "Show patients" }).click();
}

/** The therapist finds a patient on the caseload by name and opens their page. */
export async function openPatientPage(therapist: Page, patient: Person) {
  await therapist.goto("/therapist");
  await showPatientsNamed(therapist, patient.name);
  await therapist.getByRole("link", { name: patient.name, exact: true }).click();
  await expect(therapist.getByRole("heading", { level: 1, name: patient.name })).toBeVisible();
}

export type Cast = { page: Page; patient: Person; therapist: Page; mailbox: Mailbox; newPage: () => Promise<Page> };

/** Invite, accept and approve: the returned page is the supporter, signed in, with an active link. */
export async function joinCircle({ page, patient, therapist, mailbox, newPage }: Cast, person: Invitee) {
  await invite(page, patient, person);
  const supporter = await newPage();
  await accept(supporter, mailbox, person);
  await approve(therapist, patient, person);
  return supporter;
}

/** The patient saves a check-in with a good mood and `wins`, shared with one person of their circle. */
export async function shareCheckIn(page: Page, wins: string, withWhom: string) {
  await page.goto("/patient/check-ins/new");
  await page.getByRole("group", { name: "Mood" }).getByRole("radio", { name: "4 – Good" }).check();
  await page.getByLabel("Wins").fill(wins);
  await page
    .getByRole("group", { name: "Share with people in my circle" })
    .getByRole("checkbox", { name: withWhom, exact: true })
    .check();
  await page.getByRole("button", { name: "Save check-in" }).click();
  await expect(page.getByRole("status")).toHaveText("Your check-in is saved.");
}

/** One person's entry on the patient's care-circle page. */
export function circleMember(page: Page, person: Person) {
  return page.getByRole("list", { name: "My care circle" }).getByRole("listitem").filter({ hasText: person.name });
}

/** Today's calendar date in the demo program's time zone (America/Chicago), moved by `days`. */
export function programDate(days: number) {
  const today = new Intl.DateTimeFormat("en-CA", {
    timeZone: "America/Chicago",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Presses Tab until `target` has the focus: the keyboard user's way there, no clicks. */
export async function tabTo(page: Page, target: Locator, maxPresses = 60) {
  for (let press = 0; press < maxPresses; press++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target, `reached by Tab within ${maxPresses} presses`).toBeFocused();
}
