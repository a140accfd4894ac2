import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { es } from "../../app/i18n/es";
import { approve, expectAccessible, expectNoHorizontalScroll, invitee, test, uniqueEmail } from "./support";

/**
 * The journey of issue 17 in Spanish: a patient who chooses Spanish invites her mother and signs the
 * consent in Spanish; the mother, whose browser asks for Spanish, accepts in Spanish from a Spanish
 * e-mail, and reads a module in Spanish. On a 360 px phone, with axe on every page.
 */

const phone = { width: 360, height: 780 };
test.use({ viewport: phone });

/** A Spanish message with its placeholders filled in. */
function fill(message: string, values: Record<string, string | number> = {}) {
  return message.replace(/\{\{(\w+)\}\}/g, (_whole, name: string) => String(values[name]));
}

function spanishModule(file: string) {
  const source = fs.readFileSync(path.resolve("content/modules/es", file), "utf8");
  const title = /^title: "(.*)"$/m.exec(source)![1]!;
  const headings = [...source.matchAll(/^## (.*)$/gm)].map((match) => match[1]!);
  return { title, headings };
}

async function checked(page: Page, label: string) {
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expectAccessible(page, label);
  await expectNoHorizontalScroll(page);
}

test("inviting, consenting and reading a module, in Spanish", async ({ page, patient, therapist, mailbox, newPage }) => {
  test.slow();
  // The patient chooses Spanish at the foot of the page; it holds for her account.
  await page.getByRole("button", { name: "Español" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expect(page.getByRole("button", { name: "Español" })).toHaveAttribute("aria-pressed", "true");
  await checked(page, "patient home in Spanish");

  const mother = { ...invitee("Rosa Vega", es["relationship.parent"], ["progress"]), email: uniqueEmail("rosa") };
  await page.goto("/patient/circle/invite");
  await expect(page.getByRole("heading", { level: 1, name: es["circle.invite.title"] })).toBeVisible();
  await page.getByLabel(es["circle.invite.name"]).fill(mother.name);
  await page.getByLabel(es["field.email"]).fill(mother.email);
  await page.getByLabel(es["circle.invite.relationship"]).selectOption({ label: mother.relationship });
  await page.getByRole("checkbox", { name: new RegExp(`^${es["category.progress.title"]}:`) }).check();
  await checked(page, "invitation form in Spanish");
  await page.getByRole("button", { name: es["consent.preview.submit"] }).click();
  // The consent she reads, and signs, is in Spanish.
  await expect(page.getByText(es["consent.text.title"]).first()).toBeVisible();
  await checked(page, "consent preview in Spanish");
  await page.getByLabel(es["consent.signature.label"]).fill(patient.name);
  await page.getByRole("button", { name: es["circle.invite.sign"] }).click();
  await expect(page.getByRole("status")).toHaveText(es["circle.notice.invited"]);

  // The e-mail is in Spanish (the language of who sent it), and so is the page it opens for a Spanish browser.
  const body = await mailbox.latestMessage(
    mother.email,
    new RegExp(es["mail.activation.subject"].replace(/[.*+?^${}()|[\]\\]/g, "\\$&")),
  );
  expect(body).toContain(fill(es["mail.invitation.body"], { name: mother.name, link: "" }).split("\n")[0]!.trim());
  const rosa = await newPage({ viewport: phone, locale: "es-MX" });
  await rosa.goto(/https?:\/\/\S+/.exec(body)![0]);
  await checked(rosa, "invitation page in Spanish");
  await rosa.getByLabel(es["field.newPassword"], { exact: true }).fill("rosa password one");
  await rosa.getByLabel(es["field.confirmPassword"]).fill("rosa password one");
  await rosa.getByRole("button", { name: es["invitation.createAndAccept"] }).click();
  await expect(rosa.getByRole("status")).toHaveText(es["supporter.notice.accepted"]);
  await approve(therapist, patient, mother);

  // She reads the first module of the library, in Spanish.
  const welcome = spanishModule("01-welcome.md");
  await rosa.goto("/supporter/learning/library");
  await checked(rosa, "module library in Spanish");
  await rosa.getByRole("link", { name: welcome.title }).click();
  await expect(rosa.getByRole("heading", { level: 1, name: welcome.title })).toBeVisible();
  await rosa.getByRole("link", { name: es["learning.module.start"] }).click();
  await expect(rosa.getByRole("heading", { level: 1, name: welcome.headings[0] })).toBeVisible();
  await expect(
    rosa.getByText(fill(es["learning.section.position"], { number: 1, total: welcome.headings.length })),
  ).toBeVisible();
  await checked(rosa, "a module's section in Spanish");
  await rosa.getByRole("button", { name: es["learning.section.next"] }).click();
  await expect(rosa.getByRole("heading", { level: 1, name: welcome.headings[1] })).toBeVisible();
});
