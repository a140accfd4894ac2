import { readFile } from "node:fs/promises";
import { expect, type Page } from "@playwright/test";
import {
  accept,
  approvalItem,
  circleMember,
  expectAccessible,
  fillInvitation,
  invite,
  invitee,
  joinCircle,
  signIn,
  test,
  type Invitee,
} from "./support";

/**
 * The care-circle journeys of issue 3, clicked through by each person in their own browser context.
 * Every test enrols its own patient (primary therapist: the demo therapist), so that circles,
 * consents and disclosure logs hold only that test's rows while other workers share the database,
 * and the 20-a-day invitation limit of the demo patient is never shared between tests.
 */

/** A calendar date `days` from today, as an <input type="date"> takes it, and as the app writes it (en-US). */
function dateFromToday(days: number) {
  const date = new Date(Date.now() + days * 86_400_000);
  return {
    iso: date.toISOString().slice(0, 10),
    long: new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" }).format(date),
  };
}

test("the patient invites someone, reads the consent as it will be stored, and signs it", async ({ page, patient }) => {
  const dana = invitee("Dana Park", "Parent", ["attendance", "milestones"]);
  const until = dateFromToday(60);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My circle" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My care circle" })).toBeVisible();
  await expect(page.getByText("Your circle is empty for now.")).toBeVisible();
  await expectAccessible(page, "empty circle");

  await page.getByRole("link", { name: "Invite someone" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Invite someone" })).toBeVisible();
  await expectAccessible(page, "invite");

  // Bad input: each message sits at its field (and is announced with it).
  await page.getByRole("button", { name: "Review the consent" }).click();
  await expect(page.getByLabel("Their name")).toHaveAccessibleDescription("Enter a name.");
  await expect(page.getByLabel("E-mail address")).toHaveAccessibleDescription(/Enter an e-mail address\.$/);
  await expect(page.getByLabel("How they are related to you")).toHaveAccessibleDescription("Choose how they are related to you.");
  await expect(page.getByRole("group", { name: "What may they see?" })).toHaveAccessibleDescription(
    "Choose at least one thing they may see.",
  );
  await expect(page.getByLabel("Their name")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "invite with errors");

  await fillInvitation(page, { ...dana, email: "dana.park.example.test" });
  await page.getByRole("radio", { name: "Until a date I choose" }).check();
  await page.getByRole("button", { name: "Review the consent" }).click();
  await expect(page.getByLabel("E-mail address")).toHaveAccessibleDescription(
    /Enter an e-mail address like name@example\.com\.$/,
  );
  await expect(page.getByLabel("End date")).toHaveAccessibleDescription(
    /Choose an end date, or choose “until the end of my program”\.$/,
  );
  await expect(page.getByRole("heading", { name: "Your consent" })).toHaveCount(0);

  await page.getByLabel("E-mail address").fill(dana.email);
  await page.getByLabel("End date").fill(until.iso);
  await page.getByRole("button", { name: "Review the consent" }).click();

  // The preview is the stored text: every element of a Part 2 consent, in plain language.
  const preview = page.getByRole("region", { name: "Your consent" }).getByRole("article", { name: "Consent text" });
  await expect(preview).toContainText(`I, ${patient.name}, allow Riverbend IOP (demo) to share information`);
  await expect(preview).toContainText(`with ${dana.name} (Parent, ${dana.email}).`);
  await expect(preview).toContainText("- Attendance: my program schedule and whether I attended my sessions");
  await expect(preview).toContainText("- Milestones: my days in recovery, if I track them, and my week in the program");
  await expect(preview).not.toContainText("Progress");
  await expect(preview).not.toContainText("Education");
  await expect(preview).toContainText("Why: At the request of the patient, to support their treatment and recovery.");
  await expect(preview).toContainText("I can take this consent back at any time, in writing, by pressing “End sharing”");
  await expect(preview).toContainText("it cannot undo what was already shared before I took it back.");
  await expect(preview).toContainText(`This consent ends on ${until.long}, unless I take it back sooner.`);
  await expect(preview).toContainText("42 CFR part 2 prohibits unauthorized use or disclosure of these records.");
  // Not signed yet, and it does not say it is.
  await expect(preview).toContainText(`Will be signed by ${patient.name} on `);
  await expect(preview).not.toContainText("Signed");
  const signature = page.getByLabel("Your full name, as your signature");
  await expect(signature).toHaveAccessibleDescription(`Type it as it is on your account: ${patient.name}`);
  await expectAccessible(page, "consent preview");
  await expect(preview).toContainText(`In short${dana.name} may see: Attendance, Milestones. Nothing else.`);
  await expect(preview.getByText("- Attendance: my program schedule")).toBeHidden();
  await preview.getByText("What they may see").click();
  await expect(preview.getByText("- Attendance: my program schedule")).toBeVisible();
  const previewText = (await preview.textContent())!;

  await signature.fill("Someone Else");
  await page.getByRole("button", { name: "Sign and send the invitation" }).click();
  await expect(signature).toHaveAccessibleDescription(/Type your full name exactly as it is on your account\.$/);
  await expectAccessible(page, "consent preview with a wrong signature");

  await signature.fill(patient.name);
  await page.getByRole("button", { name: "Sign and send the invitation" }).click();
  await expect(page).toHaveURL(/\/patient\/circle\?invited=1$/);
  await expect(page.getByRole("status")).toHaveText(
    "Invitation sent. Once they accept, your therapist will look at the request.",
  );
  // One row only: the refused signature saved nothing.
  await expect(page.getByRole("list", { name: "My care circle" }).getByRole("listitem")).toHaveCount(1);
  await expect(circleMember(page, dana)).toContainText("Invitation sent");
  await expect(circleMember(page, dana)).toContainText(`Parent · Attendance, Milestones · until ${until.long}`);
  await expectAccessible(page, "circle with an invitation");

  await circleMember(page, dana)
    .getByRole("link", { name: `See consent ${dana.name}` })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: dana.name })).toBeVisible();
  const version = page.getByRole("listitem").filter({ hasText: "Version 1" });
  await expect(version).toContainText("Current");
  await version.getByText("Read this consent").click();
  // Stored as previewed, but for its last line, which now says it was signed.
  const [signedOn] = /(?<=Will be signed by .+ on ).+(?=\.$)/.exec(previewText)!;
  await expect(version.getByRole("article", { name: "Consent text" })).toHaveText(
    previewText.replace(`Will be signed by ${patient.name} on ${signedOn}.`, `Signed: ${patient.name}, on ${signedOn}.`),
  );
  await expectAccessible(page, "consent history");
});

