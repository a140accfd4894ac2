import path from "node:path";
import { capabilitiesFor, careTeamAccess } from "~/models/access.server";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { circleLinks, disclosureLog, learningRecords, learningSectionReads, moduleAssignments, quizAttempts } from "#db/schema";
import { listOutbox } from "~/mail.server";
import { careTeamCircleLearning, caseloadOverdue, circleLearning, supporterAssignments } from "~/models/assignments.server";
import { revokeLink } from "~/models/care-circle.server";
import {
  attemptResult,
  LearningRuleError,
  learningProgress,
  markSectionRead,
  readerState,
  submitAttempt,
} from "~/models/learning.server";
import {
  ModuleContentError,
  parseModuleFile,
  publishModuleLibrary,
  readModuleLibrary,
  type ModuleDocument,
} from "~/models/module-content.server";
import { findLibraryModule, moduleLibrary } from "~/models/module-library.server";
import { languages, type SharingCategory } from "~/vocabulary";
import { addDays, calendarDateIn } from "~/utils/dates";
import { en } from "~/i18n/en";
import { db } from "../support/database";
import { notifyAll, tomorrowAt } from "../support/notify";
import { createActiveUser, createProgramWithStaff, joinApproved, type TestUser } from "../support/fixtures";
import { remixHandler, requestAs } from "../support/remix-handler";

let app: Awaited<ReturnType<typeof remixHandler>>;
beforeAll(async () => {
  app = await remixHandler();
});

const contentDirectory = path.resolve(__dirname, "../../content/modules");
const actorOf = (user: TestUser) => ({ id: user.id, programId: user.programId, ipAddress: null });
const linkRow = async (linkId: string) => (await db.select().from(circleLinks).where(eq(circleLinks.id, linkId)).get())!;
const send = (pathName: string, user: TestUser, form?: Record<string, string | string[]>) =>
  requestAs(app, pathName, user.id, form);
const today = () => calendarDateIn("America/Chicago");

const approve = (patient: TestUser, supporter: TestUser, therapist: TestUser, categories: SharingCategory[] = ["education"]) =>
  joinApproved(patient, supporter, therapist, categories);

async function world() {
  const staff = await createProgramWithStaff();
  const linkId = await approve(staff.patient, staff.supporter, staff.therapist);
  return { ...staff, linkId };
}

const moduleOf = async (user: TestUser, slug: string) => (await findLibraryModule(db, user.programId, slug))!;

async function readEverySection(user: TestUser, slug: string) {
  const module = await moduleOf(user, slug);
  const { version } = await readerState(db, user.id, module);
  for (const section of version.sections.keys()) await markSectionRead(db, user.id, module, version.id, section);
}

/** The right answers, with the first `wrong` questions answered wrongly. */
async function answersFor(user: TestUser, slug: string, wrong = 0) {
  const { version } = await readerState(db, user.id, await moduleOf(user, slug));
  return Object.fromEntries(
    version.quiz.map((question, index) => [
      question.id,
      index < wrong ? question.options.find((option) => option.id !== question.answer)!.id : question.answer,
    ]),
  );
}

