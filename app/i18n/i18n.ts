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

export function translator(language: Language): Translate {
  let translate = translators.get(language);
  if (!translate) {
    // i18next's own key typing is not used: MessageKey (from the English catalogue) is.
    const fixed = instance.getFixedT(language) as unknown as (key: string, options?: TOptions) => string;
    // A message without values never changes, and i18next's lookup costs microseconds a call: a page
    // of twenty check-ins asks for hundreds. Messages with values go to i18next each time (plurals).
    const plain = new Map<string, string>();
    translate = (key, options) => {
      if (options) return fixed(key, options);
      let text = plain.get(key);
      if (text === undefined) {
        text = fixed(key);
        plain.set(key, text);
      }
      return text;
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
