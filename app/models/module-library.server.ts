import { and, asc, desc, eq, isNull, or, sql } from "drizzle-orm";
import MarkdownIt from "markdown-it";
import type { Database } from "#db/database";
import { educationModules, hiddenModules, moduleVersions, type ModuleSection, type QuizQuestion } from "#db/schema";
import { recordAudit } from "~/models/audit.server";
import type { Language } from "~/vocabulary";

/*
 * The published library, as supporters and the care team read it. The content files are
 * validated and published by module-content.server.ts.
 */

/**
 * A module's versions best first for a reader of `language` (decision 022): in their language, else
 * in English; the newest first within each.
 */
export function readerVersionOrder(language: Language) {
  return [sql`${moduleVersions.language} <> ${language}`, sql`${moduleVersions.language} <> 'en'`, desc(moduleVersions.version)];
}

/** The modules a program's supporters may take: the shared library and the program's own, in order. */
function libraryScope(programId: string) {
  return or(isNull(educationModules.programId), eq(educationModules.programId, programId));
}

/**
 * Each module of the library with its newest version's summary (never its quiz), and whether the
 * program's admin hid it from assignment (supporters' own library shows it either way).
 */
export async function moduleLibrary(db: Database, programId: string, language: Language = "en") {
  const rows = await db
    .select({
      moduleId: educationModules.id,
      slug: educationModules.slug,
      versionId: moduleVersions.id,
      version: moduleVersions.version,
      title: moduleVersions.title,
      summary: moduleVersions.summary,
      readingMinutes: moduleVersions.readingMinutes,
      hiddenAt: hiddenModules.hiddenAt,
    })
    .from(educationModules)
    .innerJoin(moduleVersions, eq(moduleVersions.moduleId, educationModules.id))
    .leftJoin(hiddenModules, and(eq(hiddenModules.moduleId, educationModules.id), eq(hiddenModules.programId, programId)))
    .where(libraryScope(programId))
    .orderBy(asc(educationModules.position), ...readerVersionOrder(language));
  return rows
    .filter((row, index) => index === 0 || rows[index - 1]!.moduleId !== row.moduleId)
    .map(({ hiddenAt, ...row }) => ({ ...row, hidden: hiddenAt !== null }));
}

export type LibraryModule = Awaited<ReturnType<typeof moduleLibrary>>[number];

/** A module of the program's library by its slug, or undefined. */
export async function findLibraryModule(db: Database, programId: string, slug: string) {
  return db
    .select()
    .from(educationModules)
    .where(and(eq(educationModules.slug, slug), libraryScope(programId)))
    .get();
}

/** A module of the program's library that may be assigned (not hidden by the program), or undefined. */
export async function findAssignableModule(db: Database, programId: string, slug: string) {
  const module = await findLibraryModule(db, programId, slug);
  if (!module) return undefined;
  const hidden = await db
    .select({ moduleId: hiddenModules.moduleId })
    .from(hiddenModules)
    .where(and(eq(hiddenModules.programId, programId), eq(hiddenModules.moduleId, module.id)))
    .get();
  return hidden ? undefined : module;
}

/**
 * Hides a module of the program's library from every assignment picker, or shows it again. What was
 * assigned stays, and so does supporters' progress; new versions still come from the content files.
 * Returns null for a slug outside the program's library.
 */
export async function setModuleHidden(
  db: Database,
  actor: { id: string; programId: string; ipAddress: string | null },
  slug: string,
  hidden: boolean,
) {
  return db.transaction(async (tx) => {
    const module = await findLibraryModule(tx, actor.programId, slug);
    if (!module) return null;
    if (hidden) {
      await tx
        .insert(hiddenModules)
        .values({ programId: actor.programId, moduleId: module.id, hiddenBy: actor.id, hiddenAt: new Date() })
        .onConflictDoNothing();
    } else {
      await tx
        .delete(hiddenModules)
        .where(and(eq(hiddenModules.programId, actor.programId), eq(hiddenModules.moduleId, module.id)));
    }
    await recordAudit(tx, {
      action: hidden ? "module.hidden" : "module.shown",
      outcome: "success",
      programId: actor.programId,
      actorUserId: actor.id,
      targetType: "module",
      targetId: module.id,
      ipAddress: actor.ipAddress,
    });
    return module;
  });
}

/** The version a reader of `language` starts: the newest in their language, else the newest in English. */
export async function latestVersion(db: Database, moduleId: string, language: Language = "en") {
  return (await db
    .select()
    .from(moduleVersions)
    .where(eq(moduleVersions.moduleId, moduleId))
    .orderBy(...readerVersionOrder(language))
    .get())!;
}

export async function findVersion(db: Database, versionId: string) {
  return db.select().from(moduleVersions).where(eq(moduleVersions.id, versionId)).get();
}

export type ModuleVersion = typeof moduleVersions.$inferSelect;

/** Raw HTML in a module is shown as text, never run: a program's own modules are data, not code. */
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });

// A section is shown on its own page under its heading as the h1, so its ### subheadings become h2.
markdown.core.ruler.push("section_heading_levels", (state) => {
  for (const token of state.tokens) {
    if ((token.type === "heading_open" || token.type === "heading_close") && token.tag !== "h1") {
      token.tag = `h${Number(token.tag.slice(1)) - 1}`;
    }
  }
});

export function renderSection(section: ModuleSection) {
  return markdown.render(section.body);
}

/** The questions and their options as the browser may see them before an attempt: no answer, no explanation. */
export function questionsForBrowser(quiz: QuizQuestion[]) {
  return quiz.map((question) => ({
    id: question.id,
    question: question.question,
    options: question.options.map((option) => ({ id: option.id, text: option.text })),
  }));
}