test("the invited supporter opens the e-mailed link, creates an account and waits for the therapist", async ({
  page,
  patient,
  mailbox,
  newPage,
}) => {
  const dana = invitee("Dana Park", "Partner or spouse", ["progress", "education"]);
  await invite(page, patient, dana);

  const supporter = await newPage();
  await supporter.goto(await mailbox.latestLink(dana.email, /You have been invited to Care Circle/));
  await expect(supporter.getByRole("heading", { level: 1, name: `${patient.name} has invited you` })).toBeVisible();
  await expect(supporter.getByText("Their therapist approves every request.")).toBeVisible();
  await expect(supporter.getByRole("listitem").filter({ hasText: /^Progress: the check-ins/ })).toBeVisible();
  await expect(
    supporter.getByRole("listitem").filter({
      hasText: `Education: the learning modules you are asked to complete; ${patient.name} sees your progress`,
    }),
  ).toBeVisible();
  await expect(supporter.getByRole("listitem").filter({ hasText: "Attendance: not shared with you" })).toBeVisible();
  await expect(supporter.getByRole("listitem").filter({ hasText: "Milestones: not shared with you" })).toBeVisible();
  await expect(supporter.getByText(`Create your account for ${dana.email}.`)).toBeVisible();
  await expect(supporter.getByLabel("Full name")).toHaveValue(dana.name);
  await expectAccessible(supporter, "invitation");

  await supporter.getByLabel("New password", { exact: true }).fill("too short");
  await supporter.getByLabel("Type the new password again").fill("too short");
  await supporter.getByRole("button", { name: "Create my account and accept" }).click();
  await expect(supporter.getByLabel("New password", { exact: true })).toHaveAccessibleDescription(
    /Use at least 12 characters\.$/,
  );
  await expectAccessible(supporter, "invitation with errors");

  await supporter.getByLabel("New password", { exact: true }).fill("supporter password one");
  await supporter.getByLabel("Type the new password again").fill("supporter password one");
  await supporter.getByRole("button", { name: "Create my account and accept" }).click();
  await expect(supporter).toHaveURL(/\/supporter\?accepted=1$/);
  await expect(supporter.getByRole("status")).toHaveText("Thank you. The request is now with their therapist.");
  // Waiting: nothing of the patient yet, and plainly what they will and will not see.
  const waiting = supporter.getByRole("region", { name: `Waiting for approval: ${patient.name}` });
  await expect(waiting).toContainText("Their therapist will look at it soon. Until then you will not see anything.");
  await expect(waiting.getByRole("listitem").filter({ hasText: /^Progress: / })).toBeVisible();
  await expect(waiting.getByRole("listitem").filter({ hasText: /^Education: / })).toBeVisible();
  await expect(waiting.getByRole("listitem").filter({ hasText: "Attendance: not shared with you" })).toBeVisible();
  await expect(waiting.getByRole("listitem").filter({ hasText: "Milestones: not shared with you" })).toBeVisible();
  await expect(waiting.getByRole("listitem").filter({ hasText: "Therapy notes, diagnoses" })).toBeVisible();
  await expect(supporter.getByRole("link", { name: patient.name, exact: true })).toHaveCount(0);
  await expectAccessible(supporter, "supporter waiting");

  await page.goto("/patient/circle");
  await expect(circleMember(page, dana)).toContainText("Waiting for the therapist");
  await expect(circleMember(page, dana)).toContainText("They accepted. Your therapist will look at the request soon.");
  await expectAccessible(page, "circle with an accepted invitation");
});

