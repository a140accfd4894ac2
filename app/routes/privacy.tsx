import { useT, type MessageKey } from "~/i18n/i18n";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.howCareCircleProtectsYourInformation");

const sections: { heading: MessageKey; paragraphs: MessageKey[] }[] = [
  {
    heading: "privacy.consent.heading",
    paragraphs: ["privacy.consent.sign", "privacy.consent.choose", "privacy.consent.withdraw"],
  },
  { heading: "privacy.log.heading", paragraphs: ["privacy.log.record", "privacy.log.see"] },
  { heading: "privacy.law.heading", paragraphs: ["privacy.law.part2", "privacy.law.redisclosure"] },
  { heading: "privacy.contact.heading", paragraphs: ["privacy.contact.program"] },
];

/**
 * Public, for anyone deciding whether to use Care Circle or invite someone into it. It has no loader of
 * its own: the text is the same for everyone, so `npm run bench` also uses it as the floor of a page that
 * goes through the whole app shell (middleware, root loader and layout) without reading data of its own.
 */
export default function Privacy() {
  const t = useT();
  return (
    <div className="page">
      <h1>{t("privacy.title")}</h1>
      <p className="lead">{t("privacy.lead")}</p>
      {sections.map(({ heading, paragraphs }) => (
        <section key={heading} aria-labelledby={heading.replaceAll(".", "-")}>
          <h2 id={heading.replaceAll(".", "-")}>{t(heading)}</h2>
          {paragraphs.map((paragraph) => (
            <p key={paragraph}>{t(paragraph)}</p>
          ))}
        </section>
      ))}
    </div>
  );
}
