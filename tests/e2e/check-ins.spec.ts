import { expect, type Page } from "@playwright/test";
import { expectAccessible, invitee, joinCircle, programDate, tabTo, test } from "./support";

/**
 * The check-in and milestone journeys of issue 4, clicked through by each person in their own
 * browser context. Every test enrols its own patient and circle (see `test` in support.ts).
 */

const part2Notice = "42 CFR part 2 prohibits unauthorized use or disclosure of these records.";

type CheckIn = {
  mood?: "1 – Very low" | "2 – Low" | "3 – Okay" | "4 – Good" | "5 – Very good";
  craving?: number;
  wins?: string;
  hard?: string;
  help?: string;
  slip?: boolean;
  /** Names of supporters to tick; nobody by default. */
  audience?: string[];
  /** Ticked by default on the form. */
  careTeam?: boolean;
};

/** Something no other test writes, so a check-in can be found in lists other patients share. */
function unique(text: string) {
  return `${text} [${Math.random().toString(36).slice(2, 7)}]`;
}

function audienceGroup(page: Page) {
  return page.getByRole("group", { name: "Share with people in my circle" });
}

function careTeamBox(page: Page) {
  return page.getByRole("checkbox", { name: "Share with my care team (my therapist)" });
}

async function fillCheckIn(page: Page, checkIn: CheckIn) {
  if (checkIn.mood) await page.getByRole("group", { name: "Mood" }).getByRole("radio", { name: checkIn.mood }).check();
  if (checkIn.craving !== undefined) await page.getByLabel("Craving").selectOption(String(checkIn.craving));
  if (checkIn.wins !== undefined) await page.getByLabel("Wins").fill(checkIn.wins);
  if (checkIn.hard !== undefined) await page.getByLabel("What was hard").fill(checkIn.hard);
  if (checkIn.help !== undefined) await page.getByLabel("How you can help me this week").fill(checkIn.help);
  if (checkIn.slip) await page.getByRole("checkbox", { name: /^This is about a slip\./ }).check();
  for (const name of checkIn.audience ?? []) {
    await audienceGroup(page).getByRole("checkbox", { name, exact: true }).check();
  }
  if (checkIn.careTeam === false) await careTeamBox(page).uncheck();
}

/** The patient writes a check-in (the form and the list are checked with axe in the first test). */
async function postCheckIn(page: Page, checkIn: CheckIn) {
  await page.goto("/patient/check-ins/new");
  await expect(page.getByRole("heading", { level: 1, name: "New check-in" })).toBeVisible();
  await fillCheckIn(page, checkIn);
  await page.getByRole("button", { name: "Save check-in" }).click();
  await expect(page.getByRole("status")).toHaveText("Your check-in is saved.");
}

/** One of the patient's own check-ins on /patient/check-ins, found by its words. */
function ownEntry(page: Page, text: string) {
  return page.getByRole("list", { name: "My check-ins" }).getByRole("listitem").filter({ hasText: text });
}

/** The supporter's feed, and one entry of it found by its words. */
function feed(page: Page) {
  return page.getByRole("list", { name: "Updates" });
}

function feedEntry(page: Page, text: string) {
  return feed(page).getByRole("listitem").filter({ hasText: text });
}

/** Top-level entries only (replies are list items too). */
function feedEntries(page: Page) {
  return feed(page).locator(":scope > li");
}

async function openUpdates(supporter: Page) {
  await supporter.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Updates" }).click();
  await expect(supporter.getByRole("heading", { level: 1, name: "Updates" })).toBeVisible();
}

async function expectNoSideways(page: Page, label: string) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `page width of ${label} at 360 px`).toBeLessThanOrEqual(360);
}