test("the therapist approves one request, refuses another with a reason, and flags a safety concern on a third", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  const dana = invitee("Dana Park", "Parent", ["progress"]);
  const lee = invitee("Lee Park", "Brother or sister", ["milestones"]);
  const sam = invitee("Sam Park", "Friend", ["attendance"]);
  const refusal = "Let us talk about this together at your next session first.";
  const concern = "Sam mentioned drinking at home during the last family session.";
  const supporters = new Map<Invitee, Page>();
  for (const person of [dana, lee, sam]) {
    await invite(page, patient, person);
    const supporter = await newPage();
    await accept(supporter, mailbox, person);
    supporters.set(person, supporter);
  }

  await therapist.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Requests" }).click();
  await expect(therapist.getByRole("heading", { level: 1, name: "Requests to join a care circle" })).toBeVisible();
  const danaRequest = approvalItem(therapist, patient, dana);
  await expect(danaRequest).toContainText("Parent");
  await expect(danaRequest).toContainText("Progress");
  await expect(danaRequest).toContainText("until the end of the patient's IOP episode");
  await expect(danaRequest).toContainText("Invited");
  await expectAccessible(therapist, "approval queue");

  await danaRequest.getByRole("button", { name: "Approve" }).click();
  await expect(therapist.getByRole("status")).toHaveText("Done.");
  await expect(danaRequest).toHaveCount(0);

  // A refusal needs a reason, asked for at the field.
  const leeRequest = approvalItem(therapist, patient, lee);
  await leeRequest.getByRole("button", { name: "Refuse" }).click();
  const leeReason = leeRequest.getByLabel("Reason (needed to refuse or to flag a concern)");
  await expect(leeReason).toHaveAccessibleDescription(/Write a reason\.$/);
  await expectAccessible(therapist, "approval queue with an error");
  await leeReason.fill(refusal);
  await leeRequest.getByRole("button", { name: "Refuse" }).click();
  await expect(therapist.getByRole("status")).toHaveText("Done.");
  await expect(leeRequest).toHaveCount(0);

  const samRequest = approvalItem(therapist, patient, sam);
  await samRequest.getByLabel("Reason (needed to refuse or to flag a concern)").fill(concern);
  await samRequest.getByRole("button", { name: "Flag a safety concern" }).click();
  await expect(therapist.getByRole("status")).toHaveText("Done.");
  await expect(samRequest).toHaveCount(0);
  await expectAccessible(therapist, "approval queue after decisions");

  // The patient sees each outcome, and the reason for the refusal; the safety note stays with the care team.
  await page.goto("/patient/circle");
  await expect(circleMember(page, dana)).toContainText("Sharing");
  await expect(circleMember(page, lee)).toContainText("Not approved");
  await expect(circleMember(page, lee)).toContainText(`Your therapist did not approve this: ${refusal}`);
  await expect(circleMember(page, sam)).toContainText("Not approved");
  await expect(circleMember(page, sam)).toContainText("Your therapist raised a safety concern about this request");
  await expect(page.getByRole("main")).not.toContainText(concern);
  await expectAccessible(page, "circle after decisions");

  const samPage = supporters.get(sam)!;
  await samPage.goto("/supporter");
  const ended = samPage.getByRole("region", { name: "Past circles" }).getByRole("listitem").filter({ hasText: patient.name });
  await expect(ended).toContainText("Not approved");
  await expect(ended).toContainText("This request was not approved.");
  await expect(samPage.getByRole("main")).not.toContainText(concern);
  await expectAccessible(samPage, "supporter after a safety concern");
  const mail = await mailbox.latestMessage(sam.email, /Something new on Care Circle/, "Your place in a care circle ended");
  expect(mail).toContain("Your place in a care circle ended");
  expect(mail).not.toContain(concern);
  expect(mail).not.toContain(patient.name);
});

