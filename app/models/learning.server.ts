import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "#db/database";
import {
  circleLinks,
  educationModules,
  learningRecords,
  learningSectionReads,
  moduleAssignments,
  moduleVersions,
  quizAttempts,
} from "#db/schema";
import { passMarkPercent, type LearningProgress } from "~/models/learning-status";
import { latestVersion, type ModuleVersion } from "~/models/module-library.server";
import { recordEvents } from "~/models/events.server";
import { newId } from "~/utils/crypto.server";
import type { Language } from "~/vocabulary";

/**
 * A supporter's own learning: sections read, knowledge-check attempts, the reflection and the
 * practice. Every query names the supporter, so nobody reaches another person's record. A record is
 * tied to the version it was started on; a later edit of the module leaves it as it was.
 */

export class LearningRuleError extends Error {
  constructor(
    readonly field: string,
    readonly messageKey: string,
  ) {
    super(messageKey);
  }
}

/** A module as one supporter reads it: in their language when it has a version in it (decision 022). */
type Module = { id: string; readerLanguage?: Language };

// Drizzle leaves column names unqualified inside raw SQL, and quiz_attempts has its own `id`:
// these correlated subqueries name their tables outright.
const sectionsReadOfRecord = sql<number>`(select count(*) from learning_section_reads as r where r.record_id = learning_records.id)`;
const bestScoreOfRecord = sql<
  number | null
>`(select max(a.score_percent) from quiz_attempts as a where a.record_id = learning_records.id)`;
const attemptsOfRecord = sql<number>`(select count(*) from quiz_attempts as a where a.record_id = learning_records.id)`;
const passedOfRecord = sql<number>`exists(select 1 from quiz_attempts as a where a.record_id = learning_records.id and a.passed = 1)`;

/**
 * The supporter's record of a module (the version they are taking), if they started it: the newest
 * in their language, else the newest they started in another, which they keep.
 */
async function currentRecord(db: Database, userId: string, module: Module) {
  return db
    .select({ record: learningRecords, version: moduleVersions })
    .from(learningRecords)
    .innerJoin(moduleVersions, eq(moduleVersions.id, learningRecords.versionId))
    .where(and(eq(learningRecords.userId, userId), eq(learningRecords.moduleId, module.id)))
    .orderBy(sql`${moduleVersions.language} <> ${module.readerLanguage ?? "en"}`, desc(moduleVersions.version))
    .get();
}

/**
 * What the supporter reads of a module: the version they started, or the newest one if they have
 * not started; with the sections they have read and their attempts.
 */
export async function readerState(db: Database, userId: string, module: Module) {
  const current = await currentRecord(db, userId, module);
  const version: ModuleVersion = current?.version ?? (await latestVersion(db, module.id, module.readerLanguage));
  const record = current?.record ?? null;
  const readSections = record
    ? (
        await db
          .select({ section: learningSectionReads.section })
          .from(learningSectionReads)
          .where(eq(learningSectionReads.recordId, record.id))
      ).map((row) => row.section)
    : [];
  const attempts = record
    ? await db
        .select({
          id: quizAttempts.id,
          scorePercent: quizAttempts.scorePercent,
          passed: quizAttempts.passed,
          createdAt: quizAttempts.createdAt,
        })
        .from(quizAttempts)
        .where(eq(quizAttempts.recordId, record.id))
        .orderBy(desc(quizAttempts.createdAt))
        .all()
    : [];
  return { version, record, readSections: new Set(readSections), attempts };
}

export type ReaderState = Awaited<ReturnType<typeof readerState>>;

/** The first section not yet read, or null when every section is read. */
export function nextUnreadSection(state: ReaderState): number | null {
  const index = state.version.sections.findIndex((_, position) => !state.readSections.has(position));
  return index === -1 ? null : index;
}

/** Refuses a form built for another version than the one this supporter is taking (a stale page or a tampered id). */
function ensureVersion(state: ReaderState, versionId: string) {
  if (state.version.id !== versionId) throw new LearningRuleError("versionId", "learning.version.mismatch");
}

async function ensureRecord(tx: Database, userId: string, module: Module, state: ReaderState, now: Date) {
  if (state.record) return state.record.id;
  const id = newId();
  await tx.insert(learningRecords).values({ id, userId, moduleId: module.id, versionId: state.version.id, startedAt: now });
  return id;
}

