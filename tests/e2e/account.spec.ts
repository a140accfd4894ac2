import fs from "node:fs/promises";
import { expect, test, type Browser, type Page } from "@playwright/test";
import {
  demo,
  expectAccessible,
  expectNoHorizontalScroll,
  openMailbox,
  signIn,
  signOut,
  uniqueEmail,
  uniqueName,
} from "./support";

/** A fresh therapist created and activated through the UI, so that password changes touch no demo account. */
async function newTherapist(page: Page, browser: Browser, password: string, name = "Morgan Account") {
  const email = uniqueEmail("account");
  const mailbox = await openMailbox(browser);
  await signIn(page, demo.admin);
  await page.goto("/admin/therapists/new");
  await page.getByLabel("Full name").fill(name);
  await page.getByLabel("E-mail address").fill(email);
  await page.getByRole("button", { name: "Add therapist" }).click();
  await expect(page.getByText("Therapist added.")).toBeVisible();
  await signOut(page);
  await page.goto(await mailbox.latestLink(email, /invited/));
  await page.getByLabel("New password", { exact: true }).fill(password);
  await page.getByLabel("Type the new password again").fill(password);
  await page.getByRole("button", { name: "Activate my account" }).click();
  await expect(page).toHaveURL(/\/therapist$/);
  return { email, mailbox };
}

test("a wrong password and an unknown e-mail get the same message", async ({ page }) => {
  await page.goto("/login");
  await expectAccessible(page, "login");
  for (const email of [demo.patient, "nobody-here@example.test"]) {
    await page.getByLabel("E-mail address").fill(email);
    await page.getByLabel("Password", { exact: true }).fill("definitely wrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toHaveText(
      "That e-mail address and password do not match an account. Check them and try again.",
    );
  }
  await expectAccessible(page, "login with error");
});

test("the privacy page is public, linked from the sign-in page and from every page's footer", async ({ page }) => {
  const name = "How Care Circle protects your information";
  await page.goto("/login");
  await expect(page.getByRole("contentinfo").getByRole("link", { name })).toHaveAttribute("href", "/privacy");
  await page.getByRole("main").getByRole("link", { name }).click();
  await expect(page).toHaveURL(/\/privacy$/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByText(/42 CFR Part 2/)).toBeVisible();
  await expectAccessible(page, "privacy");
});