test("once approved, the supporter sees the patient and only the consented categories, under the Part 2 notice", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  const dana = invitee("Dana Park", "Parent", ["progress", "milestones"]);
  const supporter = await joinCircle({ page, patient, therapist, mailbox, newPage }, dana);

  await supporter.goto("/supporter");
  const circles = supporter.getByRole("region", { name: "People you support" });
  await expect(circles.getByRole("complementary", { name: "Privacy notice" })).toContainText(
    "42 CFR part 2 prohibits unauthorized use or disclosure of these records.",
  );
  const circle = circles.getByRole("listitem").filter({ hasText: patient.name });
  await expect(circle).toContainText("Progress");
  await expect(circle).toContainText("Milestones");
  await expect(circle).not.toContainText(/Attendance|Education/);
  await expect(circle.getByRole("link", { name: `What you may see, and why (${patient.name})` })).toBeVisible();
  await expectAccessible(supporter, "supporter home");

  await circles.getByRole("link", { name: patient.name, exact: true }).click();
  await expect(supporter.getByRole("heading", { level: 1, name: patient.name })).toBeVisible();
  const notice = supporter.getByRole("complementary", { name: "Privacy notice" });
  await expect(notice).toContainText("42 CFR part 2 prohibits unauthorized use or disclosure of these records.");
  await expect(supporter.getByRole("heading", { level: 2, name: "Progress" })).toBeVisible();
  await expect(supporter.getByRole("heading", { level: 2, name: "Milestones" })).toBeVisible();
  await expect(supporter.getByText("Week 1 of 10")).toBeVisible();
  await expect(supporter.getByRole("heading", { name: "Attendance" })).toHaveCount(0);
  await expect(supporter.getByRole("heading", { name: "Education" })).toHaveCount(0);
  await expectAccessible(supporter, "supporter's view of the patient");

  await notice.getByRole("link", { name: "What you may see, and why" }).click();
  await expect(supporter.getByRole("heading", { level: 1, name: "What you can see, and why" })).toBeVisible();
  await expect(supporter.getByRole("complementary", { name: "Privacy notice" })).toContainText("42 CFR part 2 prohibits");
  // Said to the supporter, about the patient.
  await expect(
    supporter.getByRole("listitem").filter({ hasText: `Progress: the check-ins ${patient.name} chooses to share with you` }),
  ).toBeVisible();
  await expect(
    supporter.getByRole("listitem").filter({ hasText: `Milestones: ${patient.name}'s days in recovery` }),
  ).toBeVisible();
  await expect(supporter.getByRole("listitem").filter({ hasText: "Attendance: not shared with you" })).toBeVisible();
  await expect(supporter.getByRole("listitem").filter({ hasText: "Education: not shared with you" })).toBeVisible();
  await expect(supporter.getByText(`until the end of ${patient.name}'s program`)).toBeVisible();
  await expect(supporter.getByRole("main")).not.toContainText("your program");
  await expectAccessible(supporter, "consent scope");
});