describe("the module library", () => {
  it("holds ten valid modules in each language, each with 3–6 sections, 3–5 questions, a reflection, a practice and a reading time", () => {
    const modules = readModuleLibrary(contentDirectory);
    for (const language of languages) {
      const inLanguage = modules.filter((module) => module.language === language);
      expect(
        inLanguage.map((module) => module.order),
        language,
      ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(
        inLanguage.map((module) => module.slug),
        language,
      ).toEqual(modules.filter((module) => module.language === "en").map((module) => module.slug));
    }
    for (const module of modules) {
      expect(module.sections.length).toBeGreaterThanOrEqual(3);
      expect(module.sections.length).toBeLessThanOrEqual(6);
      expect(module.quiz.length).toBeGreaterThanOrEqual(3);
      expect(module.quiz.length).toBeLessThanOrEqual(5);
      expect(module.readingMinutes).toBeGreaterThan(0);
      expect(module.reflection.length).toBeGreaterThan(20);
      expect(module.practice.length).toBeGreaterThan(20);
    }
    for (const [language, naloxone] of [
      ["en", "naloxone"],
      ["es", "naloxona"],
    ] as const) {
      const safety = modules.find((module) => module.slug === "safety" && module.language === language)!;
      const safetyText = safety.sections.map((section) => section.body).join("\n");
      for (const number of ["988", "1-800-662-4357", "911", naloxone])
        expect(safetyText.toLowerCase(), language).toContain(number.toLowerCase());
    }
  });

  it("refuses a file whose answer is not one of its options, or that has too few sections, naming the file and the problem", () => {
    const valid = `---
slug: sample
version: 1
order: 11
title: "Sample"
summary: "A sample."
readingMinutes: 2
reflection: "What did you notice?"
practice: "Try one thing."
quiz:
  - id: q1
    question: "One?"
    options:
      - { id: a, text: "Yes", explanation: "Right." }
      - { id: b, text: "No", explanation: "Not this." }
    answer: c
  - id: q2
    question: "Two?"
    options:
      - { id: a, text: "Yes", explanation: "Right." }
      - { id: b, text: "No", explanation: "Not this." }
    answer: a
  - id: q3
    question: "Three?"
    options:
      - { id: a, text: "Yes", explanation: "Right." }
      - { id: b, text: "No", explanation: "Not this." }
    answer: a
---

## Only one section

Text.
`;
    expect(() => parseModuleFile(valid, "99-sample.md")).toThrow(ModuleContentError);
    try {
      parseModuleFile(valid, "99-sample.md");
    } catch (error) {
      expect((error as Error).message).toContain("99-sample.md");
      expect((error as Error).message).toContain("quiz.0: the answer must be one of the question's option ids");
      expect((error as Error).message).toContain("a module needs 3 to 6 sections");
    }
    expect(() => parseModuleFile("no front matter", "x.md")).toThrow(/front matter/);
  });

  it("publishes an edit only as a new version; progress and attempts stay tied to the version taken", async () => {
    const { supporter, program } = await createProgramWithStaff();
    // A module of its own, so that the edit does not reach the other tests of this file.
    const welcome = readModuleLibrary(contentDirectory).find((module) => module.slug === "welcome")!;
    const original: ModuleDocument = { ...welcome, slug: "versioned-sample", order: 99, version: 1 };
    expect(await publishModuleLibrary(db, [original])).toBe(1);
    const module = await moduleOf(supporter, "versioned-sample");
    const first = (await readerState(db, supporter.id, module)).version;
    await markSectionRead(db, supporter.id, module, first.id, 0);
    const attempt = await submitAttempt(db, supporter.id, module, first.id, await answersFor(supporter, "versioned-sample"));

    const edited: ModuleDocument = {
      ...original,
      title: "Welcome, edited",
      quiz: original.quiz.map((q) => ({ ...q, question: `${q.question} (v2)` })),
    };
    await expect(publishModuleLibrary(db, [edited])).rejects.toThrow(/raise its version/);
    expect(await publishModuleLibrary(db, [original])).toBe(0);
    expect(await publishModuleLibrary(db, [{ ...edited, version: 2 }])).toBe(1);
    await expect(publishModuleLibrary(db, [original])).rejects.toThrow(/older than the published version/);

    // The supporter who started carries on with the version they took.
    expect((await readerState(db, supporter.id, module)).version.id).toBe(first.id);
    expect(attempt.ok && (await attemptResult(db, supporter.id, attempt.attemptId))?.answers[0]!.question).not.toContain("(v2)");
    // Someone starting now gets the new version.
    const newcomer = await createActiveUser(program.id, "supporter");
    const second = (await readerState(db, newcomer.id, module)).version;
    expect(second).toMatchObject({ version: 2, title: "Welcome, edited" });
    // A form built for the old version is refused for the newcomer, and nothing is recorded.
    await expect(markSectionRead(db, newcomer.id, module, first.id, 0)).rejects.toThrow(LearningRuleError);
    expect(await db.select().from(learningRecords).where(eq(learningRecords.userId, newcomer.id)).all()).toEqual([]);
  });
});

describe("modules in Spanish", () => {
  it("gives each language its own versions: a reader gets theirs, or English, and keeps the one they started", async () => {
    const { supporter, program } = await createProgramWithStaff();
    const welcome = readModuleLibrary(contentDirectory).find((module) => module.slug === "welcome")!;
    const english: ModuleDocument = { ...welcome, slug: "bilingual-sample", order: 98, version: 1 };
    const spanish: ModuleDocument = { ...english, language: "es", title: "Bienvenida", version: 1 };
    expect(await publishModuleLibrary(db, [english])).toBe(1);
    const module = await moduleOf(supporter, "bilingual-sample");
    const inSpanish = { ...module, readerLanguage: "es" as const };

    // No Spanish version yet: a Spanish reader gets the English one.
    expect((await readerState(db, supporter.id, inSpanish)).version).toMatchObject({ language: "en", title: english.title });
    expect(await publishModuleLibrary(db, [english, spanish])).toBe(1);
    expect((await readerState(db, supporter.id, inSpanish)).version).toMatchObject({ language: "es", title: "Bienvenida" });
    expect((await readerState(db, supporter.id, module)).version).toMatchObject({ language: "en" });
    const library = async (language: "en" | "es") =>
      (await moduleLibrary(db, program.id, language)).find((entry) => entry.slug === "bilingual-sample")!.title;
    expect(await library("es")).toBe("Bienvenida");
    expect(await library("en")).toBe(english.title);

    // An English reader who started in English and then chose Spanish keeps the English version they started.
    const started = (await readerState(db, supporter.id, module)).version;
    await markSectionRead(db, supporter.id, module, started.id, 0);
    expect((await readerState(db, supporter.id, inSpanish)).version.id).toBe(started.id);

    // Each language keeps decision 010's rules on its own: an edit needs a new version number.
    await expect(publishModuleLibrary(db, [english, { ...spanish, title: "Bienvenida, otra" }])).rejects.toThrow(
      /"bilingual-sample" \(es\) changed but is still version 1/,
    );
  });

  it("reads the Spanish folder beside the English files, and refuses a translation of no English module", () => {
    const modules = readModuleLibrary(contentDirectory);
    const spanish = modules.filter((module) => module.language === "es");
    expect(spanish.map((module) => module.slug).sort()).toEqual(
      modules
        .filter((module) => module.language === "en")
        .map((module) => module.slug)
        .sort(),
    );
    for (const translation of spanish) {
      const original = modules.find((module) => module.language === "en" && module.slug === translation.slug)!;
      expect(
        translation.quiz.map((question) => [question.id, question.answer]),
        translation.slug,
      ).toEqual(original.quiz.map((question) => [question.id, question.answer]));
      expect(translation.sections.length, translation.slug).toBe(original.sections.length);
    }
  });
});

describe("reading and the knowledge check", () => {
  it("saves each section read; completes only when every section is read and the check is passed (80%)", async () => {
    const { supporter } = await world();
    const module = await moduleOf(supporter, "relapse");
    const { version } = await readerState(db, supporter.id, module);
    expect(version.quiz).toHaveLength(5);

    await markSectionRead(db, supporter.id, module, version.id, 0);
    await markSectionRead(db, supporter.id, module, version.id, 0);
    expect([...(await readerState(db, supporter.id, module)).readSections]).toEqual([0]);

    const oneWrong = await submitAttempt(db, supporter.id, module, version.id, await answersFor(supporter, "relapse", 1));
    const twoWrong = await submitAttempt(db, supporter.id, module, version.id, await answersFor(supporter, "relapse", 2));
    expect(oneWrong.ok && (await attemptResult(db, supporter.id, oneWrong.attemptId))).toMatchObject({
      scorePercent: 80,
      passed: true,
      correct: 4,
      total: 5,
    });
    expect(twoWrong.ok && (await attemptResult(db, supporter.id, twoWrong.attemptId))).toMatchObject({
      scorePercent: 60,
      passed: false,
    });
    // Passed, but sections are still unread: not completed yet.
    expect((await readerState(db, supporter.id, module)).record?.completedAt).toBeNull();

    await readEverySection(supporter, "relapse");
    const state = await readerState(db, supporter.id, module);
    expect(state.record?.completedAt).toBeInstanceOf(Date);
    expect(state.attempts).toHaveLength(2);
    expect((await learningProgress(db, [supporter.id])).get(`${supporter.id}:${module.id}`)).toMatchObject({
      bestScore: 80,
      passed: true,
      sectionsRead: 5,
    });
  });

  it("a section marked read twice at once, on a module not started yet, starts one record and saves one read", async () => {
    const { supporter } = await world();
    const module = await moduleOf(supporter, "boundaries");
    const { version } = await readerState(db, supporter.id, module);
    const outcomes = await Promise.allSettled([
      markSectionRead(db, supporter.id, module, version.id, 0),
      markSectionRead(db, supporter.id, module, version.id, 0),
    ]);

    // Both clicks answer with the same state: nothing is refused, nothing is doubled.
    const records = await db.select().from(learningRecords).where(eq(learningRecords.userId, supporter.id));
    expect(records).toHaveLength(1);
    expect(
      outcomes.map((outcome) => (outcome.status === "fulfilled" ? outcome.value.record?.id : (outcome.reason as unknown))),
    ).toEqual([records[0]!.id, records[0]!.id]);
    const reads = await db.select().from(learningSectionReads).where(eq(learningSectionReads.recordId, records[0]!.id));
    expect(reads.map((read) => read.section)).toEqual([0]);
  });

  it("explains every answer of an attempt, and shows the wrong ones as wrong", async () => {
    const { supporter } = await world();
    const outcome = await submitAttempt(
      db,
      supporter.id,
      await moduleOf(supporter, "safety"),
      (await readerState(db, supporter.id, await moduleOf(supporter, "safety"))).version.id,
      await answersFor(supporter, "safety", 1),
    );
    const result = outcome.ok ? (await attemptResult(db, supporter.id, outcome.attemptId))! : null;
    expect(result?.answers.map((answer) => answer.isCorrect)).toEqual([false, true, true, true]);
    expect(result?.answers.every((answer) => answer.explanation.length > 10)).toBe(true);
  });

  it("refuses unknown or missing answers and unknown questions with messages, and records nothing", async () => {
    const { supporter } = await world();
    const module = await moduleOf(supporter, "boundaries");
    const { version } = await readerState(db, supporter.id, module);
    const answers = await answersFor(supporter, "boundaries");
    const [first, second] = version.quiz;
    const outcome = await submitAttempt(db, supporter.id, module, version.id, {
      ...answers,
      [first!.id]: "zz",
      [second!.id]: "",
    });
    expect(outcome).toEqual({
      ok: false,
      errors: { [first!.id]: "learning.check.unknownOption", [second!.id]: "learning.check.unanswered" },
    });
    await expect(submitAttempt(db, supporter.id, module, version.id, { ...answers, q99: "a" })).rejects.toThrow(
      LearningRuleError,
    );
    await expect(submitAttempt(db, supporter.id, module, "tampered-version", answers)).rejects.toThrow(LearningRuleError);
    expect((await readerState(db, supporter.id, module)).record).toBeNull();
  });

  it("never sends the answer key or the explanations to the browser before an attempt", async () => {
    const { supporter } = await world();
    const response = await send("/supporter/learning/safety/check.data", supporter);
    expect(response.status).toBe(200);
    const body = await response.text();
    const { version } = await readerState(db, supporter.id, await moduleOf(supporter, "safety"));
    expect(body).toContain(version.quiz[0]!.question.slice(0, 30));
    expect(body).not.toMatch(/"answer"|explanation/);
    for (const option of version.quiz.flatMap((question) => question.options)) {
      expect(body).not.toContain(option.explanation.slice(0, 40));
    }
    const page = await (await send("/supporter/learning/safety/check", supporter)).text();
    expect(page).not.toContain(version.quiz[0]!.options[0]!.explanation.slice(0, 40));
  });

  it("scores a posted attempt on the server, shows its explanations only to its owner, and answers bad input with messages", async () => {
    const { supporter, program } = await world();
    const { version } = await readerState(db, supporter.id, await moduleOf(supporter, "welcome"));
    const posted = await send("/supporter/learning/welcome/check", supporter, {
      versionId: version.id,
      ...(await answersFor(supporter, "welcome")),
    });
    expect(posted.status).toBe(302);
    const resultPath = posted.headers.get("Location")!;
    expect(resultPath).toMatch(/^\/supporter\/learning\/welcome\/check\?attempt=/);
    const result = await (await send(resultPath, supporter)).text();
    expect(result).toContain("You passed.");
    expect(result).toContain(
      version.quiz[0]!.options.find((option) => option.id === version.quiz[0]!.answer)!.explanation.slice(0, 30),
    );

    const stranger = await createActiveUser(program.id, "supporter");
    expect((await send(resultPath, stranger)).status).toBe(404);
    // The attempt under another module's address is not found either.
    expect((await send(resultPath.replace("/welcome/", "/safety/"), supporter)).status).toBe(404);

    const unanswered = await send("/supporter/learning/welcome/check", supporter, { versionId: version.id });
    expect(unanswered.status).toBe(400);
    expect(await unanswered.text()).toContain("Choose an answer to this question.");
    const tampered = await send("/supporter/learning/welcome/check", supporter, {
      versionId: "not-a-version",
      ...(await answersFor(supporter, "welcome")),
    });
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain("This module changed since the page was opened.");
    const attempts = await db
      .select()
      .from(quizAttempts)
      .innerJoin(learningRecords, eq(learningRecords.id, quizAttempts.recordId))
      .where(eq(learningRecords.userId, supporter.id))
      .all();
    expect(attempts).toHaveLength(1);

    expect((await send("/supporter/learning/no-such-module", supporter)).status).toBe(404);
    expect((await send("/supporter/learning/welcome/sections/99", supporter)).status).toBe(404);
    expect((await send("/supporter/learning/welcome/sections/0", supporter)).status).toBe(404);
  });

  it("keeps reflections private unless shared with the therapist who asked, and refuses 20,000 characters", async () => {
    const { supporter, therapist, patient, linkId } = await world();
    const module = await moduleOf(supporter, "welcome");
    const { version } = await readerState(db, supporter.id, module);
    const long = await send("/supporter/learning/welcome", supporter, {
      intent: "reflection",
      versionId: version.id,
      reflection: "x".repeat(20_000),
    });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain("Keep your reflection to 5,000 characters or fewer.");
    expect((await readerState(db, supporter.id, module)).record).toBeNull();

    // Not asked by a therapist: sharing is refused.
    const notAsked = await send("/supporter/learning/welcome", supporter, {
      intent: "reflection",
      versionId: version.id,
      reflection: "Mine",
      share: "on",
    });
    expect(notAsked.status).toBe(400);
    expect(await notAsked.text()).toContain("can only be shared with a therapist who asked you");

    await send(`/therapist/patients/${patient.id}/learning`, therapist, { slug: "welcome", target: linkId, dueOn: "" });
    const shared = await send("/supporter/learning/welcome", supporter, {
      intent: "reflection",
      versionId: version.id,
      reflection: "I want to listen better.",
      share: "on",
    });
    expect(shared.status).toBe(302);
    const forTherapist = await careTeamCircleLearning(db, (await careTeamAccess(db, therapist, patient.id))!);
    const forPatient = await circleLearning(db, patient.id, patient.programId);
    expect(forTherapist[0]!.assignments[0]!.sharedReflection).toBe("I want to listen better.");
    expect(forPatient[0]!.assignments[0]!.sharedReflection).toBeNull();
    expect(await (await send("/patient/learning", patient)).text()).not.toContain("I want to listen better.");

    await send("/supporter/learning/welcome", supporter, {
      intent: "reflection",
      versionId: version.id,
      reflection: "Just for me now.",
    });
    expect(
      (await careTeamCircleLearning(db, (await careTeamAccess(db, therapist, patient.id))!))[0]!.assignments[0]!.sharedReflection,
    ).toBeNull();
  });
});

describe("assignments", () => {
  it("the therapist asks one supporter or everyone sharing education, with a due date; each gets a neutral e-mail", async () => {
    const { therapist, patient, supporter, program, linkId } = await world();
    const second = await createActiveUser(program.id, "supporter", "second");
    await approve(patient, second, therapist);
    const noEducation = await createActiveUser(program.id, "supporter", "noeducation");
    await approve(patient, noEducation, therapist, ["progress"]);

    const due = addDays(today(), 7);
    const one = await send(`/therapist/patients/${patient.id}/learning`, therapist, {
      slug: "boundaries",
      target: linkId,
      dueOn: due,
    });
    expect(one.status).toBe(302);
    const all = await send(`/therapist/patients/${patient.id}/learning`, therapist, { slug: "safety", target: "all", dueOn: "" });
    expect(all.headers.get("Location")).toBe(`/therapist/patients/${patient.id}/learning?assigned=2`);

    const members = await careTeamCircleLearning(db, (await careTeamAccess(db, therapist, patient.id))!);
    const titlesOf = (name: string) =>
      members.find((member) => member.name === name)!.assignments.map((a) => [a.slug, a.dueOn, a.status]);
    expect(titlesOf(supporter.name)).toEqual([
      ["boundaries", due, "not_started"],
      ["safety", null, "not_started"],
    ]);
    expect(titlesOf(second.name)).toEqual([["safety", null, "not_started"]]);
    expect(members.find((member) => member.name === noEducation.name)).toMatchObject({ sharesEducation: false, assignments: [] });

    // A supporter hears of modules asked in the daily summary (their role's default), counted, never named.
    const { sendDigests } = await import("~/models/notifications.server");
    await notifyAll(tomorrowAt(program.timeZone));
    await sendDigests(db, tomorrowAt(program.timeZone, "18:30"));
    const [summary] = (await listOutbox(db, program.id)).filter(
      (message) => message.toAddress === supporter.email && message.subject === "Your Care Circle summary",
    );
    expect(summary!.textBody).toContain(`- ${en["notifications.kind.module_assigned"]}: 2`);
    expect(summary!.textBody).not.toMatch(/boundar|safety|addiction|recovery/i);
    expect(summary!.textBody).not.toContain(patient.name);
  });

  it("refuses an unknown module, a supporter outside the education circle, and a past due date, changing nothing", async () => {
    const { therapist, patient, program } = await world();
    const outsider = await createActiveUser(program.id, "supporter", "outsider");
    const progressOnly = await approve(patient, outsider, therapist, ["progress"]);
    const cases: [Record<string, string>, string][] = [
      [{ slug: "made-up", target: "all" }, "That module is not in the library."],
      [{ slug: "safety", target: progressOnly }, "That person is not an active supporter who shares learning."],
      [{ slug: "safety", target: "someone-else" }, "That person is not an active supporter who shares learning."],
      [{ slug: "safety", target: "all", dueOn: addDays(today(), -1) }, "The due date cannot be in the past."],
      [{ slug: "safety", target: "all", dueOn: "2026-02-30" }, "Enter a real date"],
      [{ slug: "x".repeat(5000), target: "all" }, "That module is not in the library."],
    ];
    for (const [form, message] of cases) {
      const response = await send(`/therapist/patients/${patient.id}/learning`, therapist, form);
      expect(response.status, JSON.stringify(form).slice(0, 80)).toBe(400);
      expect(await response.text()).toContain(message);
    }
    expect(await db.select().from(moduleAssignments).where(eq(moduleAssignments.programId, program.id)).all()).toEqual([]);
  });

  it("another therapist, and another program's therapist, get 404 for the patient's learning and change nothing", async () => {
    const { patient, program, linkId } = await world();
    const colleague = await createActiveUser(program.id, "therapist", "colleague");
    const elsewhere = await createProgramWithStaff("Elsewhere");
    for (const stranger of [colleague, elsewhere.therapist]) {
      expect((await send(`/therapist/patients/${patient.id}/learning`, stranger)).status).toBe(404);
      expect(
        (await send(`/therapist/patients/${patient.id}/learning`, stranger, { slug: "safety", target: linkId })).status,
      ).toBe(404);
    }
    expect(await db.select().from(moduleAssignments).where(eq(moduleAssignments.linkId, linkId)).all()).toEqual([]);
  });

  it("the patient suggests modules to their own supporters only, and sees progress where the consent includes education", async () => {
    const { patient, supporter, therapist, linkId } = await world();
    const other = await createProgramWithStaff("Other");
    const otherLink = await approve(other.patient, other.supporter, other.therapist);
    const foreign = await send("/patient/learning", patient, { slug: "welcome", target: otherLink });
    expect(foreign.status).toBe(400);
    expect(await db.select().from(moduleAssignments).where(eq(moduleAssignments.linkId, otherLink)).all()).toEqual([]);

    const suggested = await send("/patient/learning", patient, { slug: "welcome", target: linkId, dueOn: addDays(today(), -3) });
    expect(suggested.status).toBe(302);
    // A patient's suggestion carries no due date, whatever the form sends.
    expect(await db.select().from(moduleAssignments).where(eq(moduleAssignments.linkId, linkId)).get()).toMatchObject({
      assignedByRole: "patient",
      dueOn: null,
    });

    // A suggestion never replaces the therapist's ask and its due date.
    const due = addDays(today(), 5);
    await send(`/therapist/patients/${patient.id}/learning`, therapist, { slug: "safety", target: linkId, dueOn: due });
    await send("/patient/learning", patient, { slug: "safety", target: "all" });
    const safety = (await circleLearning(db, patient.id, patient.programId))[0]!.assignments.find((a) => a.slug === "safety");
    expect(safety).toMatchObject({ assignedByRole: "therapist", dueOn: due });

    await readEverySection(supporter, "welcome");
    const page = await (await send("/patient/learning", patient)).text();
    expect(page).toContain(supporter.name);
    expect(page).toContain("Welcome to Care Circle");
    expect(page).toContain("In progress");
  });

  it("the supporter sees what was asked, logged as an education disclosure; overdue shows across the caseload", async () => {
    const { therapist, patient, supporter, linkId } = await world();
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
    const { assignModule } = await import("~/models/assignments.server");
    const assigner = { ...actorOf(therapist), role: "therapist" as const };
    await assignModule(db, assigner, patient.id, { slug: "welcome", target: linkId, dueOn: addDays(today(), -2) }, tenDaysAgo);
    await assignModule(db, assigner, patient.id, { slug: "safety", target: linkId, dueOn: addDays(today(), 3) });

    const groups = await supporterAssignments(db, await capabilitiesFor(db, supporter, "education"));
    expect(groups).toHaveLength(1);
    expect(groups[0]!.patientName).toBe(patient.name);
    expect(groups[0]!.assignments.map((a) => [a.slug, a.status])).toEqual([
      ["welcome", "overdue"],
      ["safety", "not_started"],
    ]);
    const logged = await db
      .select()
      .from(disclosureLog)
      .where(and(eq(disclosureLog.linkId, linkId), eq(disclosureLog.itemType, "module_assignment")))
      .all();
    expect(logged).toHaveLength(2);
    expect(logged.every((row) => row.category === "education")).toBe(true);

    expect((await caseloadOverdue(db, therapist)).map((row) => [row.patientName, row.supporterName, row.slug])).toEqual([
      [patient.name, supporter.name, "welcome"],
    ]);
    const colleague = await createActiveUser(therapist.programId, "therapist", "colleague");
    expect(await caseloadOverdue(db, colleague)).toEqual([]);

    // Completing it clears it from the overdue list.
    await readEverySection(supporter, "welcome");
    const module = await moduleOf(supporter, "welcome");
    await submitAttempt(
      db,
      supporter.id,
      module,
      (await readerState(db, supporter.id, module)).version.id,
      await answersFor(supporter, "welcome"),
    );
    expect(await caseloadOverdue(db, therapist)).toEqual([]);
    expect((await supporterAssignments(db, await capabilitiesFor(db, supporter, "education")))[0]!.assignments[0]!.status).toBe(
      "completed",
    );
  });

  it("a revoked supporter keeps their own learning but loses the assignment context", async () => {
    const { therapist, patient, supporter, linkId } = await world();
    const assigner = { ...actorOf(therapist), role: "therapist" as const };
    const { assignModule } = await import("~/models/assignments.server");
    await assignModule(
      db,
      assigner,
      patient.id,
      { slug: "welcome", target: linkId, dueOn: addDays(today(), -1) },
      new Date(Date.now() - 5 * 86_400_000),
    );
    await readEverySection(supporter, "welcome");
    await revokeLink(db, { actor: actorOf(patient), as: "patient" }, await linkRow(linkId));

    expect(await supporterAssignments(db, await capabilitiesFor(db, supporter, "education"))).toEqual([]);
    expect(await caseloadOverdue(db, therapist)).toEqual([]);
    const page = await (await send("/supporter/learning", supporter)).text();
    expect(page).not.toContain(patient.name);
    expect(page).toContain("Welcome to Care Circle");
    expect(
      [...(await learningProgress(db, [supporter.id])).values()].map((progress) => [progress.slug, progress.sectionsRead]),
    ).toEqual([["welcome", 4]]);
    // The module page still opens, without "share with the therapist".
    const modulePage = await (await send("/supporter/learning/welcome", supporter)).text();
    expect(modulePage).not.toContain("Share this reflection");
  });
});
