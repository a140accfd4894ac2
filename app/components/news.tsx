import { Form, Link } from "@remix-run/react";
import { useFormatLocale, useT, type MessageKey } from "~/i18n/i18n";
import type { EventKind } from "~/vocabulary";
import { formatInstant } from "~/utils/dates";

/** One line of "what is new", as the loader hands it to the page: the words' facts and where to act. */
export type NewsLine = {
  id: string;
  kind: EventKind;
  occurredAt: number;
  /** The other party: the supporter for a patient, the patient for a supporter. */
  name: string;
  module: string | null;
  href: string;
  /** A second place to act, with its words (a patient may share earlier check-ins with someone approved). */
  offer: { href: string; label: MessageKey } | null;
};

/**
 * The person's unseen events, newest first, each linking to where they act, and a form that marks them
 * seen up to the newest one shown (so an event arriving meanwhile stays new). Works without JavaScript.
 */
export function WhatIsNew({
  lines,
  total,
  timeZone,
  audience,
}: {
  lines: NewsLine[];
  total: number;
  timeZone: string;
  audience: "patient" | "supporter";
}) {
  const t = useT();
  const locale = useFormatLocale();
  const newest = lines[0];
  return (
    <section aria-labelledby="news-heading" className="news">
      <h2 id="news-heading">{t("news.heading")}</h2>
      {newest ? (
        <>
          <ul className="list">
            {lines.map((line) => (
              <li key={line.id}>
                <Link to={line.href}>
                  {t(`news.${audience}.${line.kind}` as MessageKey, { name: line.name, module: line.module ?? "" })}
                </Link>
                <p className="meta">{formatInstant(locale, timeZone, line.occurredAt)}</p>
                {line.offer ? (
                  <p>
                    <Link to={line.offer.href}>{t(line.offer.label, { name: line.name })}</Link>
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
          {total > lines.length ? <p className="meta">{t("news.more", { count: total - lines.length })}</p> : null}
          <Form method="post" replace>
            <input type="hidden" name="until" value={newest.occurredAt} />
            <button type="submit" name="intent" value="seen" className="button button--secondary">
              {t(total > lines.length ? "news.markShownSeen" : "news.markSeen")}
            </button>
          </Form>
        </>
      ) : (
        <p>{t(`news.${audience}.nothing`)}</p>
      )}
    </section>
  );
}