test("the patient posts a check-in to one supporter, moves it to another, and deletes it for everyone", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  test.slow();
  const cast = { page, patient, therapist, mailbox, newPage };
  const dana = invitee("Dana Park", "Parent", ["progress"]);
  const lee = invitee("Lee Park", "Partner or spouse", ["progress", "milestones"]);
  const danaPage = await joinCircle(cast, dana);
  const leePage = await joinCircle(cast, lee);

  // From the circle page the invitations left the patient on.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Check-ins" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My check-ins" })).toBeVisible();
  await expect(page.getByText("No check-ins yet.")).toBeVisible();
  await expectAccessible(page, "no check-ins yet");

  await page.getByRole("link", { name: "New check-in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New check-in" })).toBeVisible();
  // Only supporters whose consent includes progress are listed; nobody is ticked; the care team is.
  const audience = audienceGroup(page).getByRole("checkbox");
  await expect(audience).toHaveCount(2);
  await expect(audienceGroup(page).getByRole("checkbox", { name: dana.name, exact: true })).not.toBeChecked();
  await expect(audienceGroup(page).getByRole("checkbox", { name: lee.name, exact: true })).not.toBeChecked();
  await expect(careTeamBox(page)).toBeChecked();
  await expect(page.getByRole("radio", { name: "Rather not say" })).toBeChecked();
  await expectAccessible(page, "new check-in");

  // Nothing filled in: one message for the whole form, and nothing saved.
  await page.getByRole("button", { name: "Save check-in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Fill in at least one thing: a mood, a craving, or a few words.");
  await expect(page).toHaveURL(/\/patient\/check-ins\/new$/);
  await expectAccessible(page, "new check-in with nothing filled in");

  const wins = "Went to all three groups this week.";
  const hard = "Friday night, on my own.";
  const help = "Text me on Friday evening.";
  await fillCheckIn(page, { mood: "4 – Good", craving: 3, wins, hard, help, audience: [dana.name] });
  await page.getByRole("button", { name: "Save check-in" }).click();
  await expect(page).toHaveURL(/\/patient\/check-ins\?saved=1$/);
  await expect(page.getByRole("status")).toHaveText("Your check-in is saved.");
  await expect(page.getByRole("list", { name: "My check-ins" }).locator(":scope > li")).toHaveCount(1);
  const entry = ownEntry(page, wins);
  await expect(entry).toContainText("4 – Good");
  await expect(entry).toContainText("3 out of 10");
  await expect(entry).toContainText(hard);
  await expect(entry).toContainText(help);
  await expect(entry).toContainText(`Shared with ${dana.name}`);
  await expect(entry).toContainText("Shared with your care team");
  await expectAccessible(page, "my check-ins");

  await openUpdates(danaPage);
  await expect(feedEntry(danaPage, wins)).toContainText(patient.name);
  await expect(feedEntry(danaPage, wins)).toContainText(help);
  await expectAccessible(danaPage, "Dana's updates");
  await openUpdates(leePage);
  await expect(
    leePage.getByText(`${patient.name} chooses which check-ins to share with you, one at a time.`, { exact: false }),
  ).toBeVisible();
  await expect(feedEntry(leePage, wins)).toHaveCount(0);
  await expectAccessible(leePage, "Lee's empty updates");

  // The patient moves it from Dana to Lee, and changes the words.
  await entry.getByRole("link", { name: "Edit or delete" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Edit check-in" })).toBeVisible();
  await expect(page.getByRole("radio", { name: "4 – Good" })).toBeChecked();
  await expect(page.getByLabel("Craving")).toHaveValue("3");
  await expect(page.getByLabel("Wins")).toHaveValue(wins);
  await expect(audienceGroup(page).getByRole("checkbox", { name: dana.name, exact: true })).toBeChecked();
  await expect(audienceGroup(page).getByRole("checkbox", { name: lee.name, exact: true })).not.toBeChecked();
  await expect(careTeamBox(page)).toBeChecked();
  await expectAccessible(page, "edit check-in");

  const editedWins = "Went to all three groups, and to a meeting.";
  await page.getByLabel("Wins").fill(editedWins);
  await audienceGroup(page).getByRole("checkbox", { name: dana.name, exact: true }).uncheck();
  await audienceGroup(page).getByRole("checkbox", { name: lee.name, exact: true }).check();
  await page.getByRole("button", { name: "Save check-in" }).click();
  await expect(page.getByRole("status")).toHaveText("Your check-in is saved.");
  const edited = ownEntry(page, editedWins);
  await expect(edited).toContainText(`Shared with ${lee.name}`);
  await expect(edited).not.toContainText(dana.name);
  await expect(ownEntry(page, wins)).toHaveCount(0);

  // Audience changes apply on the supporters' next request.
  await danaPage.reload();
  await expect(
    danaPage.getByText(`${patient.name} chooses which check-ins to share with you, one at a time.`, { exact: false }),
  ).toBeVisible();
  await expect(feedEntries(danaPage)).toHaveCount(0);
  await expectAccessible(danaPage, "Dana's updates after the move");
  await leePage.reload();
  await expect(feedEntry(leePage, editedWins)).toContainText(patient.name);
  await expect(leePage.getByRole("complementary", { name: "Privacy notice" })).toContainText(part2Notice);
  await expectAccessible(leePage, "Lee's updates after the move");

  await edited.getByRole("link", { name: "Edit or delete" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Delete this check-in" })).toBeVisible();
  await page.getByRole("button", { name: "Delete check-in" }).click();
  await page.getByRole("dialog", { name: "Delete this check-in?" }).getByRole("button", { name: "Delete check-in" }).click();
  await expect(page).toHaveURL(/\/patient\/check-ins\?deleted=1$/);
  await expect(page.getByRole("status")).toHaveText("Your check-in is deleted. Nobody can see it any more.");
  await expect(page.getByText("No check-ins yet.")).toBeVisible();
  await expectAccessible(page, "my check-ins after deleting");

  await leePage.reload();
  await expect(feedEntry(leePage, editedWins)).toHaveCount(0);
  await expect(
    leePage.getByText(`${patient.name} chooses which check-ins to share with you, one at a time.`, { exact: false }),
  ).toBeVisible();
  await expectAccessible(leePage, "Lee's updates after the deletion");
});

test("a supporter reads what was shared with them, newest first, replies, and the patient reads the replies", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  test.slow();
  const cast = { page, patient, therapist, mailbox, newPage };
  const dana = invitee("Dana Park", "Parent", ["progress"]);
  const lee = invitee("Lee Park", "Friend", ["progress"]);
  const danaPage = await joinCircle(cast, dana);
  const leePage = await joinCircle(cast, lee);

  const older = "First week done. Tired but here.";
  const journal = "Only for me: I nearly skipped group today.";
  const newer = "Slept through the night for the first time.";
  await postCheckIn(page, { mood: "3 – Okay", wins: older, audience: [dana.name] });
  await postCheckIn(page, { mood: "2 – Low", hard: journal });
  await postCheckIn(page, { mood: "5 – Very good", craving: 1, wins: newer, audience: [dana.name, lee.name] });
  await expect(ownEntry(page, journal)).toContainText("Only you (not shared with your circle)");

  await openUpdates(danaPage);
  await expect(danaPage.getByRole("complementary", { name: "Privacy notice" })).toContainText(part2Notice);
  await expect(feedEntries(danaPage)).toHaveCount(2);
  await expect(feedEntries(danaPage).nth(0)).toContainText(newer);
  await expect(feedEntries(danaPage).nth(0)).toContainText("5 – Very good");
  await expect(feedEntries(danaPage).nth(0)).toContainText("1 out of 10");
  await expect(feedEntries(danaPage).nth(1)).toContainText(older);
  await expect(feed(danaPage)).not.toContainText(journal);
  await expectAccessible(danaPage, "Dana's updates");

  // A quick message on the newest…
  const newest = feedEntry(danaPage, newer);
  await newest.getByText("Reply with encouragement").click();
  await newest.getByLabel("A quick message").selectOption({ label: "I'm proud of you." });
  await expectAccessible(danaPage, "Dana's updates with a reply form open");
  await newest.getByRole("button", { name: "Send" }).click();
  await expect(danaPage).toHaveURL(/\/supporter\/updates\?replied=1$/);
  await expect(danaPage.getByRole("status")).toHaveText("Your reply is sent.");
  await expect(feedEntry(danaPage, newer).getByRole("list", { name: "Replies" })).toHaveText(`${dana.name}: I'm proud of you.`);

  // …and their own words on the older one.
  const ownWords = "So glad you're there every day. Sunday lunch at ours?";
  const first = feedEntry(danaPage, older);
  await first.getByText("Reply with encouragement").click();
  const words = first.getByLabel("Or your own words (up to 500 characters)");
  // Sending nothing is refused at the field.
  await first.getByRole("button", { name: "Send" }).click();
  await expect(words).toHaveAccessibleDescription("Choose a quick message or write a few words.");
  await expect(words).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(danaPage, "Dana's updates with an empty reply");
  await words.fill(ownWords);
  await first.getByRole("button", { name: "Send" }).click();
  await expect(danaPage.getByRole("status")).toHaveText("Your reply is sent.");
  await expect(feedEntry(danaPage, older).getByRole("list", { name: "Replies" })).toHaveText(`${dana.name}: ${ownWords}`);
  await expectAccessible(danaPage, "Dana's updates after replying");

  // Lee sees only what was shared with Lee, and not Dana's replies.
  await openUpdates(leePage);
  await expect(feedEntries(leePage)).toHaveCount(1);
  await expect(feedEntries(leePage).first()).toContainText(newer);
  await expect(feed(leePage)).not.toContainText(older);
  await expect(feed(leePage)).not.toContainText(journal);
  await expect(feed(leePage)).not.toContainText(`${dana.name}:`);
  await expect(feedEntry(leePage, newer).getByRole("list", { name: "Replies" })).toHaveCount(0);
  await expectAccessible(leePage, "Lee's updates");

  await page.goto("/patient/check-ins");
  await expect(ownEntry(page, newer).getByRole("list", { name: "Replies" })).toHaveText(`${dana.name}: I'm proud of you.`);
  await expect(ownEntry(page, older).getByRole("list", { name: "Replies" })).toHaveText(`${dana.name}: ${ownWords}`);
  await expect(ownEntry(page, journal).getByRole("list", { name: "Replies" })).toHaveCount(0);
  await expectAccessible(page, "my check-ins with replies");
});

test("the patient counts days in recovery; a supporter with milestones sees them and how to celebrate well", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  test.slow();
  const dana = invitee("Dana Park", "Parent", ["milestones"]);
  const danaPage = await joinCircle({ page, patient, therapist, mailbox, newPage }, dana);

  // Dana's consent does not include check-ins, so there is nobody to share one with.
  await page.goto("/patient/check-ins/new");
  await expect(audienceGroup(page)).toContainText(
    "Nobody in your circle can see check-ins yet: their consent has to include check-ins.",
  );
  await expect(audienceGroup(page).getByRole("checkbox")).toHaveCount(0);
  await expectAccessible(page, "new check-in with nobody to share with");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Milestones" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Milestones" })).toBeVisible();
  await expect(page.getByText("You are not counting days. That is fine: it is your choice.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Stop counting days" })).toHaveCount(0);
  await expectAccessible(page, "milestones, not counting");

  const startDate = page.getByLabel("The date I count my recovery from");
  await startDate.fill(programDate(1));
  await page.getByRole("button", { name: "Save the date" }).click();
  await expect(startDate).toHaveAccessibleDescription(/Choose today or a day before\.$/);
  await expect(page.getByText("You are not counting days. That is fine: it is your choice.")).toBeVisible();
  await expectAccessible(page, "milestones with a date in the future");

  await startDate.fill(programDate(-8));
  await page.getByRole("button", { name: "Save the date" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await expect(page.getByText("8 days in recovery")).toBeVisible();
  const marks = page.getByRole("list", { name: "Days worth marking" }).getByRole("listitem");
  await expect(marks).toHaveText([
    "1 day (reached)",
    "7 days (reached)",
    "30 days (not yet)",
    "60 days (not yet)",
    "90 days (not yet)",
    "180 days (not yet)",
    "365 days (not yet)",
  ]);
  await expect(page.getByText("22 days to go until 30 days.")).toBeVisible();
  await expect(startDate).toHaveValue(programDate(-8));
  await expectAccessible(page, "milestones, counting");

  await danaPage.goto("/supporter");
  await expectAccessible(danaPage, "supporter home");
  await danaPage
    .getByRole("region", { name: "People you support" })
    .getByRole("link", { name: patient.name, exact: true })
    .click();
  await expect(danaPage.getByRole("heading", { level: 1, name: patient.name })).toBeVisible();
  await expect(danaPage.getByRole("complementary", { name: "Privacy notice" })).toContainText(part2Notice);
  const milestones = danaPage.getByRole("region", { name: "Milestones" });
  await expect(milestones.getByText("8 days in recovery")).toBeVisible();
  await expect(milestones.getByRole("list", { name: "Days worth marking" }).getByRole("listitem").nth(1)).toHaveText(
    "7 days (reached)",
  );
  const celebrate = milestones.getByRole("complementary", { name: "Celebrating well" });
  await expect(celebrate).toContainText("Notice the effort, not just the number");
  await expect(celebrate).toContainText("free of alcohol and other drugs");
  await expectAccessible(danaPage, "supporter's view of the milestones");
});

