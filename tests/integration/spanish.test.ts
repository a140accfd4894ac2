import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { consents, educationModules, people } from "#db/schema";
import { en } from "~/i18n/en";
import { es } from "~/i18n/es";
import { serverTranslator } from "~/i18n/locale.server";
import { createProgram } from "~/models/program.server";
import { newId } from "~/utils/crypto.server";
import type { Role } from "~/vocabulary";
import { createCast, type Cast } from "../support/cast";
import { db } from "../support/database";
import { cookieFor, testOrigin } from "../support/fixtures";
import { decodeEntities } from "../support/html-forms";
import { remixHandler, routePaths } from "../support/remix-handler";

/**
 * Every page of every role, read by people who chose Spanish, and every page before signing in, read
 * by a Spanish browser: no sentence of the English catalogue may be left. What is English on purpose
 * is marked `lang="en"` (a consent signed in English, the name "English" in the language switch) and
 * is not read; neither are the words people wrote themselves.
 */

const app = await remixHandler();
let cast: Cast;

beforeAll(async () => {
  const program = await createProgram(db, `Español ${newId().slice(0, 6)}`, "America/Chicago");
  const slugs = (await db.select({ slug: educationModules.slug }).from(educationModules).all()).map((row) => row.slug).sort();
  cast = await createCast(program, slugs);
  await db.update(people).set({ language: "es" }).where(inArray(people.email, cast.emails));
});

/** Sentences of the English catalogue that Spanish says otherwise: the parts between placeholders, of three words or more. */
const englishSentences = Object.entries(en).flatMap(([key, english]) =>
  english === es[key as keyof typeof es]
    ? []
    : english
        .split(/\{\{[^}]+\}\}/)
        .map((part) => part.trim())
        .filter((part) => part.split(/\s+/).length >= 3)
        .map((sentence) => ({ key, sentence })),
);

/** The words a reader meets on the page: scripts and English-on-purpose parts left out. */
function readableText(html: string) {
  const withoutEnglish = html
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<(?!html\b)(\w+)[^>]*\slang="en"[^>]*>[\s\S]*?<\/\1>/g, "");
  return decodeEntities(withoutEnglish.replace(/<[^>]+>/g, " ").replaceAll("<!-- -->", "")).replace(/\s+/g, " ");
}

/** All the words on the page, English-on-purpose parts included. */
function readableWithEnglish(html: string) {
  return decodeEntities(
    html
      .replace(/<script[\s\S]*?<\/script>/g, "")
      .replace(/<[^>]+>/g, " ")
      .replaceAll("<!-- -->", ""),
  ).replace(/\s+/g, " ");
}

function englishLeftIn(html: string) {
  const text = readableText(html);
  return englishSentences.filter(({ sentence }) => text.includes(sentence.replace(/\s+/g, " ")));
}

/** Each page route once, with the cast's own ids: a page with a component, not a file or a feed. */
function pagePaths() {
  const paths = routePaths(app.build, (param) => cast.ownParams[param]?.[0] ?? crypto.randomUUID());
  return Object.keys(app.build.routes)
    .filter((id) => id !== "root" && app.build.routes[id]!.module.default)
    .map((id) => ({ id, path: paths[id]! }));
}

async function get(path: string, headers: Record<string, string>) {
  return app.fetch(new Request(`${testOrigin}${path}`, { headers, redirect: "manual" }));
}

