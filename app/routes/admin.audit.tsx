import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { AuditFilterForm, AuditPersonLookup, personLookupSchema } from "~/components/audit-filter-form";
import { OlderNewer } from "~/components/pagination";
import { readAuditFilter } from "~/forms/audit-filter.server";
import { useFormatLocale, useT, type MessageKey } from "~/i18n/i18n";
import { programMembershipsByEmail } from "~/models/account.server";
import { auditPage, auditPeople } from "~/models/audit.server";
import { requirePermission } from "~/policy.server";
import { timeAndIdCursor } from "~/utils/cursor.server";
import { formatInstant } from "~/utils/dates";
import { readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.auditTrail");

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "audit:read");
  const url = new URL(args.request.url);
  const { timeZone, result, filter, query } = await readAuditFilter(db, user, url);
  const before = timeAndIdCursor.parse(url.searchParams.get("before") ?? undefined);
  const page = filter ? await auditPage(db, user.programId, filter, before) : null;
  return {
    timeZone,
    people: await auditPeople(db, user.programId, filter?.actorId),
    values: Object.fromEntries(["person", "action", "from", "to"].map((key) => [key, url.searchParams.get(key) ?? ""])),
    result,
    query,
    events: page?.events ?? null,
    next: page?.next ? `${page.next.at}-${page.next.id}` : null,
    isFirstPage: !before,
  };
}

/**
 * Finds someone the person select does not list (a supporter, say) by e-mail. A POST, so that the address
 * never appears in a URL; the filter then carries their membership id like any other.
 */
export async function action(args: ActionFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "audit:read");
  const submission = parseWithZod(await readForm(args.request), { schema: personLookupSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), matches: [] }, { status: 400 });
  // Someone of another program is no one here: the same answer as an address nobody uses.
  const matches = await programMembershipsByEmail(db, user.programId, submission.value.email);
  if (matches.length === 0)
    return data(
      { result: submission.reply({ fieldErrors: { email: ["validation.auditEmail.unknown"] } }), matches },
      { status: 400 },
    );
  if (matches.length === 1) throw redirect(`/admin/audit?person=${matches[0]!.id}`);
  return { result: submission.reply(), matches };
}

export default function AuditTrail() {
  const t = useT();
  const locale = useFormatLocale();
  const { events, next, isFirstPage, timeZone, people, values, result, query } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const lookup = useActionData<typeof action>();
  return (
    <div className="page">
      <h1>{t("audit.title")}</h1>
      <p className="lead">{t("audit.lead")}</p>
      {/* Keyed by the URL so that each filtered view starts from its own values and errors. */}
      <AuditFilterForm key={search} people={people} values={values} lastResult={result} timeZone={timeZone} />
      <AuditPersonLookup lastResult={lookup?.result ?? null} matches={lookup?.matches ?? []} />
      {events === null ? (
        <p className="notice notice--error">{t("audit.filter.invalid")}</p>
      ) : (
        <>
          <p className="actions">
            <a className="button button--secondary" href={`/admin/audit.csv${query ? `?${query}` : ""}`} download>
              {t("audit.download")}
            </a>
          </p>
          {events.length === 0 ? (
            <p>{t("audit.empty")}</p>
          ) : (
            // Focusable so that keyboard users can scroll the table sideways on a phone (axe asks the same of scroll regions).
            // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
            <div className="table-wrap" role="region" aria-labelledby="audit-caption" tabIndex={0}>
              <table>
                <caption id="audit-caption" className="visually-hidden">
                  {t("audit.title")}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t("audit.when")}</th>
                    <th scope="col">{t("audit.who")}</th>
                    <th scope="col">{t("audit.what")}</th>
                    <th scope="col">{t("audit.outcome")}</th>
                    <th scope="col">{t("audit.from")}</th>
                  </tr>
                </thead>
                <tbody>
                  {events.map((event) => (
                    <tr key={event.id}>
                      <td>{formatInstant(locale, timeZone, new Date(event.createdAt))}</td>
                      <td>
                        {event.actorName
                          ? `${event.actorName} (${t(`role.${event.actorRole}` as MessageKey)})`
                          : t("audit.nobody")}
                      </td>
                      <td>{t(`audit.action.${event.action}` as MessageKey, { defaultValue: event.action })}</td>
                      <td>{t(`audit.outcome.${event.outcome}` as MessageKey)}</td>
                      <td>{event.ipAddress ?? "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <OlderNewer list={t("audit.title")} isFirstPage={isFirstPage} next={next} query={query} />
        </>
      )}
    </div>
  );
}