test("the patient shares a slip with one supporter in their own words; only they see it, with a guide", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  test.slow();
  const cast = { page, patient, therapist, mailbox, newPage };
  const dana = invitee("Dana Park", "Parent", ["progress"]);
  const lee = invitee("Lee Park", "Brother or sister", ["progress"]);
  const danaPage = await joinCircle(cast, dana);
  const leePage = await joinCircle(cast, lee);

  const hard = "I drank on Saturday after the party. I told my therapist on Monday.";
  const help = "Please don't lecture me. Come for a walk on Sunday.";
  await page.goto("/patient/check-ins/new");
  const slip = page.getByRole("checkbox", { name: /^This is about a slip\./ });
  await expect(slip).not.toBeChecked();
  await expect(slip).toHaveAccessibleName(/It is only shared with the people you tick, in your own words\./);
  await fillCheckIn(page, { hard, help, slip: true, audience: [dana.name] });
  await page.getByRole("button", { name: "Save check-in" }).click();
  await expect(page.getByRole("status")).toHaveText("Your check-in is saved.");
  const own = ownEntry(page, hard);
  await expect(own).toContainText("Slip");
  await expect(own).toContainText(`Shared with ${dana.name}`);
  await expectAccessible(page, "my check-ins with a slip");

  await openUpdates(danaPage);
  const entry = feedEntry(danaPage, hard);
  await expect(entry.getByText("Slip", { exact: true })).toBeVisible();
  await expect(entry).toContainText(help);
  const guide = entry.getByRole("complementary", { name: "Responding to a slip" });
  await expect(guide).toContainText("They trusted you with this.");
  await expect(guide).toContainText("A slip is common in recovery and is not a failure.");
  await expect(guide).toContainText("call or text 988");
  await expect(danaPage.getByRole("complementary", { name: "Privacy notice" })).toContainText(part2Notice);
  await expectAccessible(danaPage, "a shared slip");

  // Nothing is announced to anyone else.
  await openUpdates(leePage);
  await expect(
    leePage.getByText(`${patient.name} chooses which check-ins to share with you, one at a time.`, { exact: false }),
  ).toBeVisible();
  await expect(leePage.getByRole("main")).not.toContainText(hard);
  await expect(leePage.getByRole("complementary", { name: "Responding to a slip" })).toHaveCount(0);
  await expectAccessible(leePage, "updates of a supporter the slip was not shared with");
});