test("a browser that keeps guessing one account is told how long to wait", async ({ page }) => {
  const email = uniqueEmail("guessed");
  await page.goto("/login");
  for (let attempt = 0; attempt < 6; attempt++) {
    await page.getByLabel("E-mail address").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(`wrong guess ${attempt}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toContainText(attempt < 5 ? "do not match an account" : "Too many attempts");
  }
  await expect(page.getByRole("alert")).toHaveText("Too many attempts. Wait 15 minutes, then try again, or reset your password.");
});

test("a signed-out visitor is sent to sign in and brought back to the page they asked for", async ({ page }) => {
  await page.goto("/account/sessions");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount%2Fsessions$/);
  await page.getByLabel("E-mail address").fill(demo.supporter);
  await page.getByLabel("Password", { exact: true }).fill("care-circle-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account\/sessions$/);
  await expectAccessible(page, "sessions");
});

test("forgot password: the e-mailed link sets a new password once, and ends the old sessions", async ({ page, browser }) => {
  const { email, mailbox } = await newTherapist(page, browser, "first password here");
  const otherDevice = await browser.newContext();
  const otherPage = await otherDevice.newPage();
  await signIn(otherPage, email, "first password here");
  await signOut(page);

  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expectAccessible(page, "forgot password");
  await page.getByLabel("E-mail address").fill(email);
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByRole("status")).toContainText("If an account uses that address");
  await expectAccessible(page, "forgot password sent");

  const link = await mailbox.latestLink(email, /Reset your Care Circle password/);
  await page.goto(link);
  await expectAccessible(page, "reset password");
  await page.getByLabel("New password", { exact: true }).fill("short");
  await page.getByLabel("Type the new password again").fill("short");
  await page.getByRole("button", { name: "Save my new password" }).click();
  await expect(page.getByText("Use at least 12 characters.")).toBeVisible();
  await expectAccessible(page, "reset password with errors");
  await page.getByLabel("New password", { exact: true }).fill("second password here");
  await page.getByLabel("Type the new password again").fill("second password here");
  await page.getByRole("button", { name: "Save my new password" }).click();
  await expect(page.getByRole("status")).toHaveText("Your password has been changed. Sign in with your new password.");

  await otherPage.goto("/therapist");
  await expect(otherPage).toHaveURL(/\/login/);
  await page.goto(link);
  await expect(page.getByText("This link has already been used.")).toBeVisible();
  await signIn(page, email, "second password here");
  await otherDevice.close();
  await mailbox.close();
});

test("change password and manage sessions: end another device, then sign out everywhere", async ({ page, browser }) => {
  const { email, mailbox } = await newTherapist(page, browser, "first password here");
  await mailbox.close();

  await page.getByRole("link", { name: "Account" }).click();
  await expectAccessible(page, "account");
  await page.getByRole("link", { name: "Change your password" }).click();
  await expectAccessible(page, "change password");
  await page.getByLabel("Current password").fill("not my password at all");
  await page.getByLabel("New password", { exact: true }).fill("second password here");
  await page.getByLabel("Type the new password again").fill("second password here");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("That is not your current password.")).toBeVisible();
  await expectAccessible(page, "change password with errors");
  await page.getByLabel("Current password").fill("first password here");
  await page.getByLabel("New password", { exact: true }).fill("second password here");
  await page.getByLabel("Type the new password again").fill("second password here");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toContainText("Your password has been changed");
  await expect(page.getByRole("main").getByRole("listitem")).toHaveCount(1);

  const laptop = await browser.newContext();
  const laptopPage = await laptop.newPage();
  await signIn(laptopPage, email, "second password here");

  await page.reload();
  const sessions = page.getByRole("main").getByRole("listitem");
  await expect(sessions).toHaveCount(2);
  await expectAccessible(page, "two sessions");
  await sessions.filter({ hasNotText: "This device" }).getByRole("button", { name: "End this session" }).click();
  await expect(page.getByRole("status")).toContainText("Those sessions have ended");
  await expect(page.getByRole("main").getByRole("listitem")).toHaveCount(1);

  await laptopPage.goto("/therapist");
  await expect(laptopPage).toHaveURL(/\/login/);

  await page.getByRole("button", { name: "Sign out everywhere", exact: true }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/therapist");
  await expect(page).toHaveURL(/\/login/);
  await laptop.close();
});

/**
 * The demo admin narrows the audit trail to one person's refused requests, pages, and downloads the
 * same selection as CSV. The rows are the test's own: a new therapist asks 53 times for the admin's
 * audit page and is refused each time.
 */
test.describe("the audit trail", () => {
  const refusals = 53;

  async function therapistRefusedRepeatedly(page: Page, browser: Browser) {
    const name = uniqueName("Audit Probe");
    const { mailbox } = await newTherapist(page, browser, "audit probe password", name);
    await mailbox.close();
    for (let attempt = 0; attempt < refusals; attempt++) {
      expect((await page.request.get("/admin/audit")).status()).toBe(403);
    }
    return `${name} (Therapist)`;
  }

  async function filterPageAndDownload(admin: Page, person: string) {
    await admin.goto("/admin/audit");
    await admin.getByLabel("Person").selectOption({ label: person });
    await admin.getByLabel("Action").selectOption({ label: "Access refused" });
    await admin.getByRole("button", { name: "Show entries" }).click();
    await expect(admin).toHaveURL(/[?&]action=authorization\.denied/);
    // Only opaque ids travel in the address, never the person's name.
    expect(admin.url()).toMatch(/[?&]person=[0-9a-f-]{36}(&|$)/);
    expect(decodeURIComponent(admin.url())).not.toContain("Audit Probe");
    const rows = admin.getByRole("region", { name: "Audit trail" }).locator("tbody tr");
    await expect(rows).toHaveCount(50);
    for (const row of await rows.all()) {
      await expect(row).toContainText(person);
      await expect(row).toContainText("Access refused");
    }
    await expect(admin.getByLabel("Person")).toHaveValue(/[0-9a-f-]{36}/);

    await admin.getByRole("link", { name: "Older" }).click();
    await expect(rows).toHaveCount(refusals - 50);
    await expect(admin).toHaveURL(/action=authorization\.denied.*before=|before=.*action=authorization\.denied/);
    await expect(rows.first()).toContainText(person);

    const [download] = await Promise.all([
      admin.waitForEvent("download"),
      admin.getByRole("link", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^care-circle-audit-trail-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await fs.readFile(await download.path(), "utf8");
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      '"occurred_at_utc","occurred_at_local","actor_name","actor_role","action","action_label","outcome","target_type","target_id","address"',
    );
    expect(lines).toHaveLength(1 + refusals);
    for (const line of lines.slice(1)) {
      expect(line).toContain(
        `"${person.replace(" (Therapist)", "")}","therapist","authorization.denied","Access refused","denied"`,
      );
    }
  }

  async function findByEmail(admin: Page, email: string) {
    const lookup = admin.getByRole("region", { name: "Find someone by e-mail" });
    await lookup.getByLabel("E-mail").fill(email);
    await lookup.getByRole("button", { name: "Find" }).click();
  }

  test("the admin filters by person and action, pages, and downloads the same rows, with JavaScript", async ({
    page,
    browser,
  }) => {
    const person = await therapistRefusedRepeatedly(page, browser);
    const admin = await (await browser.newContext()).newPage();
    await signIn(admin, demo.admin);
    await filterPageAndDownload(admin, person);
    await admin.getByRole("link", { name: "Newest" }).click();
    await expectAccessible(admin, "filtered audit trail");

    // A last day before the first: the message at the field, before anything is asked of the server.
    await admin.getByLabel("First day").fill("2026-03-10");
    await admin.getByLabel("Last day").fill("2026-03-09");
    await admin.getByRole("button", { name: "Show entries" }).click();
    await expect(admin.getByText("The last day cannot be before the first day.")).toBeVisible();
    await expect(admin.getByLabel("Last day")).toHaveAttribute("aria-invalid", "true");
    await expectAccessible(admin, "audit trail with a filter error");

    // An address edited by hand gets the server's answer: the field's message and no entries.
    await admin.goto("/admin/audit?from=2026-02-30&person=00000000-0000-4000-8000-000000000000");
    await expect(admin.getByText("Enter a real date.")).toBeVisible();
    await expect(admin.getByText("Choose a person of this program from the list.")).toBeVisible();
    await expect(admin.getByLabel("First day")).toHaveAttribute("aria-invalid", "true");
    await expect(admin.getByLabel("Person")).toHaveAttribute("aria-invalid", "true");
    await expect(admin.getByRole("region", { name: "Audit trail" })).toHaveCount(0);
    await expect(admin.getByRole("link", { name: "Download CSV" })).toHaveCount(0);
    await expectAccessible(admin, "audit trail with server errors");

    // A patient is not among the select's choices (a program has thousands): the accounts list leads there.
    await admin.goto("/admin");
    await admin.getByRole("link", { name: "Audit trail Jordan Rivera" }).click();
    await expect(admin.getByLabel("Person").locator("option:checked")).toHaveText("Jordan Rivera (Patient)");
    await expect(admin.getByRole("region", { name: "Audit trail" })).toContainText("Jordan Rivera (Patient)");

    // A supporter is found by e-mail, posted so that the address stays out of the URL.
    await findByEmail(admin, "nobody@demo.test");
    await expect(admin.getByText("No one in this program uses that e-mail address.")).toBeVisible();
    await expectAccessible(admin, "audit trail, person not found");
    await findByEmail(admin, demo.supporter);
    await expect(admin.getByLabel("Person").locator("option:checked")).toHaveText("Pat Rivera (Supporter)");
    expect(admin.url()).not.toContain("demo.test");
    await admin.context().close();
  });

  test("the same journey without JavaScript", async ({ page, browser }) => {
    const person = await therapistRefusedRepeatedly(page, browser);
    const context = await browser.newContext({ javaScriptEnabled: false });
    const admin = await context.newPage();
    await signIn(admin, demo.admin);
    await filterPageAndDownload(admin, person);

    await admin.getByLabel("First day").fill("2026-03-10");
    await admin.getByLabel("Last day").fill("2026-03-09");
    await admin.getByRole("button", { name: "Show entries" }).click();
    await expect(admin.getByText("The last day cannot be before the first day.")).toBeVisible();
    await expect(admin.getByLabel("Last day")).toHaveAttribute("aria-invalid", "true");
    await expect(admin.getByRole("region", { name: "Audit trail" })).toHaveCount(0);

    await findByEmail(admin, demo.supporter);
    await expect(admin.getByLabel("Person").locator("option:checked")).toHaveText("Pat Rivera (Supporter)");
    await context.close();
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("sign-in shows field errors from the server, then signs in", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in" }).click();
    // axe needs scripts to run; the same markup is checked with scripts on in "a wrong password…".
    await expect(page.getByText("Enter an e-mail address.")).toBeVisible();
    await expect(page.getByLabel("E-mail address")).toHaveAttribute("aria-invalid", "true");
    await page.getByLabel("E-mail address").fill(demo.therapist);
    await page.getByLabel("Password", { exact: true }).fill("care-circle-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/therapist$/);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
  });
});

test.describe("on a 360 px phone", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("pages fit the screen and work by keyboard alone", async ({ page }) => {
    await page.goto("/login");
    await expectNoHorizontalScroll(page);
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to main content" })).toBeFocused();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("E-mail address")).toBeFocused();
    await page.keyboard.type(demo.admin);
    await page.keyboard.press("Tab");
    await page.keyboard.type("care-circle-demo");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/admin$/);
    for (const path of [
      "/admin",
      "/admin/therapists/new",
      "/admin/patients/new",
      "/admin/audit",
      "/admin/audit?action=auth.sign_in&from=2026-01-01",
      "/admin/audit?from=2026-02-30&to=2026-01-01",
      "/admin/mailbox",
      "/account",
      "/account/sessions",
    ]) {
      await page.goto(path);
      await expectNoHorizontalScroll(page);
      await expectAccessible(page, `${path} at 360 px`);
    }
  });
});
