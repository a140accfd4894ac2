import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { describeDisclosure } from "~/components/disclosure-entry";
import { OlderNewer } from "~/components/pagination";
import { useFormatLocale, useT } from "~/i18n/i18n";
import { disclosurePage } from "~/models/disclosure.server";
import { getProgram } from "~/models/program.server";
import { requirePermission } from "~/policy.server";
import { timeAndIdCursor } from "~/utils/cursor.server";
import { formatInstant } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.whoHasSeenMyInformation");

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "circle:own");
  const before = timeAndIdCursor.parse(new URL(args.request.url).searchParams.get("before") ?? undefined);
  const page = await disclosurePage(db, user.id, before);
  return {
    timeZone: (await getProgram(db, user.programId))?.timeZone ?? "UTC",
    entries: page.entries,
    next: page.next ? `${page.next.at}-${page.next.id}` : null,
    isFirstPage: !before,
  };
}

export default function Disclosures() {
  const t = useT();
  const locale = useFormatLocale();
  const { entries, next, timeZone, isFirstPage } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("disclosures.title")}</h1>
      <p className="lead">{t("disclosures.lead")}</p>
      <p className="actions">
        <a className="button button--secondary" href="/patient/disclosures.csv" download>
          {t("disclosures.download")}
        </a>
        <Link to="/patient/circle">{t("circle.back")}</Link>
      </p>
      {entries.length === 0 ? <p>{t("disclosures.empty")}</p> : null}
      <ol className="list" aria-label={t("disclosures.title")}>
        {entries.map((entry) => (
          <li key={entry.id}>
            <p>{describeDisclosure(t, entry)}</p>
            <p className="meta">
              <time dateTime={new Date(entry.occurredAt).toISOString()}>{formatInstant(locale, timeZone, entry.occurredAt)}</time>{" "}
              ·{" "}
              {entry.kind === "disclosure" ? (
                <>
                  {t("disclosures.timesThatDay", {
                    count: entry.count,
                    last: formatInstant(locale, timeZone, entry.lastOccurredAt ?? entry.occurredAt),
                  })}{" "}
                  ·{" "}
                </>
              ) : null}
              {t("disclosures.underConsent", { version: entry.consentVersion })}
            </p>
          </li>
        ))}
      </ol>
      <OlderNewer list={t("disclosures.title")} isFirstPage={isFirstPage} next={next} />
    </div>
  );
}