test("the patient changes what a supporter sees: a new consent version, the old one kept as superseded", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  const dana = invitee("Dana Park", "Parent", ["progress"]);
  const supporter = await joinCircle({ page, patient, therapist, mailbox, newPage }, dana);

  await page.goto("/patient/circle");
  await circleMember(page, dana)
    .getByRole("link", { name: `See consent ${dana.name}` })
    .click();
  await expect(page.getByRole("heading", { level: 2, name: "Change what they see" })).toBeVisible();
  await expect(page.getByRole("checkbox", { name: /^Progress:/ })).toBeChecked();
  await expectAccessible(page, "consent page");

  await page.getByRole("checkbox", { name: /^Milestones:/ }).check();
  await page.getByRole("button", { name: "Review the consent" }).click();
  const preview = page.getByRole("region", { name: "Your consent" }).getByRole("article", { name: "Consent text" });
  await expect(preview).toContainText("- Progress: ");
  await expect(preview).toContainText("- Milestones: ");
  await expectAccessible(page, "new consent preview");
  await page.getByLabel("Your full name, as your signature").fill(patient.name);
  await page.getByRole("button", { name: "Sign the new consent" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved. The new consent applies from now on.");
  await expect(circleMember(page, dana)).toContainText(/Parent · (Progress, Milestones|Milestones, Progress) ·/);
  await expectAccessible(page, "circle after a change");

  await circleMember(page, dana)
    .getByRole("link", { name: `See consent ${dana.name}` })
    .click();
  const current = page.getByRole("listitem").filter({ hasText: "Version 2" });
  const superseded = page.getByRole("listitem").filter({ hasText: "Version 1" });
  await expect(current).toContainText("Current");
  await expect(superseded).toContainText("Replaced by a newer version");
  await expect(superseded).toContainText("ended");
  await superseded.getByText("Read this consent").click();
  await expect(superseded.getByRole("article", { name: "Consent text" })).not.toContainText("Milestones");
  await expectAccessible(page, "consent history with two versions");

  // The new consent applies from the supporter's next request.
  await supporter.goto("/supporter");
  await supporter.getByRole("link", { name: patient.name, exact: true }).click();
  await expect(supporter.getByRole("heading", { level: 2, name: "Milestones" })).toBeVisible();
  await expectAccessible(supporter, "supporter's view after the change");
});

test("the patient ends sharing: the supporter's next request is refused, they get a neutral e-mail, both see it ended", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  const dana = invitee("Dana Park", "Parent", ["milestones"]);
  const supporter = await joinCircle({ page, patient, therapist, mailbox, newPage }, dana);

  await supporter.goto("/supporter");
  await supporter.getByRole("link", { name: patient.name, exact: true }).click();
  await expect(supporter.getByRole("heading", { level: 1, name: patient.name })).toBeVisible();
  const patientPage = supporter.url();
  const response = await supporter.reload();
  expect(response?.headers()["cache-control"], "pages with patient data are never cached").toContain("no-store");
  await supporter.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
  await expect(supporter.getByRole("link", { name: patient.name, exact: true })).toBeVisible();

  await page.goto("/patient/circle");
  await circleMember(page, dana)
    .getByRole("button", { name: `End sharing ${dana.name}` })
    .click();
  const confirmation = page.getByRole("dialog", { name: `End sharing with ${dana.name}?` });
  await expect(confirmation).toContainText(`${dana.name} is told that sharing has ended, not why.`);
  await expectAccessible(page, "ending sharing, the confirmation");
  await confirmation.getByRole("button", { name: `End sharing with ${dana.name}` }).click();
  await expect(page.getByRole("status")).toHaveText("Sharing has ended. They can no longer see anything from now on.");
  await expect(circleMember(page, dana)).toContainText("Ended");
  await expect(circleMember(page, dana).getByRole("button", { name: /End sharing/ })).toHaveCount(0);
  await expectAccessible(page, "circle after ending sharing");

  // The supporter still has the old home page open: following its link is their very next request.
  // It says the circle ended, and shows nothing that was shared.
  await supporter.getByRole("link", { name: patient.name, exact: true }).click();
  const endedHeading = supporter.getByRole("heading", { level: 1, name: `${patient.name}'s care circle has ended` });
  await expect(endedHeading).toBeVisible();
  await expect(supporter.getByRole("main")).not.toContainText("Week 1 of 10");
  const refused = await supporter.goto(patientPage);
  expect(refused?.status()).toBe(410);
  await expect(endedHeading).toBeVisible();
  await expect(supporter.getByRole("main")).toContainText(`Your place in ${patient.name}'s care circle ended on `);
  await expect(supporter.getByRole("main")).not.toContainText("Milestones");
  await expectAccessible(supporter, "the circle's page after revocation");

  await supporter.goto("/supporter");
  const ended = supporter.getByRole("region", { name: "Past circles" }).getByRole("listitem").filter({ hasText: patient.name });
  await expect(ended).toContainText("Ended");
  await expect(ended).toContainText(`Your place in ${patient.name}'s care circle ended on `);
  await expect(supporter.getByRole("link", { name: patient.name, exact: true })).toHaveCount(0);
  await expectAccessible(supporter, "supporter home after revocation");

  const mail = await mailbox.latestMessage(dana.email, /Something new on Care Circle/, "Your place in a care circle ended");
  expect(mail).toContain("There is something new for you on Care Circle: Your place in a care circle ended.");
  expect(mail).not.toContain(patient.name);

  await circleMember(page, dana)
    .getByRole("link", { name: `See consent ${dana.name}` })
    .click();
  await expect(page.getByRole("listitem").filter({ hasText: "Version 1" })).toContainText("Taken back");
  await expect(page.getByRole("heading", { name: "Change what they see" })).toHaveCount(0);
  await expectAccessible(page, "consent history after revocation");
});