/**
 * Completed = every section read and a passed knowledge check; stamped once, when the second comes true.
 * Each patient who asked it of this supporter, through a link still active, hears of it.
 */
async function settleCompletion(tx: Database, recordId: string, sectionsTotal: number, now: Date) {
  const row = (await tx
    .select({
      userId: learningRecords.userId,
      moduleId: learningRecords.moduleId,
      completedAt: learningRecords.completedAt,
      read: sectionsReadOfRecord,
      passed: passedOfRecord,
    })
    .from(learningRecords)
    .where(eq(learningRecords.id, recordId))
    .get())!;
  if (row.completedAt || row.read < sectionsTotal || !row.passed) return;
  await tx.update(learningRecords).set({ completedAt: now }).where(eq(learningRecords.id, recordId));
  const askedBy = await tx
    .select({ linkId: circleLinks.id, programId: circleLinks.programId, patientId: circleLinks.patientId })
    .from(moduleAssignments)
    .innerJoin(circleLinks, eq(circleLinks.id, moduleAssignments.linkId))
    .where(
      and(
        eq(moduleAssignments.moduleId, row.moduleId),
        eq(circleLinks.supporterId, row.userId),
        eq(circleLinks.status, "active"),
      ),
    );
  await recordEvents(
    tx,
    askedBy.map((link) => ({
      recipientId: link.patientId,
      kind: "module_finished" as const,
      programId: link.programId,
      patientId: link.patientId,
      linkId: link.linkId,
      subjectId: row.moduleId,
    })),
    now,
  );
}

/** Saves that the supporter read one section (0-based); returns their state after it. */
export async function markSectionRead(
  db: Database,
  userId: string,
  module: Module,
  versionId: string,
  section: number,
  now = new Date(),
): Promise<ReaderState> {
  // The state is read in the transaction that writes on it, so two requests at once start one record.
  await db.transaction(async (tx) => {
    const state = await readerState(tx, userId, module);
    if (!Number.isInteger(section) || section < 0 || section >= state.version.sections.length) {
      throw new LearningRuleError("section", "learning.section.unknown");
    }
    ensureVersion(state, versionId);
    const recordId = await ensureRecord(tx, userId, module, state, now);
    await tx.insert(learningSectionReads).values({ recordId, section, readAt: now }).onConflictDoNothing();
    await settleCompletion(tx, recordId, state.version.sections.length, now);
  });
  return readerState(db, userId, module);
}

/**
 * Scores an attempt from the stored answer key. Every question needs one of its own options; an
 * unknown question or option is refused with a message, and nothing is recorded.
 */
export async function submitAttempt(
  db: Database,
  userId: string,
  module: Module,
  versionId: string,
  answers: Record<string, string>,
  now = new Date(),
) {
  return db.transaction(async (tx) => {
    const state = await readerState(tx, userId, module);
    ensureVersion(state, versionId);
    const quiz = state.version.quiz;
    const known = new Set(quiz.map((question) => question.id));
    if (Object.keys(answers).some((questionId) => !known.has(questionId))) {
      throw new LearningRuleError("form", "learning.check.unknownQuestion");
    }
    const errors: Record<string, string> = {};
    let correct = 0;
    for (const question of quiz) {
      const chosen = answers[question.id];
      if (!chosen) errors[question.id] = "learning.check.unanswered";
      else if (!question.options.some((option) => option.id === chosen)) errors[question.id] = "learning.check.unknownOption";
      else if (chosen === question.answer) correct += 1;
    }
    if (Object.keys(errors).length > 0) return { ok: false as const, errors };
    const scorePercent = Math.round((correct / quiz.length) * 100);
    const id = newId();
    const recordId = await ensureRecord(tx, userId, module, state, now);
    await tx.insert(quizAttempts).values({
      id,
      recordId,
      answers,
      correct,
      total: quiz.length,
      scorePercent,
      passed: scorePercent >= passMarkPercent,
      createdAt: now,
    });
    await settleCompletion(tx, recordId, state.version.sections.length, now);
    return { ok: true as const, attemptId: id };
  });
}