test("the therapist sees the check-ins shared with the care team, and who has shared nothing this week", async ({
  page,
  patient,
  therapist,
}) => {
  const quiet = therapist.getByRole("region", { name: "No check-in shared in the last 7 days" });
  const shared = therapist.getByRole("list", { name: "Shared with the care team" });

  // The therapist starts from the caseload they landed on when signing in.
  await therapist.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Check-ins" }).click();
  await expect(therapist.getByRole("heading", { level: 1, name: "Check-ins" })).toBeVisible();
  await expect(quiet.getByRole("link", { name: patient.name, exact: true })).toBeVisible();
  await expectAccessible(therapist, "therapist's check-ins");

  // Kept from the care team: the patient is still someone who shared nothing this week.
  const notForTheTeam = unique("Rough week, I want to talk about it myself first.");
  await postCheckIn(page, { mood: "2 – Low", hard: notForTheTeam, careTeam: false });
  await expect(ownEntry(page, notForTheTeam)).toContainText("Not shared with your care team");
  await therapist.reload();
  await expect(therapist.getByRole("heading", { level: 1, name: "Check-ins" })).toBeVisible();
  await expect(therapist.getByRole("main")).not.toContainText(notForTheTeam);
  await expect(quiet.getByRole("link", { name: patient.name, exact: true })).toBeVisible();

  const forTheTeam = unique("Used the urge-surfing exercise twice.");
  await postCheckIn(page, { mood: "4 – Good", craving: 5, wins: forTheTeam });
  await expect(ownEntry(page, forTheTeam)).toContainText("Shared with your care team");
  await therapist.reload();
  const entry = shared.getByRole("listitem").filter({ hasText: forTheTeam });
  await expect(entry).toContainText(patient.name);
  await expect(entry).toContainText("4 – Good");
  await expect(entry).toContainText("5 out of 10");
  await expect(therapist.getByRole("main")).not.toContainText(notForTheTeam);
  await expect(quiet.getByRole("link", { name: patient.name, exact: true })).toHaveCount(0);
  await expectAccessible(therapist, "therapist's check-ins with a shared one");
});

