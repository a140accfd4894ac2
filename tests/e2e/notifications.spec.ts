import { expect, type Page } from "@playwright/test";
import {
  demoPassword,
  expectAccessible,
  expectNoHorizontalScroll,
  invitee,
  joinCircle,
  shareCheckIn,
  signIn,
  test,
} from "./support";

/**
 * Notifications people control (decision 023): a supporter chooses, by keyboard, to hear of shared
 * check-ins at once; the server's own mail job sends the mail; its one-click link turns that kind off
 * without signing in. And the settings form without JavaScript. On a 360 px phone.
 */

const phone = { width: 360, height: 780 };
test.use({ viewport: phone });

async function openSettings(page: Page) {
  await page.goto("/account");
  await page.getByRole("link", { name: "E-mail notifications" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "E-mail notifications" })).toBeVisible();
}

const kind = (page: Page, name: string) => page.getByRole("group", { name });

test("a supporter hears of a shared check-in at once, as they chose, and stops it with the mail's link", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  test.slow();
  const dana = invitee("Dana Reyes", "Parent", ["progress", "education"]);
  const danaPage = await joinCircle({ page, patient, therapist, mailbox, newPage: () => newPage({ viewport: phone }) }, dana);

  await openSettings(danaPage);
  const shared = kind(danaPage, "A check-in was shared with you");
  await expect(shared.getByRole("radio", { name: "In the daily summary" })).toBeChecked();
  await expect(kind(danaPage, "You were approved to join a care circle").getByRole("radio", { name: "At once" })).toBeChecked();
  await expect(kind(danaPage, "A supporter replied to a check-in")).toHaveCount(0);
  await expectAccessible(danaPage, "notification settings");
  await expectNoHorizontalScroll(danaPage);

  // By keyboard: "At once", and a time left empty first. The test server's default is no quiet hours
  // (DEFAULT_QUIET_HOURS=off in playwright.config.ts), so that the mail comes whatever the hour.
  await shared.getByRole("radio", { name: "In the daily summary" }).focus();
  await danaPage.keyboard.press("ArrowUp");
  await expect(shared.getByRole("radio", { name: "At once" })).toBeChecked();
  const hold = danaPage.getByRole("checkbox", { name: "Hold e-mail during quiet hours" });
  await expect(hold).not.toBeChecked();
  await hold.focus();
  await danaPage.keyboard.press("Space");
  await expect(hold).toBeChecked();
  await danaPage.getByLabel("Quiet until").fill("");
  await danaPage.getByRole("button", { name: "Save notification settings" }).press("Enter");
  await expect(danaPage.getByText("Enter a time, for example 21:00.")).toBeVisible();
  await expectAccessible(danaPage, "notification settings with an error");
  // Without quiet hours, their times are not needed.
  await hold.focus();
  await danaPage.keyboard.press("Space");
  await expect(hold).not.toBeChecked();
  await danaPage.getByRole("button", { name: "Save notification settings" }).press("Enter");
  await expect(danaPage.getByRole("status")).toHaveText("Your notification settings are saved.");
  await expect(shared.getByRole("radio", { name: "At once" })).toBeChecked();

  await shareCheckIn(page, "Fixed the bike together", dana.name);
  const mail = await mailbox.latestMessage(dana.email, /Something new on Care Circle/, "A check-in was shared with you");
  expect(mail).toContain("There is something new for you on Care Circle: A check-in was shared with you.");
  expect(mail).not.toContain("Fixed the bike together");
  expect(mail).not.toContain(patient.name);
  const unsubscribe = /https?:\/\/\S+\/unsubscribe\?token=\S+/.exec(mail)![0];

  // Anyone holding the mail, signed in or not: opening the link changes nothing; the button does.
  const stranger = await newPage({ viewport: phone });
  await stranger.goto(unsubscribe);
  await expect(stranger.getByRole("heading", { level: 1, name: "Stop these e-mails" })).toBeVisible();
  await expect(stranger.getByText("Stop e-mails about: A check-in was shared with you.")).toBeVisible();
  await expectAccessible(stranger, "unsubscribe");
  await expectNoHorizontalScroll(stranger);
  await stranger.getByRole("button", { name: "Stop these e-mails" }).click();
  await expect(stranger.getByRole("status")).toHaveText(
    "Done: you will get no more e-mails about: A check-in was shared with you.",
  );
  await expectAccessible(stranger, "unsubscribed");

  await danaPage.reload();
  await expect(shared.getByRole("radio", { name: "Off" })).toBeChecked();
  await expect(kind(danaPage, "A module was asked of you").getByRole("radio", { name: "In the daily summary" })).toBeChecked();
});

test("without JavaScript, the settings form answers a bad time at its field and then saves", async ({ patient, newPage }) => {
  const page = await newPage({ viewport: phone, javaScriptEnabled: false });
  await signIn(page, patient.email, demoPassword);
  await openSettings(page);
  const replied = kind(page, "A supporter replied to a check-in");
  await expect(replied.getByRole("radio", { name: "In the daily summary" })).toBeChecked();
  const hold = page.getByRole("checkbox", { name: "Hold e-mail during quiet hours" });
  await replied.getByRole("radio", { name: "At once" }).check();
  await hold.check();
  await page.getByLabel("Quiet from").fill("");
  await page.getByRole("button", { name: "Save notification settings" }).click();
  // The same field error as with JavaScript (checked with axe above), from the server this time.
  await expect(page.getByLabel("Quiet from")).toHaveAccessibleDescription("Enter a time, for example 21:00.");
  // Nothing was saved.
  await page.goto("/account/notifications");
  await expect(replied.getByRole("radio", { name: "In the daily summary" })).toBeChecked();
  await expect(hold).not.toBeChecked();

  await replied.getByRole("radio", { name: "At once" }).check();
  await hold.check();
  await page.getByLabel("Quiet from").fill("22:30");
  await page.getByRole("button", { name: "Save notification settings" }).click();
  await expect(page.getByRole("status")).toHaveText("Your notification settings are saved.");
  await expect(replied.getByRole("radio", { name: "At once" })).toBeChecked();
  await expect(hold).toBeChecked();
  await expect(page.getByLabel("Quiet from")).toHaveValue("22:30");
});
