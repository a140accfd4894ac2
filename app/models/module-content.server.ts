import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { and, desc, eq } from "drizzle-orm";
import { parse as parseYaml } from "yaml";
import * as z from "zod";
import type { Database } from "#db/database";
import { educationModules, moduleVersions, type ModuleSection } from "#db/schema";
import { newId } from "~/utils/crypto.server";
import { languages, type Language } from "~/vocabulary";

/**
 * The module library: Markdown files with front matter (content/modules), validated here when the
 * server starts and published into the database. An edited file must raise its `version`; the new
 * version is published beside the old one, which stays for everyone who took it.
 */

const text = (max: number) => z.string().trim().min(1).max(max);

const quizQuestionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,20}$/),
    question: text(500),
    options: z
      .array(z.object({ id: z.string().regex(/^[a-z0-9-]{1,20}$/), text: text(500), explanation: text(1000) }).strict())
      .min(2)
      .max(5),
    answer: z.string(),
  })
  .strict()
  .refine((question) => new Set(question.options.map((option) => option.id)).size === question.options.length, {
    error: "option ids must be unique within a question",
  })
  .refine((question) => question.options.some((option) => option.id === question.answer), {
    error: "the answer must be one of the question's option ids",
  });

export const moduleFrontMatterSchema = z
  .object({
    slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: "slug: lower-case words joined by hyphens" }),
    version: z.number().int().min(1),
    order: z.number().int().min(1),
    title: text(120),
    summary: text(400),
    readingMinutes: z.number().int().min(1).max(60),
    reflection: text(1000),
    practice: text(1000),
    quiz: z
      .array(quizQuestionSchema)
      .min(3)
      .max(5)
      .refine((questions) => new Set(questions.map((question) => question.id)).size === questions.length, {
        error: "question ids must be unique",
      }),
  })
  .strict();

const sectionsSchema = z
  .array(z.object({ heading: text(160), body: text(20_000) }))
  .min(3, { error: "a module needs 3 to 6 sections (## headings)" })
  .max(6, { error: "a module needs 3 to 6 sections (## headings)" });

export type ModuleDocument = z.infer<typeof moduleFrontMatterSchema> & { sections: ModuleSection[]; language: Language };

export class ModuleContentError extends Error {}

/** Splits a module file into its front matter and its `## ` sections, and validates both. */
export function parseModuleFile(source: string, fileName: string, language: Language = "en"): ModuleDocument {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(source);
  if (!match) throw new ModuleContentError(`${fileName}: the file must start with front matter between --- lines`);
  let frontMatter: unknown;
  try {
    frontMatter = parseYaml(match[1]!);
  } catch (error) {
    throw new ModuleContentError(`${fileName}: the front matter is not valid YAML (${(error as Error).message})`);
  }
  const body = match[2]!.trim();
  if (body && !body.startsWith("## ")) throw new ModuleContentError(`${fileName}: the text must start with a ## section heading`);
  const sections = body
    .split(/^## /m)
    .filter((chunk) => chunk.trim() !== "")
    .map((chunk) => {
      const [heading = "", ...rest] = chunk.split("\n");
      return { heading: heading.trim(), body: rest.join("\n").trim() };
    });
  const result = moduleFrontMatterSchema.safeParse(frontMatter);
  const sectionResult = sectionsSchema.safeParse(sections);
  const problems = [
    ...(result.error?.issues ?? []),
    ...(sectionResult.error?.issues.map((issue) => ({ ...issue, path: ["sections", ...issue.path] })) ?? []),
  ];
  if (problems.length > 0) {
    const list = problems.map((issue) => `  ${issue.path.join(".") || "(file)"}: ${issue.message}`).join("\n");
    throw new ModuleContentError(`${fileName} is not a valid module:\n${list}`);
  }
  return { ...result.data!, sections: sectionResult.data!, language };
}

function readDirectory(directory: string, language: Language) {
  return fs
    .readdirSync(directory)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => parseModuleFile(fs.readFileSync(path.join(directory, name), "utf8"), name, language));
}

/**
 * Every module file, validated: English in `directory`, each other language in a folder named for it
 * (`es/`), the same module under the same slug and place. A translation of no English module, or any
 * invalid file, stops the start with the reason.
 */
export function readModuleLibrary(directory: string): ModuleDocument[] {
  const english = readDirectory(directory, "en");
  const slugs = new Set<string>();
  for (const document of english) {
    if (slugs.has(document.slug)) throw new ModuleContentError(`Two module files use the slug "${document.slug}"`);
    slugs.add(document.slug);
  }
  const translations = languages
    .filter((language) => language !== "en" && fs.existsSync(path.join(directory, language)))
    .flatMap((language) => readDirectory(path.join(directory, language), language));
  for (const translation of translations) {
    const original = english.find((document) => document.slug === translation.slug);
    if (!original || original.order !== translation.order) {
      throw new ModuleContentError(
        `The ${translation.language} module "${translation.slug}" has no English module of the same slug and order`,
      );
    }
  }
  return [...english, ...translations];
}

function contentHash(document: ModuleDocument) {
  const { version: _version, order: _order, language: _language, ...content } = document;
  return crypto.createHash("sha256").update(JSON.stringify(content)).digest("hex");
}

/**
 * Publishes the library into the database: a new module, or a new version of one whose file raised
 * its `version`. A file whose content changed without a new version number, or whose number went
 * down, is refused: a published version is what supporters took, and is never rewritten.
 */
export async function publishModuleLibrary(db: Database, documents: ModuleDocument[], now = new Date()) {
  let published = 0;
  await db.transaction(async (tx) => {
    for (const document of documents) {
      const hash = contentHash(document);
      let module = await tx.select().from(educationModules).where(eq(educationModules.slug, document.slug)).get();
      if (!module) {
        module = { id: newId(), slug: document.slug, programId: null, position: document.order, createdAt: now };
        await tx.insert(educationModules).values(module);
      } else if (module.position !== document.order && document.language === "en") {
        await tx.update(educationModules).set({ position: document.order }).where(eq(educationModules.id, module.id));
      }
      const latest = await tx
        .select({ version: moduleVersions.version, contentHash: moduleVersions.contentHash })
        .from(moduleVersions)
        .where(and(eq(moduleVersions.moduleId, module.id), eq(moduleVersions.language, document.language)))
        .orderBy(desc(moduleVersions.version))
        .get();
      const name = document.language === "en" ? `Module "${document.slug}"` : `Module "${document.slug}" (${document.language})`;
      if (latest && document.version < latest.version) {
        throw new ModuleContentError(
          `${name}: version ${document.version} is older than the published version ${latest.version}`,
        );
      }
      if (latest && document.version === latest.version) {
        if (latest.contentHash !== hash) {
          throw new ModuleContentError(
            `${name} changed but is still version ${latest.version}: raise its version to publish the edit`,
          );
        }
        continue;
      }
      await tx.insert(moduleVersions).values({
        id: newId(),
        moduleId: module.id,
        version: document.version,
        language: document.language,
        title: document.title,
        summary: document.summary,
        readingMinutes: document.readingMinutes,
        reflectionPrompt: document.reflection,
        practice: document.practice,
        sections: document.sections,
        quiz: document.quiz,
        contentHash: hash,
        publishedAt: now,
      });
      published += 1;
    }
  });
  return published;
}