describe("Spanish, everywhere", () => {
  for (const role of ["patient", "supporter", "therapist", "admin"] as Role[]) {
    it(`leaves no English on any page a ${role} who chose Spanish reaches`, async () => {
      const cookie = await cookieFor(cast.members[role].id);
      const found: string[] = [];
      let read = 0;
      for (const { id, path } of pagePaths()) {
        // The browser asks for English: the person's own choice wins.
        const response = await get(path, { Cookie: cookie, "Accept-Language": "en-US" });
        if (response.status !== 200) continue;
        read += 1;
        const html = await response.text();
        expect(html, id).toContain('<html lang="es">');
        for (const { key, sentence } of englishLeftIn(html)) found.push(`${id}: ${key}: "${sentence}"`);
      }
      expect(read, "pages read").toBeGreaterThan(5);
      expect(found).toEqual([]);
    });
  }

  it("leaves no English on the pages before signing in, for a Spanish browser", async () => {
    const found: string[] = [];
    for (const path of ["/login", "/forgot-password", "/privacy", ...cast.tokenPages]) {
      const response = await get(path, { "Accept-Language": "es-MX,es;q=0.9,en;q=0.5" });
      expect(response.status, path).toBe(200);
      const html = await response.text();
      expect(html, path).toContain('<html lang="es">');
      for (const { key, sentence } of englishLeftIn(html)) found.push(`${path}: ${key}: "${sentence}"`);
    }
    expect(found).toEqual([]);
  });

  it("finds English when it is there: the crawl can fail", async () => {
    const response = await get("/login", { "Accept-Language": "en-US" });
    expect(englishLeftIn(await response.text()).map(({ key }) => key)).toContain("layout.skipToContent");
  });

  it("writes e-mails in the recipient's own language, whatever the sender reads", async () => {
    const { sendPasswordResetMail, listOutbox } = await import("~/mail.server");
    const supporter = cast.members.supporter;
    await sendPasswordResetMail(db, { programId: supporter.programId, email: supporter.email, name: supporter.name }, "TOKEN-ES");
    const [kept] = (await listOutbox(db, supporter.programId)).filter((mail) => mail.toAddress === supporter.email);
    expect(kept!.subject).toBe(es["mail.reset.subject"]);
    const link = `${testOrigin}/reset-password?token=TOKEN-ES`;
    expect(kept!.textBody).toBe(serverTranslator("es")("mail.reset.body", { name: supporter.name, link }));
  });

  it("keeps a consent in the language it was signed in, with a marked courtesy translation for a reader of the other", async () => {
    const { invite } = await import("~/models/invitations.server");
    const patient = cast.members.patient;
    const invited = await invite(
      db,
      { id: patient.id, programId: patient.programId, ipAddress: null },
      {
        categories: ["progress"],
        purpose: "Apoyo",
        expiryKind: "episode_end",
        expiresOn: null,
        signature: patient.name,
        name: "Dana Spanish",
        email: `dana-${newId().slice(0, 8)}@example.test`,
        relationship: "parent",
      },
      { language: "es", formatLocale: "es-US" },
    );
    const [stored] = await db.select().from(consents).where(eq(consents.linkId, invited.linkId)).all();
    expect(stored!.language).toBe("es");
    expect(stored!.text.split("\n")[0]).toBe(es["consent.text.title"]);

    const cookie = await cookieFor(patient.id);
    const page = async () =>
      readableWithEnglish(await (await get(`/patient/circle/${invited.linkId}`, { Cookie: cookie })).text());
    // In Spanish, the text as signed and no translation.
    expect(await page()).toContain(es["consent.text.title"]);
    expect(await page()).not.toContain(es["consent.courtesy.open"]);

    // In English: the Spanish text as signed, marked as such, and a courtesy translation.
    await db.update(people).set({ language: "en" }).where(eq(people.email, patient.email));
    try {
      const html = await (await get(`/patient/circle/${invited.linkId}`, { Cookie: cookie })).text();
      expect(html).toContain(`<p class="consent-document__title" lang="es">${es["consent.text.title"]}</p>`);
      const text = readableWithEnglish(html);
      expect(text).toContain(en["consent.signedIn"].replace("{{language}}", en["language.name.es"]));
      expect(text).toContain(en["consent.courtesy.open"]);
      expect(text).toContain(en["consent.text.title"]);
      expect((await db.select().from(consents).where(eq(consents.linkId, invited.linkId)).get())!.text).toBe(stored!.text);
    } finally {
      await db.update(people).set({ language: "es" }).where(eq(people.email, patient.email));
    }
  });
});
