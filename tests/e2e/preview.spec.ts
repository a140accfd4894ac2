import { expect, type Page } from "@playwright/test";
import {
  circleMember,
  expectAccessible,
  expectNoHorizontalScroll,
  invitee,
  joinCircle,
  openNavigation,
  shareCheckIn,
  test,
} from "./support";

/**
 * "See what Dana sees": from the care circle, the patient opens a read-only preview of exactly what
 * one supporter sees now, and it changes with that supporter's consent. On a 360 px phone.
 */

const phone = { width: 360, height: 780 };
test.use({ viewport: phone });

async function openPreview(page: Page, name: string) {
  await openNavigation(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My circle" }).click();
  await circleMember(page, { name, email: "" })
    .getByRole("link", { name: `See consent ${name}` })
    .click();
  await page.getByRole("link", { name: `See what ${name} sees` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `What ${name} sees` })).toBeVisible();
}

test("the patient sees a supporter's pages as that supporter does, and nothing the supporter does not", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  test.slow();
  const cast = { page, patient, therapist, mailbox, newPage: () => newPage({ viewport: phone }) };
  const dana = invitee("Dana Park", "Parent", ["progress", "milestones"]);
  const lee = invitee("Lee Park", "Friend", ["attendance"]);
  const danaPage = await joinCircle(cast, dana);
  await joinCircle(cast, lee);
  await shareCheckIn(page, "Cooked dinner for everyone", dana.name);

  await openPreview(page, dana.name);
  await expect(page.getByRole("note")).toContainText("Looking at it is not recorded as sharing.");
  await expect(page.getByRole("heading", { name: "Progress" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Milestones" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Attendance" })).toHaveCount(0);
  const previewed = page.getByRole("list", { name: "Your check-ins" }).getByRole("listitem");
  await expect(previewed.filter({ hasText: "Cooked dinner for everyone" })).toHaveCount(1);
  await expect(page.getByRole("main").getByRole("button")).toHaveCount(0);
  await expectAccessible(page, "preview of Dana's pages");
  await expectNoHorizontalScroll(page);

  // Dana's own updates page shows the same check-in.
  await danaPage.goto("/supporter/updates");
  await expect(
    danaPage.getByRole("list", { name: "Updates" }).getByRole("listitem").filter({ hasText: "Cooked dinner for everyone" }),
  ).toHaveCount(1);

  // Lee sees attendance only: no check-ins, and the preview says why.
  await openPreview(page, lee.name);
  await expect(page.getByRole("heading", { name: "Attendance" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Progress" })).toHaveCount(0);
  await expect(page.getByText(`${lee.name} does not see your check-ins: your consent does not include them.`)).toBeVisible();
  await expect(page.getByText("Cooked dinner for everyone")).toHaveCount(0);
  await expectAccessible(page, "preview of Lee's pages");
  await expectNoHorizontalScroll(page);

  // The way back, by keyboard.
  const back = page.getByRole("link", { name: `Back to ${lee.name}` });
  await back.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: lee.name })).toBeVisible();
});
