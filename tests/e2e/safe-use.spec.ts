import { expect, type Page } from "@playwright/test";
import { demo, expectAccessible, expectNoHorizontalScroll, openNavigation, signIn, test } from "./support";

/**
 * Safe use in an unsafe home (decision 021): "Leave quickly" with and without JavaScript, by its
 * button and by Shift pressed three times, and discreet mode's neutral tab, on a 360 px phone.
 */

const phone = { width: 360, height: 780 };
test.use({ viewport: phone });

const neutralSite = "https://neutral.example/";

/** The neutral site, answered here so that no test leaves the machine. */
async function answerForNeutralSite(page: Page) {
  await page
    .context()
    .route(`${neutralSite}**`, (route) =>
      route.fulfill({ contentType: "text/html", body: "<!doctype html><title>Search</title><h1>Search</h1>" }),
    );
}

async function expectSignedOut(page: Page, home: string) {
  await page.goto(home);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
}

test("with JavaScript, “Leave quickly” replaces the page with the neutral site and signs the person out", async ({
  page,
  patient,
}) => {
  await answerForNeutralSite(page);
  await expect(page.getByRole("heading", { name: new RegExp(patient.name) })).toBeVisible();
  await openNavigation(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Check-ins" }).click();
  await expect(page).toHaveURL(/\/patient\/check-ins$/);
  const leave = page.getByRole("link", { name: "Leave quickly" });
  await expect(leave).toBeVisible();
  await expect(leave).toHaveAccessibleDescription("Or press the Shift key three times.");
  await expectAccessible(page, "a patient page with Leave quickly");
  await expectNoHorizontalScroll(page);

  await leave.click();
  await expect(page).toHaveURL(neutralSite);
  await expect(page.getByRole("heading", { name: "Search" })).toBeVisible();
  // The page that was open is gone from the history: Back goes to the one before it.
  await page.goBack();
  await expect(page).not.toHaveURL(/\/patient\/check-ins/);
  await expectSignedOut(page, "/patient");
});

test("Shift three times leaves from anywhere; Escape, which closes dialogs, and typing capitals do not", async ({ newPage }) => {
  const page = await newPage({ viewport: phone });
  await answerForNeutralSite(page);
  await signIn(page, demo.supporter);
  await page.goto("/supporter/learning");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Shift");
  await page.keyboard.type("A");
  await page.keyboard.press("Shift");
  await page.keyboard.type("B");
  await page.keyboard.press("Shift");
  await expect(page).toHaveURL(/\/supporter\/learning$/);

  await page.keyboard.press("Shift");
  await page.keyboard.press("Shift");
  await page.keyboard.press("Shift");
  await expect(page).toHaveURL(neutralSite);
  await expectSignedOut(page, "/supporter");
});

test("without JavaScript, “Leave quickly” is a link that signs out and sends the person to the neutral site", async ({
  newPage,
}) => {
  const page = await newPage({ javaScriptEnabled: false, viewport: phone });
  await answerForNeutralSite(page);
  await signIn(page, demo.therapist);
  await page.getByRole("link", { name: "Leave quickly" }).click();
  await expect(page).toHaveURL(neutralSite);
  await expectSignedOut(page, "/therapist");
});

test("discreet mode gives every page a neutral tab title and icon, and is turned off without JavaScript too", async ({
  page,
  patient,
  newPage,
}) => {
  await expect(page).toHaveTitle(/Care Circle/);
  await openNavigation(page);
  await page.getByRole("link", { name: "Account" }).click();
  await page.getByRole("link", { name: "Discreet mode and leaving quickly" }).click();
  await expect(page.getByRole("heading", { name: "Discreet mode", level: 1 })).toBeVisible();
  await expectAccessible(page, "discreet mode, off");
  await expectNoHorizontalScroll(page);

  const discreet = page.getByRole("checkbox", { name: "Use discreet mode" });
  await expect(discreet).not.toBeChecked();
  await discreet.focus();
  await page.keyboard.press("Space");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Discreet mode is on.");
  await expect(discreet).toBeChecked();
  await expect(page).toHaveTitle("My account");
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute("href", "/favicon-neutral.svg");
  await expectAccessible(page, "discreet mode, saved on");

  // Client-side navigation keeps the neutral title.
  await openNavigation(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Check-ins" }).click();
  await expect(page).toHaveURL(/\/patient\/check-ins$/);
  await expect(page).toHaveTitle("My account");

  // On another device, without JavaScript, the same person finds it on and turns it off.
  const second = await newPage({ javaScriptEnabled: false, viewport: phone });
  await signIn(second, patient.email);
  await expect(second).toHaveTitle("My account");
  await second.goto("/account/discreet");
  await second.getByRole("checkbox", { name: "Use discreet mode" }).uncheck();
  await second.getByRole("button", { name: "Save" }).click();
  await expect(second.getByRole("status")).toHaveText("Discreet mode is off.");
  await expect(second).toHaveTitle("Discreet mode · Care Circle");
  await expect(second.locator('link[rel="icon"]')).toHaveAttribute("href", "/favicon.svg");
  // axe needs JavaScript in the page: the first device shows the same state.
  await page.goto("/account/discreet?saved=1");
  await expect(page.getByRole("status")).toHaveText("Discreet mode is off.");
  await expect(page).toHaveTitle("Discreet mode · Care Circle");
  await expectAccessible(page, "discreet mode, saved off");
});
