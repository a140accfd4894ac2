import { useFormatLocale, useT } from "~/i18n/i18n";
import type { Language, SharingCategory } from "~/vocabulary";
import { formatCalendarDate } from "~/utils/dates";

/** What the short summary of a consent says: who, what, until when. */
export type ConsentSummary = {
  recipientName: string;
  categories: readonly SharingCategory[];
  expiryKind: "date" | "episode_end";
  expiresOn: string | null;
};

/**
 * The paragraphs of a consent's text after its title, in the order `consentText` writes them; the
 * last is the signature line, which stays in view.
 */
const sectionTitles = ["who", "what", "why", "withdraw", "until", "redisclosure"] as const;

/**
 * A consent as a person reads it on a phone: a short summary first (what, with whom, until when, how
 * to stop), then the complete text, its title and signature line in view and each part in a section
 * that opens. The text is the stored one, word for word; only its layout changes. `lang` names the
 * language it was signed in when the page is in another.
 */
export function ConsentDocument({ text, summary, lang }: { text: string; summary: ConsentSummary; lang?: Language }) {
  const t = useT();
  const locale = useFormatLocale();
  const [title, ...paragraphs] = text.split("\n\n");
  const signature = paragraphs.pop();
  const until =
    summary.expiryKind === "date" && summary.expiresOn
      ? t("circle.until", { date: formatCalendarDate(locale, summary.expiresOn) })
      : t("circle.untilEpisodeEnd");
  return (
    <article className="consent-document" aria-label={t("consent.document.label")}>
      <div className="consent-document__summary">
        <p>
          <strong>{t("consent.summary.title")}</strong>
        </p>
        <ul>
          <li>
            {t("consent.summary.what", {
              name: summary.recipientName,
              categories: summary.categories.map((category) => t(`category.${category}.title`)).join(", "),
            })}
          </li>
          <li>{t("consent.summary.until", { until })}</li>
          <li>{t("consent.summary.withdraw", { name: summary.recipientName })}</li>
        </ul>
      </div>
      <p className="consent-document__title" lang={lang}>
        {title}
      </p>
      {paragraphs.length === sectionTitles.length ? (
        paragraphs.map((paragraph, index) => (
          <details key={sectionTitles[index]} className="consent-document__section">
            <summary>{t(`consent.section.${sectionTitles[index]!}`)}</summary>
            <div className="consent-document__text" lang={lang}>
              {paragraph}
            </div>
          </details>
        ))
      ) : (
        // A text of another shape (none is stored today) is shown whole rather than cut wrongly.
        <div className="consent-document__text" lang={lang}>
          {paragraphs.join("\n\n")}
        </div>
      )}
      <p className="consent-document__text" lang={lang}>
        {signature}
      </p>
    </article>
  );
}
