import { expect, type Page } from "@playwright/test";
import { expectAccessible, expectNoHorizontalScroll, fillInvitation, invitee, signIn, test } from "./support";

/**
 * Signing a consent on a 360 px phone: a form sent with mistakes opens with a summary of them that
 * takes the focus and links to each field, with and without JavaScript; the preview opens with a
 * short summary, keeps the full text in sections, and never says it is signed before it is.
 */

const phone = { width: 360, height: 740 };
test.use({ viewport: phone });

function errorSummary(page: Page) {
  return page.getByRole("alert").filter({ has: page.getByRole("heading", { name: "There is a problem" }) });
}

async function expectPhonePage(page: Page, label: string) {
  await expectAccessible(page, label);
  await expectNoHorizontalScroll(page);
}

test("mistakes are summed up at the top, focused, each linked to its field; the preview is not signed", async ({
  page,
  patient,
}) => {
  await page.goto("/patient/circle/invite");
  await page.getByRole("button", { name: "Review the consent" }).click();
  const summary = errorSummary(page);
  await expect(summary).toBeFocused();
  await expect(summary.getByRole("link")).toHaveText([
    "Enter a name.",
    "Enter an e-mail address.",
    "Choose how they are related to you.",
    "Choose at least one thing they may see.",
  ]);
  await expectPhonePage(page, "invitation with mistakes");
  await summary.getByRole("link", { name: "Choose at least one thing they may see." }).click();
  await expect(page.getByRole("checkbox", { name: /^Attendance:/ })).toBeFocused();
  await summary.getByRole("link", { name: "Enter a name." }).click();
  await expect(page.getByLabel("Their name")).toBeFocused();

  const dana = invitee("Dana Park", "Parent", ["progress"]);
  await fillInvitation(page, dana);
  await page.getByRole("button", { name: "Review the consent" }).click();
  await expect(errorSummary(page)).toHaveCount(0);
  const preview = page.getByRole("region", { name: "Your consent" });
  await expect(preview).toContainText(`Will be signed by ${patient.name} on `);
  await expect(preview).not.toContainText("Signed");

  await page.getByLabel("Your full name, as your signature").fill("Somebody Else");
  await page.getByRole("button", { name: "Sign and send the invitation" }).click();
  await expect(errorSummary(page)).toBeFocused();
  await expect(errorSummary(page).getByRole("link")).toHaveText(["Type your full name exactly as it is on your account."]);
  await expectPhonePage(page, "consent with a wrong signature");
  await errorSummary(page).getByRole("link").click();
  await expect(page.getByLabel("Your full name, as your signature")).toBeFocused();
});

test("without JavaScript the summary comes from the server and takes the focus", async ({ patient, newPage }) => {
  const page = await newPage({ javaScriptEnabled: false, viewport: phone });
  await signIn(page, patient.email);
  await page.goto("/patient/circle/invite");
  const dana = invitee("Dana Park", "Parent", ["progress"]);
  await fillInvitation(page, dana);
  await page.getByLabel("E-mail address").fill("not-an-address");
  await page.getByRole("button", { name: "Review the consent" }).click();
  const summary = errorSummary(page);
  await expect(summary).toBeFocused();
  await expect(summary.getByRole("link")).toHaveText(["Enter an e-mail address like name@example.com."]);
  await expect(summary.getByRole("link")).toHaveAttribute(
    "href",
    `#${await page.getByLabel("E-mail address").getAttribute("id")}`,
  );

  await page.getByLabel("E-mail address").fill(dana.email);
  await page.getByRole("button", { name: "Review the consent" }).click();
  await page.getByRole("button", { name: "Sign and send the invitation" }).click();
  await expect(errorSummary(page)).toBeFocused();
  await expect(errorSummary(page).getByRole("link")).toHaveText(["Type your full name to sign."]);
  await page.getByLabel("Your full name, as your signature").fill(patient.name);
  await page.getByRole("button", { name: "Sign and send the invitation" }).click();
  await expect(page.getByRole("status")).toHaveText(
    "Invitation sent. Once they accept, your therapist will look at the request.",
  );
});
