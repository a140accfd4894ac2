import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { parse as parseYaml } from "yaml";
import {
  demo,
  expectAccessible,
  expectNoHorizontalScroll,
  invitee,
  joinCircle,
  openNavigation,
  openPatientPage,
  programDate,
  signIn,
  tabTo,
  test,
} from "./support";

/**
 * Family education (issue 5): the therapist assigns, the supporter reads section by section on a
 * phone, resumes on another device, takes the knowledge check until they pass, reflects and
 * practises; the therapist and the patient see the progress. Every module page is checked with axe
 * at 360 px.
 */

type Quiz = { id: string; question: string; options: { id: string; text: string }[]; answer: string }[];

/** The module's questions and answer key, read from its content file: what a person who studied would answer. */
function moduleFile(file: string) {
  const source = fs.readFileSync(path.resolve("content/modules", file), "utf8");
  const frontMatter = parseYaml(source.split(/^---$/m)[1]!) as { title: string; quiz: Quiz };
  const headings = [...source.matchAll(/^## (.+)$/gm)].map((match) => match[1]!.trim());
  return { ...frontMatter, headings };
}

const triggers = moduleFile("03-triggers-and-cravings.md");

async function checkPage(page: Page, label: string) {
  await expectAccessible(page, `${label} at 360 px`);
  await expectNoHorizontalScroll(page);
}

/** Answers every question; the first `wrong` of them with a wrong option. */
async function answerQuiz(page: Page, quiz: Quiz, wrong = 0) {
  for (const [index, question] of quiz.entries()) {
    const option =
      index < wrong
        ? question.options.find((candidate) => candidate.id !== question.answer)!
        : question.options.find((candidate) => candidate.id === question.answer)!;
    await page
      .getByRole("group", { name: `Question ${index + 1}.` })
      .getByRole("radio", { name: option.text, exact: true })
      .check();
  }
}

test("the therapist assigns a module; the supporter reads it on a phone, resumes elsewhere, passes the check, reflects and practises", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  test.slow();
  const dana = invitee("Dana Park", "Parent", ["progress", "education"]);
  const danaPage = await joinCircle({ page, patient, therapist, mailbox, newPage }, dana);

  // 1. The therapist assigns the module to Dana, with a due date.
  await openPatientPage(therapist, patient);
  await therapist.getByRole("link", { name: "Family learning" }).click();
  await expect(therapist.getByRole("heading", { level: 1, name: `Family learning: ${patient.name}` })).toBeVisible();
  await expect(therapist.getByText("No modules asked yet.")).toBeVisible();
  await expectAccessible(therapist, "family learning, nothing assigned");
  await therapist.getByRole("button", { name: "Assign the module" }).click();
  await expect(therapist.getByLabel("Module")).toHaveAccessibleDescription("Choose a module.");
  await expect(therapist.getByLabel("Who should take it")).toHaveAccessibleDescription("Choose who should take the module.");
  await expectAccessible(therapist, "assign form with errors");
  await therapist.getByLabel("Module").selectOption({ label: `${triggers.title} (4 minutes)` });
  await therapist.getByLabel("Who should take it").selectOption({ label: dana.name });
  await therapist.getByLabel("Due date (optional)").fill(programDate(7));
  await therapist.getByRole("button", { name: "Assign the module" }).click();
  await expect(therapist.getByRole("status")).toContainText("The module was assigned.");
  await expect(therapist.getByRole("listitem").filter({ hasText: triggers.title }).last()).toContainText("Not started");

  // A module asked goes to the supporter's daily summary by default (tests/integration/notifications.test.ts).

  // 2. My learning, on a phone.
  await danaPage.setViewportSize({ width: 360, height: 740 });
  await danaPage.goto("/supporter");
  await openNavigation(danaPage);
  await danaPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My learning" }).click();
  await expect(danaPage.getByRole("heading", { level: 1, name: "My learning" })).toBeVisible();
  const assigned = danaPage.getByRole("region", { name: `For ${patient.name}` });
  await expect(assigned.getByRole("listitem").filter({ hasText: triggers.title })).toContainText("Not started");
  await expect(assigned.getByRole("progressbar", { name: `Progress in ${triggers.title}` })).toHaveAttribute("value", "0");
  await checkPage(danaPage, "my learning");
  await danaPage.getByRole("link", { name: "Browse the library" }).click();
  await expect(danaPage.getByRole("list", { name: "Module library" }).getByRole("listitem")).toHaveCount(10);
  await checkPage(danaPage, "module library");

  // 3. Section by section; progress is saved as each is read.
  await danaPage.getByRole("link", { name: triggers.title }).click();
  await expect(danaPage.getByRole("heading", { level: 1, name: triggers.title })).toBeVisible();
  await checkPage(danaPage, "module overview");
  await danaPage.getByRole("link", { name: "Start reading" }).click();
  await expect(danaPage.getByRole("heading", { level: 1, name: triggers.headings[0] })).toBeVisible();
  await expect(danaPage.getByText(`Section 1 of ${triggers.headings.length}`)).toBeVisible();
  await checkPage(danaPage, "first section");
  // By keyboard: Tab to the button and press Enter.
  const next = danaPage.getByRole("button", { name: "Done, next section" });
  await tabTo(danaPage, next);
  await danaPage.keyboard.press("Enter");
  await expect(danaPage.getByRole("heading", { level: 1, name: triggers.headings[1] })).toBeVisible();
  await danaPage.getByRole("button", { name: "Done, next section" }).click();
  await expect(danaPage.getByRole("heading", { level: 1, name: triggers.headings[2] })).toBeVisible();

  // On another device, Dana continues where she left off.
  const laptop = await newPage();
  await signIn(laptop, dana.email, "supporter password one");
  await laptop.goto("/supporter/learning");
  await laptop.getByRole("link", { name: triggers.title }).click();
  await expect(laptop.getByRole("listitem").filter({ hasText: triggers.headings[0]! })).toContainText("read");
  await laptop.getByRole("link", { name: "Continue where you left off" }).click();
  await expect(laptop.getByRole("heading", { level: 1, name: triggers.headings[2] })).toBeVisible();
  await laptop.getByRole("button", { name: "Done, next section" }).click();
  await expect(laptop.getByRole("heading", { level: 1, name: triggers.headings[3] })).toBeVisible();
  await laptop.getByRole("button", { name: "Done, go to the knowledge check" }).click();

  // 4. The knowledge check, back on the phone: nothing answered, then a fail, then a pass.
  await expect(laptop.getByRole("heading", { level: 1, name: "Knowledge check" })).toBeVisible();
  await danaPage.goto("/supporter/learning/triggers-and-cravings/check");
  await checkPage(danaPage, "knowledge check");
  await danaPage.getByRole("button", { name: "Check my answers" }).click();
  await expect(danaPage.getByRole("alert")).toHaveText("Some questions need an answer. Nothing was scored yet.");
  await expect(danaPage.getByRole("group", { name: "Question 1." })).toHaveAccessibleDescription(
    "Choose an answer to this question.",
  );
  await checkPage(danaPage, "knowledge check with errors");
  await answerQuiz(danaPage, triggers.quiz, 2);
  await danaPage.getByRole("button", { name: "Check my answers" }).click();
  await expect(danaPage.getByRole("status")).toContainText(
    `You got ${triggers.quiz.length - 2} of ${triggers.quiz.length} right`,
  );
  await expect(danaPage.getByRole("status")).toContainText("You need 80% to pass.");
  await expect(danaPage.getByText("Not quite")).toHaveCount(2);
  await checkPage(danaPage, "failed attempt");
  await danaPage.getByRole("link", { name: "Try the knowledge check again" }).click();
  await answerQuiz(danaPage, triggers.quiz);
  await danaPage.getByRole("button", { name: "Check my answers" }).click();
  await expect(danaPage.getByRole("status")).toContainText("You passed.");
  await checkPage(danaPage, "passed attempt");
  await danaPage.getByRole("link", { name: "Back to the module" }).click();
  await expect(danaPage.getByText(/You completed this module on/)).toBeVisible();
  await expect(danaPage.getByRole("progressbar", { name: `Progress in ${triggers.title}` })).toHaveAttribute("value", "100");
  await expect(danaPage.getByRole("list", { name: "Your attempts" }).getByRole("listitem")).toHaveCount(2);

  // 5. The reflection, shared with the therapist, and the practice.
  const reflection = "I will ask what helps instead of guessing.";
  await danaPage.getByRole("textbox").fill(reflection);
  await danaPage
    .getByRole("checkbox", { name: "Share this reflection with the therapist who asked me to take this module" })
    .check();
  await danaPage.getByRole("button", { name: "Save my reflection" }).click();
  await expect(danaPage.getByRole("status")).toHaveText("Your reflection is saved.");
  await danaPage.getByRole("button", { name: "Mark as done" }).click();
  await expect(danaPage.getByText("You marked this as done.")).toBeVisible();
  await checkPage(danaPage, "completed module");

  // 6. The therapist sees the completion, the score and the shared reflection.
  await therapist.reload();
  // The innermost item: one module of Dana's (the outer item is Dana herself).
  const danaRow = therapist.getByRole("listitem").filter({ hasText: triggers.title }).last();
  await expect(danaRow).toContainText("Completed");
  await expect(danaRow).toContainText("Best knowledge-check score: 100%");
  await expect(danaRow).toContainText(reflection);

  // The patient sees Dana's progress (her consent includes education), never her reflection, and suggests a module.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Learning" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My circle’s learning" })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: triggers.title }).last()).toContainText("Completed");
  await expect(page.getByText(reflection)).toHaveCount(0);
  await expectAccessible(page, "patient learning");
  await page.getByLabel("Module").selectOption({ label: "Talking So It Helps (5 minutes)" });
  await page.getByLabel("Who should take it").selectOption({ label: dana.name });
  await page.getByRole("button", { name: "Suggest the module" }).click();
  await expect(page.getByRole("status")).toContainText("Your suggestion was sent.");

  await danaPage.goto("/supporter/learning");
  await expect(danaPage.getByRole("listitem").filter({ hasText: "Talking So It Helps" })).toContainText(
    `Suggested by ${patient.name}`,
  );
});

test("the demo supporter has one module completed, one in progress and one overdue; the therapist sees who is overdue", async ({
  page,
  newPage,
}) => {
  await signIn(page, demo.supporter);
  await page.goto("/supporter/learning");
  const asked = page.getByRole("region", { name: "For Jordan Rivera" });
  await expect(asked.getByRole("listitem").filter({ hasText: "Welcome to Care Circle" })).toContainText("Completed");
  await expect(asked.getByRole("listitem").filter({ hasText: "Understanding Addiction" })).toContainText("In progress");
  await expect(asked.getByRole("listitem").filter({ hasText: "Triggers, Cravings" })).toContainText("Overdue");
  await expectAccessible(page, "demo supporter's learning");

  const therapist = await newPage();
  await signIn(therapist, demo.therapist);
  await therapist.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Learning" }).click();
  await expect(therapist.getByRole("heading", { level: 1, name: "Overdue learning" })).toBeVisible();
  const overdue = therapist
    .getByRole("list", { name: "Overdue learning" })
    .getByRole("listitem")
    .filter({ hasText: "Pat Rivera" });
  await expect(overdue).toContainText("Triggers, Cravings");
  await expectAccessible(therapist, "overdue learning");
  await overdue.getByRole("link", { name: "Jordan Rivera’s circle" }).click();
  const welcome = therapist.getByRole("listitem").filter({ hasText: "Welcome to Care Circle" }).last();
  await expect(welcome).toContainText("Completed");
  await expect(welcome).toContainText("Reflection shared with you:");
  await expectAccessible(therapist, "demo family learning");
});

test("a module taken without JavaScript: sections, a refused empty check, and a pass", async ({ newPage }) => {
  test.slow();
  const boundaries = moduleFile("06-boundaries.md");
  const page = await newPage({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  await signIn(page, demo.supporter);
  await page.goto("/supporter/learning/library");
  await page.getByRole("link", { name: boundaries.title }).click();
  await page.getByRole("link", { name: /Start reading|Continue where you left off/ }).click();
  for (const [index, heading] of boundaries.headings.entries()) {
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    const last = index === boundaries.headings.length - 1;
    await page.getByRole("button", { name: last ? "Done, go to the knowledge check" : "Done, next section" }).click();
  }
  await expect(page.getByRole("heading", { level: 1, name: "Knowledge check" })).toBeVisible();
  await page.getByRole("button", { name: "Check my answers" }).click();
  await expect(page.getByRole("alert")).toHaveText("Some questions need an answer. Nothing was scored yet.");
  await answerQuiz(page, boundaries.quiz);
  await page.getByRole("button", { name: "Check my answers" }).click();
  await expect(page.getByRole("status")).toContainText("You passed.");
});
