import { beforeAll, describe, expect, it } from "vitest";
import { checkInAudience, checkInReplies, checkIns } from "#db/schema";
import { createCheckIn } from "~/models/check-in.server";
import { db } from "../support/database";
import { createActiveUser, createProgramWithStaff, enrolExisting, joinApproved, type TestUser } from "../support/fixtures";
import { remixHandler, requestAs } from "../support/remix-handler";

/** Check-ins through the built app: bad input answered at the field, other people's ids 404. */
let app: Awaited<ReturnType<typeof remixHandler>>;
beforeAll(async () => {
  app = await remixHandler();
});

const send = (path: string, user: TestUser, form?: Record<string, string | string[]>) => requestAs(app, path, user.id, form);

async function patientWithSupporter() {
  const world = await createProgramWithStaff();
  const linkId = await joinApproved(world.patient, world.supporter, world.therapist, ["progress"]);
  return { ...world, linkId };
}

/** A plain check-in of `patient` (mood 3), shared with these links. */
function checkInSharedWith(patient: TestUser, audience: string[], mood = 3) {
  return createCheckIn(db, patient, {
    kind: "check_in",
    mood,
    craving: null,
    wins: null,
    hard: null,
    helpRequest: null,
    audience,
    sharedWithCareTeam: false,
  });
}

async function snapshot() {
  return JSON.stringify({
    checkIns: await db.select().from(checkIns).orderBy(checkIns.id).all(),
    audience: await db.select().from(checkInAudience).orderBy(checkInAudience.checkInId).all(),
    replies: await db.select().from(checkInReplies).orderBy(checkInReplies.id).all(),
  });
}

describe("bad input on a check-in gets a message at the field and saves nothing", () => {
  it.each([
    ["a mood of 7", { mood: "7" }, "Choose a mood from 1 to 5."],
    ["a craving of -1", { craving: "-1" }, "Choose a craving from 0 to 10."],
    ["a 5,000-character text", { wins: "x".repeat(5000) }, "Use at most 2,000 characters."],
    ["nothing at all", { wins: "   " }, "Fill in at least one thing: a mood, a craving, or a few words."],
  ])("%s", async (_label, form, message) => {
    const { patient } = await patientWithSupporter();
    const before = await snapshot();
    const response = await send("/patient/check-ins/new", patient, form);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(message);
    expect(await snapshot()).toBe(before);
  });

  it("an audience outside the patient's circle", async () => {
    const { patient } = await patientWithSupporter();
    const other = await patientWithSupporter();
    const before = await snapshot();
    const response = await send("/patient/check-ins/new", patient, { mood: "3", audience: other.linkId });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Choose people from your circle who may see check-ins.");
    expect(await snapshot()).toBe(before);
  });
});

describe("what a patient writes is shown as text, never as markup", () => {
  it("to the patient and to the supporter", async () => {
    const { patient, supporter, linkId } = await patientWithSupporter();
    const script = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
    const saved = await send("/patient/check-ins/new", patient, { hard: script, audience: linkId, sharedWithCareTeam: "on" });
    expect(saved.status).toBe(302);
    for (const [path, user] of [
      ["/patient/check-ins", patient],
      ["/supporter/updates", supporter],
    ] as const) {
      const html = await (await send(path, user)).text();
      expect(html).not.toContain(script);
      expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;");
    }
  });
});

describe("someone else's ids answer 404 and change nothing", () => {
  it("another patient's check-in cannot be opened, edited or deleted", async () => {
    const { patient, program, therapist } = await patientWithSupporter();
    const intruder = await createActiveUser(program.id, "patient", "intruder");
    await enrolExisting(intruder, therapist);
    const id = await createCheckIn(db, patient, {
      kind: "check_in",
      mood: 3,
      craving: 1,
      wins: "Mine",
      hard: null,
      helpRequest: null,
      audience: [],
      sharedWithCareTeam: true,
    });
    const before = await snapshot();
    expect((await send(`/patient/check-ins/${id}`, intruder)).status).toBe(404);
    expect((await send(`/patient/check-ins/${id}`, intruder, { intent: "delete" })).status).toBe(404);
    expect((await send(`/patient/check-ins/${id}`, intruder, { mood: "1" })).status).toBe(404);
    expect(await snapshot()).toBe(before);
  });

  it("a supporter cannot reply to a check-in that is not shared with them", async () => {
    const { patient, linkId, program, supporter } = await patientWithSupporter();
    const stranger = await createActiveUser(program.id, "supporter", "stranger");
    const privateOne = await checkInSharedWith(patient, []);
    const shared = await checkInSharedWith(patient, [linkId]);
    const before = await snapshot();
    expect((await send("/supporter/updates", stranger, { checkInId: shared, preset: "proud" })).status).toBe(404);
    expect((await send("/supporter/updates", supporter, { checkInId: privateOne, preset: "proud" })).status).toBe(404);
    expect(await snapshot()).toBe(before);
  });

  it("a reply with a made-up preset or an over-long message gets a message and saves nothing", async () => {
    const { patient, linkId, supporter } = await patientWithSupporter();
    const shared = await checkInSharedWith(patient, [linkId]);
    const before = await snapshot();
    const madeUp = await send("/supporter/updates", supporter, { checkInId: shared, preset: "you-should-stop" });
    expect(madeUp.status).toBe(400);
    expect(await madeUp.text()).toContain("Choose a message from the list.");
    const long = await send("/supporter/updates", supporter, { checkInId: shared, message: "x".repeat(501) });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain("Use at most 500 characters.");
    expect(await snapshot()).toBe(before);
    expect((await send("/supporter/updates", supporter, { checkInId: shared, message: "Proud of you" })).status).toBe(302);
  });
});

describe("reply forms on the supporter's updates", () => {
  it("renders only the form asked for, on the check-in it names, and none for an id not on the page", async () => {
    const { patient, linkId, supporter } = await patientWithSupporter();
    const shareOne = () => checkInSharedWith(patient, [linkId], 4);
    const older = await shareOne();
    const newer = await shareOne();
    const forms = (page: string) => [...page.matchAll(/<select id="preset-([0-9a-f-]+)"/g)].map((match) => match[1]);

    const plain = await (await send("/supporter/updates", supporter)).text();
    expect(forms(plain)).toEqual([]);
    // Each entry has its link instead, keeping the page's place.
    expect(plain).toContain(`href="/supporter/updates?reply=${older}#reply-${older}"`);
    expect(plain).toContain(`href="/supporter/updates?reply=${newer}#reply-${newer}"`);

    expect(forms(await (await send(`/supporter/updates?reply=${older}`, supporter)).text())).toEqual([older]);
    // A check-in that is not on the supporter's page, or no id at all: the page, with no form.
    for (const reply of [crypto.randomUUID(), "not-an-id"]) {
      const page = await send(`/supporter/updates?reply=${reply}`, supporter);
      expect(page.status).toBe(200);
      expect(forms(await page.text())).toEqual([]);
    }
    // A refused reply comes back with its own form open, whichever was asked for.
    const refused = await send(`/supporter/updates?reply=${older}`, supporter, { checkInId: newer, message: " " });
    expect(refused.status).toBe(400);
    expect(forms(await refused.text())).toContain(newer);
  });
});
