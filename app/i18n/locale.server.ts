import { parse as parseCookie, serialize as serializeCookie } from "cookie";
import { es } from "./es";
import {
  addCatalogue,
  negotiateFormatLocale,
  negotiateLanguage,
  translator,
  supportedLanguages,
  type Language,
  type LocaleInfo,
} from "./i18n";

addCatalogue("es", es);

/** The server's translator: every catalogue is loaded here. */
export function serverTranslator(language: Language) {
  return translator(language);
}

/** Remembers the language chosen before signing in (or on a device), for a year. */
const languageCookieName = "care_circle_language";

function languageCookie(request: Request): Language | null {
  const value = parseCookie(request.headers.get("Cookie") ?? "")[languageCookieName];
  return supportedLanguages.find((language) => language === value) ?? null;
}

export function languageCookieHeader(language: Language) {
  return serializeCookie(languageCookieName, language, { path: "/", maxAge: 31_536_000, sameSite: "lax", httpOnly: true });
}

/**
 * The language of this request: the person's own choice, else the one chosen on this device, else the
 * browser's `Accept-Language`. Dates and numbers follow it (decision 022).
 */
export function requestLocale(request: Request, person?: { language: Language | null } | null): LocaleInfo {
  const acceptLanguage = request.headers.get("Accept-Language");
  const language = person?.language ?? languageCookie(request) ?? negotiateLanguage(acceptLanguage);
  return { language, formatLocale: negotiateFormatLocale(acceptLanguage, language) };
}
