import { expect, type Page } from "@playwright/test";
import { expectAccessible, invitee, joinCircle, openPatientPage, signIn, test } from "./support";

/**
 * The support plan and the mood-and-craving trend (issue 4, journeys 5 and 7), and a reply refused
 * without JavaScript. Every test enrols its own patient (see `test` in support.ts).
 */

async function postCheckIn(page: Page, mood: string, craving: string, wins: string, shareWith: string[]) {
  await page.goto("/patient/check-ins/new");
  await page.getByRole("group", { name: "Mood" }).getByRole("radio", { name: mood }).check();
  await page.getByLabel("Craving").selectOption(craving);
  await page.getByLabel("Wins").fill(wins);
  for (const name of shareWith) {
    await page
      .getByRole("group", { name: "Share with people in my circle" })
      .getByRole("checkbox", { name, exact: true })
      .check();
  }
  await page.getByRole("button", { name: "Save check-in" }).click();
  await expect(page.getByRole("status")).toHaveText("Your check-in is saved.");
}

test("the patient asks for help in a support plan, a supporter says yes, and the therapist sees the gap left", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  test.slow();
  const dana = invitee("Dana Park", "Parent", ["milestones"]);
  const danaPage = await joinCircle({ page, patient, therapist, mailbox, newPage }, dana);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Support plan" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My support plan" })).toBeVisible();
  await expect(page.getByText("Your plan is empty.")).toBeVisible();
  await expectAccessible(page, "empty support plan");

  // Bad input: nothing chosen.
  await page.getByRole("button", { name: "Add to my plan" }).click();
  await expect(page.getByLabel("What do you need?")).toHaveAccessibleDescription("Choose what you need.");
  await expectAccessible(page, "support plan with an error");

  await page.getByLabel("What do you need?").selectOption({ label: "Rides to sessions" });
  await page.getByLabel("Details (optional)").fill("Tuesdays and Thursdays at 6 pm");
  await page.getByRole("group", { name: "Who would you like to ask?" }).getByRole("checkbox", { name: dana.name }).check();
  await page.getByRole("button", { name: "Add to my plan" }).click();
  await expect(page.getByRole("status")).toHaveText("Added to your plan.");
  await page.getByLabel("What do you need?").selectOption({ label: "A check-in call on hard days" });
  await page.getByRole("button", { name: "Add to my plan" }).click();
  const plan = page.getByRole("list", { name: "My support plan" });
  await expect(plan.getByRole("listitem").filter({ hasText: "Rides to sessions" })).toContainText(
    `${dana.name}: asked, no answer yet`,
  );
  await expect(plan.getByRole("listitem").filter({ hasText: "A check-in call on hard days" })).toContainText(
    "You have not asked anyone yet.",
  );
  await expectAccessible(page, "support plan");

  await danaPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "What I agreed to" }).click();
  const ask = danaPage.getByRole("list", { name: "What I agreed to" }).getByRole("listitem");
  await expect(ask).toHaveCount(1);
  await expect(ask).toContainText(`${patient.name}: Rides to sessions`);
  await expect(ask).toContainText("Tuesdays and Thursdays at 6 pm");
  await expect(danaPage.getByText("42 CFR part 2 prohibits unauthorized use or disclosure of these records.")).toBeVisible();
  await expectAccessible(danaPage, "supporter's asks");
  await ask.getByRole("button", { name: /Yes, I can/ }).click();
  await expect(danaPage.getByRole("status")).toHaveText("Thank you. They can count on you for this.");

  await page.reload();
  await expect(plan.getByRole("listitem").filter({ hasText: "Rides to sessions" })).toContainText(`${dana.name}: said yes`);

  await openPatientPage(therapist, patient);
  await expect(therapist.getByText("1 need nobody has taken on")).toBeVisible();
  const seen = therapist.getByRole("list", { name: "Support plan" });
  await expect(seen.getByRole("listitem").filter({ hasText: "A check-in call on hard days" })).toContainText("Nobody yet");
  await expect(seen.getByRole("listitem").filter({ hasText: "Rides to sessions" })).not.toContainText("Nobody yet");
  await expectAccessible(therapist, "therapist's patient page with a plan");
});

test("mood and craving over the weeks: a chart with a text alternative and a table, for the patient and a supporter", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  test.slow();
  const dana = invitee("Dana Park", "Parent", ["progress"]);
  const danaPage = await joinCircle({ page, patient, therapist, mailbox, newPage }, dana);
  await postCheckIn(page, "2 – Low", "8", "Shared with Dana", [dana.name]);
  await postCheckIn(page, "4 – Good", "2", "Kept to myself", []);

  await page.goto("/patient/check-ins");
  const patientChart = page.getByRole("region", { name: "Mood and craving over the weeks" });
  // The average of both check-ins, this week: mood (2 + 4) / 2, craving (8 + 2) / 2.
  await expect(patientChart.getByRole("img", { name: "Average mood (1 to 5)" })).toHaveAccessibleDescription(
    /to 3 in the week of/,
  );
  await expect(patientChart.getByRole("img", { name: "Average craving (0 to 10)" })).toHaveAccessibleDescription(
    /to 5 in the week of/,
  );
  await patientChart.getByText("Show as a table").click();
  const lastRow = patientChart.getByRole("table").getByRole("row").last();
  await expect(lastRow.getByRole("cell")).toHaveText(["3", "5", "2"]);
  await expectAccessible(page, "trend with its table");

  // The supporter's trend holds only the check-in shared with them.
  await danaPage.goto("/supporter");
  await danaPage.getByRole("link", { name: patient.name, exact: true }).click();
  const supporterChart = danaPage.getByRole("region", { name: "Mood and craving over the weeks" });
  await expect(supporterChart.getByRole("img", { name: "Average mood (1 to 5)" })).toHaveAccessibleDescription(
    /to 2 in the week of/,
  );
  await supporterChart.getByText("Show as a table").click();
  await expect(supporterChart.getByRole("table").getByRole("row").last().getByRole("cell")).toHaveText(["2", "8", "1"]);
  await expectAccessible(danaPage, "supporter's view of the trend");
});

test("without JavaScript, an empty reply is refused with its message in view", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  test.slow();
  const dana = invitee("Dana Park", "Parent", ["progress"]);
  await joinCircle({ page, patient, therapist, mailbox, newPage }, dana);
  await postCheckIn(page, "3 – Okay", "4", "A steady day", [dana.name]);

  const noScript = await newPage({ javaScriptEnabled: false });
  await signIn(noScript, dana.email, "supporter password one");
  await noScript.goto("/supporter/updates");
  await noScript.getByText("Reply with encouragement").click();
  await noScript.getByRole("button", { name: "Send" }).click();
  await expect(noScript.getByLabel("Or your own words (up to 500 characters)")).toBeVisible();
  await expect(noScript.getByLabel("Or your own words (up to 500 characters)")).toHaveAccessibleDescription(
    "Choose a quick message or write a few words.",
  );
  await noScript.getByLabel("Or your own words (up to 500 characters)").fill("Proud of you");
  await noScript.getByRole("button", { name: "Send" }).click();
  await expect(noScript.getByRole("status")).toHaveText("Your reply is sent.");
});