/** One of this supporter's attempts with each answer's explanation; undefined for anyone else's. */
export async function attemptResult(db: Database, userId: string, attemptId: string) {
  const row = await db
    .select({ attempt: quizAttempts, version: moduleVersions, slug: educationModules.slug })
    .from(quizAttempts)
    .innerJoin(learningRecords, eq(learningRecords.id, quizAttempts.recordId))
    .innerJoin(moduleVersions, eq(moduleVersions.id, learningRecords.versionId))
    .innerJoin(educationModules, eq(educationModules.id, learningRecords.moduleId))
    .where(and(eq(quizAttempts.id, attemptId), eq(learningRecords.userId, userId)))
    .get();
  if (!row) return undefined;
  return {
    slug: row.slug,
    title: row.version.title,
    scorePercent: row.attempt.scorePercent,
    correct: row.attempt.correct,
    total: row.attempt.total,
    passed: row.attempt.passed,
    answers: row.version.quiz.map((question) => {
      const chosen = question.options.find((option) => option.id === row.attempt.answers[question.id])!;
      return {
        questionId: question.id,
        question: question.question,
        chosen: chosen.text,
        isCorrect: chosen.id === question.answer,
        explanation: chosen.explanation,
      };
    }),
  };
}

/** Saves the supporter's reflection; shared with the therapist only if they tick it and may share it. */
export async function saveReflection(
  db: Database,
  userId: string,
  module: Module,
  change: { versionId: string; reflection: string; share: boolean; mayShare: boolean },
  now = new Date(),
) {
  await db.transaction(async (tx) => {
    const state = await readerState(tx, userId, module);
    ensureVersion(state, change.versionId);
    if (change.share && !change.mayShare) throw new LearningRuleError("share", "learning.reflection.cannotShare");
    const recordId = await ensureRecord(tx, userId, module, state, now);
    await tx
      .update(learningRecords)
      .set({
        reflection: change.reflection || null,
        reflectionShared: change.share && change.reflection !== "",
        reflectionUpdatedAt: now,
      })
      .where(eq(learningRecords.id, recordId));
  });
}

export async function setPracticeDone(
  db: Database,
  userId: string,
  module: Module,
  versionId: string,
  done: boolean,
  now = new Date(),
) {
  await db.transaction(async (tx) => {
    const state = await readerState(tx, userId, module);
    ensureVersion(state, versionId);
    const recordId = await ensureRecord(tx, userId, module, state, now);
    await tx
      .update(learningRecords)
      .set({ practiceDoneAt: done ? now : null })
      .where(eq(learningRecords.id, recordId));
  });
}

export type ModuleProgress = LearningProgress & {
  userId: string;
  moduleId: string;
  version: number;
  title: string;
  slug: string;
  reflection: string | null;
  reflectionShared: boolean;
};

/**
 * Progress of these supporters on these modules (all their modules when `moduleIds` is omitted),
 * keyed `userId:moduleId`. The newest version they took counts; a completion of any version stays.
 */
export async function learningProgress(
  db: Database,
  userIds: string[],
  moduleIds?: string[],
): Promise<Map<string, ModuleProgress>> {
  const progress = new Map<string, ModuleProgress>();
  if (userIds.length === 0 || moduleIds?.length === 0) return progress;
  const rows = await db
    .select({
      userId: learningRecords.userId,
      moduleId: learningRecords.moduleId,
      slug: educationModules.slug,
      version: moduleVersions.version,
      title: moduleVersions.title,
      sectionsTotal: sql<number>`json_array_length(${moduleVersions.sections})`,
      sectionsRead: sectionsReadOfRecord,
      bestScore: bestScoreOfRecord,
      attempts: attemptsOfRecord,
      completedAt: learningRecords.completedAt,
      reflection: learningRecords.reflection,
      reflectionShared: learningRecords.reflectionShared,
    })
    .from(learningRecords)
    .innerJoin(moduleVersions, eq(moduleVersions.id, learningRecords.versionId))
    .innerJoin(educationModules, eq(educationModules.id, learningRecords.moduleId))
    .where(and(inArray(learningRecords.userId, userIds), moduleIds ? inArray(learningRecords.moduleId, moduleIds) : undefined))
    .orderBy(desc(moduleVersions.version))
    .all();
  for (const row of rows) {
    const key = `${row.userId}:${row.moduleId}`;
    const newer = progress.get(key);
    if (newer) {
      newer.completedAt ??= row.completedAt;
      continue;
    }
    progress.set(key, { ...row, passed: (row.bestScore ?? 0) >= passMarkPercent });
  }
  return progress;
}
