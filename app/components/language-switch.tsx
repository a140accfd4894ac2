import { Form, useLocation } from "@remix-run/react";
import { useId } from "react";
import { supportedLanguages, useLanguage, useT, type Language } from "~/i18n/i18n";

/** Each language under its own name, so that a reader of either finds theirs. */
const languageNames: Record<Language, string> = { en: "English", es: "Español" };

/**
 * The language of every page and e-mail. Before signing in the choice is kept on the device; signed
 * in, it is the person's own, in every role and on every device. The page reloads in full, so that it
 * downloads the new language's words (decision 022).
 */
export function LanguageSwitch() {
  const t = useT();
  const current = useLanguage();
  const { pathname, search } = useLocation();
  const labelId = useId();
  return (
    <Form method="post" action="/language" reloadDocument className="language-switch" aria-labelledby={labelId}>
      <input type="hidden" name="back" value={`${pathname}${search}`} />
      <span id={labelId}>{t("language.label")}</span>
      {supportedLanguages.map((language) => (
        <button
          key={language}
          type="submit"
          name="language"
          value={language}
          lang={language}
          className="link-button"
          aria-pressed={language === current}
        >
          {languageNames[language]}
        </button>
      ))}
    </Form>
  );
}