test("the patient reads who has seen their information, and downloads it as CSV", async ({
  page,
  patient,
  therapist,
  mailbox,
  newPage,
}) => {
  const dana = invitee("Dana Park", "Parent", ["milestones"]);
  const supporter = await joinCircle({ page, patient, therapist, mailbox, newPage }, dana);
  await supporter.goto("/supporter");
  await supporter.getByRole("link", { name: patient.name, exact: true }).click();
  await expect(supporter.getByText("Week 1 of 10")).toBeVisible();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Who has seen my information" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Who has seen my information" })).toBeVisible();
  const entries = page.getByRole("list", { name: "Who has seen my information" }).getByRole("listitem");
  // Newest first: the view comes before the consent it happened under.
  await expect(entries.first()).toContainText(`${dana.name} saw Milestones: your week in the program`);
  await expect(entries.first()).toContainText("once that day · under consent version 1");
  await expect(entries.filter({ hasText: `Consent for ${dana.name}: signed (version 1)` })).toHaveCount(1);
  await expectAccessible(page, "disclosure log");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download as a spreadsheet (CSV)" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("care-circle-disclosures.csv");
  const csv = await readFile(await download.path(), "utf8");
  const [header, ...rows] = csv.trimEnd().split("\r\n");
  expect(header).toBe(
    '"occurred_at_utc","occurred_at_local","what","who","category","item","consent_version","times_that_day","last_at_utc"',
  );
  expect(rows).toContainEqual(
    expect.stringContaining(
      `"${dana.name} saw Milestones: your week in the program","${dana.name}","milestones","program_week","1","1","`,
    ),
  );

  const response = await page.request.get("/patient/disclosures.csv");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(response.headers()["content-disposition"]).toBe('attachment; filename="care-circle-disclosures.csv"');
});

test("without JavaScript, the invite form shows the server's field errors, then sends the invitation", async ({
  patient,
  mailbox,
  newPage,
}) => {
  const dana = invitee("Dana Park", "Sponsor or mentor", ["progress"]);
  const noScript = await newPage({ javaScriptEnabled: false });
  await signIn(noScript, patient.email);
  // axe needs scripts to run; the same markup is checked with scripts on in the first test.
  await noScript.goto("/patient/circle/invite");
  await noScript.getByRole("button", { name: "Review the consent" }).click();
  await expect(noScript.getByLabel("Their name")).toHaveAccessibleDescription("Enter a name.");
  await expect(noScript.getByLabel("Their name")).toHaveAttribute("aria-invalid", "true");
  await expect(noScript.getByLabel("E-mail address")).toHaveAccessibleDescription(/Enter an e-mail address\.$/);
  await expect(noScript.getByLabel("How they are related to you")).toHaveAccessibleDescription(
    "Choose how they are related to you.",
  );
  await expect(noScript.getByRole("group", { name: "What may they see?" })).toHaveAccessibleDescription(
    "Choose at least one thing they may see.",
  );

  await fillInvitation(noScript, dana);
  await noScript.getByRole("button", { name: "Review the consent" }).click();
  await expect(noScript.getByRole("region", { name: "Your consent" })).toContainText(
    `with ${dana.name} (Sponsor or mentor, ${dana.email}).`,
  );
  await noScript.getByLabel("Your full name, as your signature").fill("Someone Else");
  await noScript.getByRole("button", { name: "Sign and send the invitation" }).click();
  await expect(noScript.getByLabel("Your full name, as your signature")).toHaveAccessibleDescription(
    /Type your full name exactly as it is on your account\.$/,
  );

  await noScript.getByLabel("Your full name, as your signature").fill(patient.name);
  await noScript.getByRole("button", { name: "Sign and send the invitation" }).click();
  await expect(noScript).toHaveURL(/\/patient\/circle\?invited=1$/);
  await expect(noScript.getByRole("status")).toHaveText(
    "Invitation sent. Once they accept, your therapist will look at the request.",
  );
  await expect(circleMember(noScript, dana)).toContainText("Invitation sent");
  expect(await mailbox.latestLink(dana.email, /You have been invited to Care Circle/)).toContain("/invitation?token=");
});
