import i18next, { type TOptions } from "i18next";
import { useRouteLoaderData } from "@remix-run/react";
import { en, type MessageKey } from "./en";

export type { MessageKey } from "./en";

export const supportedLanguages = ["en"] as const;
export type Language = (typeof supportedLanguages)[number];

/**
 * One i18next instance with the catalogues bundled in, initialised synchronously so the server
 * and the browser render the same text on the first pass. Keys are flat ("login.title").
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

export type Translate = (key: MessageKey, options?: TOptions) => string;

const translators = new Map<Language, Translate>();

export function translator(language: Language): Translate {
  let translate = translators.get(language);
  if (!translate) {
    // i18next's own key typing is not used: MessageKey (from the English catalogue) is.
    const fixed = instance.getFixedT(language) as unknown as (key: string, options?: TOptions) => string;
    translate = (key, options) => fixed(key, options);
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

/** The locale used to format dates and numbers: the reader's own, when the runtime knows it. */
export function negotiateFormatLocale(acceptLanguage: string | null): string {
  for (const tag of parseAcceptLanguage(acceptLanguage)) {
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf(tag);
      if (supported) return supported;
    } catch {
      // an invalid tag is skipped
    }
  }
  return "en-US";
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

/** The translation function for the page being rendered (language chosen by the root loader). */
export function useT(): Translate {
  const data = useRouteLoaderData<{ locale: LocaleInfo }>("root");
  return translator(data?.locale.language ?? "en");
}

export function useFormatLocale(): string {
  const data = useRouteLoaderData<{ locale: LocaleInfo }>("root");
  return data?.locale.formatLocale ?? "en-US";
}