test.describe("on a 360 px phone", () => {
  test.use({ viewport: { width: 360, height: 800 } });

  test("the check-in form fits and can be filled in by keyboard alone; the updates page fits", async ({
    page,
    patient,
    therapist,
    mailbox,
    newPage,
  }) => {
    test.slow();
    const dana = invitee("Dana Park", "Partner or spouse", ["progress"]);
    const danaPage = await joinCircle({ page, patient, therapist, mailbox, newPage }, dana);

    await page.goto("/patient/check-ins/new");
    await expect(page.getByRole("heading", { level: 1, name: "New check-in" })).toBeVisible();
    await expectNoSideways(page, "new check-in");
    await expectAccessible(page, "new check-in at 360 px");

    // Keyboard only from here: Tab to each control, arrows in the radio group and the select, Space, Enter.
    const wins = "Cooked dinner for us both, and went to bed early: https://example.org/recovery/a-long-link-someone-pasted";
    await tabTo(page, page.getByRole("radio", { name: "Rather not say" }));
    for (let step = 0; step < 4; step++) await page.keyboard.press("ArrowDown");
    await expect(page.getByRole("radio", { name: "4 – Good" })).toBeChecked();
    await tabTo(page, page.getByLabel("Craving"));
    for (let step = 0; step < 3; step++) await page.keyboard.press("ArrowDown");
    await expect(page.getByLabel("Craving")).toHaveValue("2");
    await tabTo(page, page.getByLabel("Wins"));
    await page.keyboard.type(wins);
    const danaBox = audienceGroup(page).getByRole("checkbox", { name: dana.name, exact: true });
    await tabTo(page, danaBox);
    await page.keyboard.press("Space");
    await expect(danaBox).toBeChecked();
    await expectNoSideways(page, "new check-in, filled in");
    await tabTo(page, page.getByRole("button", { name: "Save check-in" }));
    await page.keyboard.press("Enter");
    await expect(page.getByRole("status")).toHaveText("Your check-in is saved.");
    const own = ownEntry(page, wins);
    await expect(own).toContainText("4 – Good");
    await expect(own).toContainText("2 out of 10");
    await expect(own).toContainText(`Shared with ${dana.name}`);
    await expectNoSideways(page, "my check-ins");
    await expectAccessible(page, "my check-ins at 360 px");

    await danaPage.goto("/supporter/updates");
    await expect(feedEntry(danaPage, wins)).toContainText(patient.name);
    await expectNoSideways(danaPage, "updates");
    await feedEntry(danaPage, wins).getByText("Reply with encouragement").click();
    await expect(feedEntry(danaPage, wins).getByLabel("A quick message")).toBeVisible();
    await expectNoSideways(danaPage, "updates with a reply form open");
    await expectAccessible(danaPage, "updates at 360 px");
  });
});
