import i18next, { type TOptions } from "i18next";
import { useRouteLoaderData } from "@remix-run/react";
import { languages, type Language } from "~/vocabulary";
import { en, type MessageKey } from "./en";

export type { MessageKey } from "./en";
export type { Language } from "~/vocabulary";

export const supportedLanguages = languages;

/**
 * One i18next instance, initialised synchronously with English (the source catalogue and the
 * fallback) so the server and the browser render the same text on the first pass. Other languages
 * are added with `addCatalogue`: all of them on the server, and in the browser only the page's own,
 * loaded before hydration (entry.client.tsx), so no one downloads a catalogue they do not read.
 * Keys are flat ("login.title").
 */
const instance = i18next.createInstance();
void instance.init({
  resources: { en: { translation: en } },
  lng: "en",
  fallbackLng: "en",
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false }, // React escapes; e-mail text is plain text
  initAsync: false,
  returnNull: false,
  showSupportNotice: false,
});

/** Makes a catalogue available; the one for English is always there. */
export function addCatalogue(language: Language, catalogue: Record<string, string>) {
  if (instance.hasResourceBundle(language, "translation")) return;
  instance.addResourceBundle(language, "translation", catalogue);
  // What was looked up before fell back to English.
  translators.clear();
}

export type Translate = (key: MessageKey, options?: TOptions) => string;

const translators = new Map<Language, Translate>();

/** A `{{name}}` in a message. The catalogues use no formats, nesting or other i18next syntax (tested). */
const placeholder = /\{\{([A-Za-z0-9_]+)\}\}/g;

/** Options that ask for nothing but a message's text, a count's plural form and values put in. */
function plainOptions(options: TOptions) {
  return (
    (options.count === undefined || typeof options.count === "number") &&
    options.context === undefined &&
    options.ordinal === undefined &&
    options.lng === undefined &&
    options.ns === undefined
  );
}

const pluralRules = new Map<Language, Intl.PluralRules>();
function pluralRule(language: Language) {
  let rule = pluralRules.get(language);
  if (!rule) pluralRules.set(language, (rule = new Intl.PluralRules(language)));
  return rule;
}

/**
 * The keys i18next tries for a message, first found wins: in the language, then in English; within a
 * language, the `_zero` form for a count of 0, the count's plural form in that language, then the key.
 */
function lookupOrder(language: Language, key: string, count: number | undefined) {
  const order: [Language, string][] = [];
  for (const code of language === "en" ? (["en"] as const) : ([language, "en"] as const)) {
    if (count === 0) order.push([code, `${key}_zero`]);
    if (count !== undefined) order.push([code, `${key}_${pluralRule(code).select(count)}`]);
    order.push([code, key]);
  }
  return order;
}

/**
 * The text of a message in `language` (or English, as i18next falls back), once looked up. A message is
 * looked up hundreds of times a page (a caseload of twenty-five patients, a year of disclosures), and
 * i18next's own lookup costs microseconds each time: templates are kept per language and plural form,
 * and values put in here. Context, ordinals and anything else go to i18next.
 * `tests/unit/catalogues.test.ts` checks the result equals i18next's for every message of every catalogue.
 */
export function translator(language: Language): Translate {
  let translate = translators.get(language);
  if (!translate) {
    // i18next's own key typing is not used: MessageKey (from the English catalogue) is.
    const fixed = instance.getFixedT(language) as unknown as (key: string, options?: TOptions) => string;
    const templates = new Map<string, string | null>();
    const templateOf = (key: string, count: number | undefined) => {
      // Counts with the same plural forms (in the language and in English, its fallback) share a template.
      const cacheKey =
        count === undefined
          ? key
          : `${key}\u0000${count === 0 ? "zero" : pluralRule(language).select(count)}\u0000${pluralRule("en").select(count)}`;
      let template = templates.get(cacheKey);
      if (template === undefined) {
        template = null;
        for (const [code, candidate] of lookupOrder(language, key, count)) {
          const found: unknown = instance.getResource(code, "translation", candidate);
          if (typeof found === "string") {
            template = found;
            break;
          }
        }
        templates.set(cacheKey, template);
      }
      return template;
    };
    const plain = new Map<string, string>();
    translate = (key, options) => {
      if (!options) {
        let text = plain.get(key);
        if (text === undefined) {
          text = fixed(key);
          plain.set(key, text);
        }
        return text;
      }
      const template = plainOptions(options) ? templateOf(key, options.count) : null;
      if (template === null) return fixed(key, options);
      let complete = true;
      const text = template.replace(placeholder, (_, name: string) => {
        const value = (options as Record<string, unknown>)[name];
        if (typeof value === "string" || typeof value === "number") return String(value);
        complete = false;
        return "";
      });
      return complete ? text : fixed(key, options);
    };
    translators.set(language, translate);
  }
  return translate;
}

/** Picks the best supported UI language from an Accept-Language header. */
export function negotiateLanguage(acceptLanguage: string | null): Language {
  for (const tag of parseAcceptLanguage(acceptLanguage)) {
    const base = tag.split("-")[0]?.toLowerCase();
    const match = supportedLanguages.find((language) => language === base);
    if (match) return match;
  }
  return "en";
}

/**
 * The locale used to format dates and numbers: the reader's own variant of the page's language when
 * the browser names one the runtime knows (es-MX, en-GB), or that language as spoken in the US.
 */
export function negotiateFormatLocale(acceptLanguage: string | null, language: Language = "en"): string {
  for (const tag of parseAcceptLanguage(acceptLanguage)) {
    if (tag.split("-")[0]?.toLowerCase() !== language) continue;
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf(tag);
      if (supported) return supported;
    } catch {
      // an invalid tag is skipped
    }
  }
  return `${language}-US`;
}

function parseAcceptLanguage(header: string | null): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const quality = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.trim(), q: quality ? Number(quality.slice(2)) : 1 };
    })
    .filter((entry) => entry.tag && entry.tag !== "*" && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((entry) => entry.tag)
    .slice(0, 10);
}

export type LocaleInfo = { language: Language; formatLocale: string };

/** English as written in the US: the locale of scripts and tests, and of a page with no reader yet. */
export const englishLocale: LocaleInfo = { language: "en", formatLocale: "en-US" };

/** The translation function for the page being rendered (language chosen by the root loader). */
export function useT(): Translate {
  return translator(useLanguage());
}

export function useLanguage(): Language {
  const data = useRouteLoaderData<{ locale: LocaleInfo }>("root");
  return data?.locale.language ?? "en";
}

export function useFormatLocale(): string {
  const data = useRouteLoaderData<{ locale: LocaleInfo }>("root");
  return data?.locale.formatLocale ?? "en-US";
}
