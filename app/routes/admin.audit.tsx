import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { useFormatLocale, useT, type MessageKey } from "~/i18n/i18n";
import { listAuditEvents } from "~/models/audit.server";
import { getProgram } from "~/models/program.server";
import { requirePermission } from "~/policy.server";
import { formatInstant } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Audit trail · Care Circle" }];

const cursor = z.coerce.number().int().positive().optional().catch(undefined);

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "audit:read");
  const before = cursor.parse(new URL(args.request.url).searchParams.get("before") ?? undefined);
  return {
    timeZone: (await getProgram(db, user.programId))?.timeZone ?? "UTC",
    ...(await listAuditEvents(db, user.programId, before)),
  };
}

export default function AuditTrail() {
  const t = useT();
  const locale = useFormatLocale();
  const { events, nextBefore, timeZone } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("audit.title")}</h1>
      <p className="lead">{t("audit.lead")}</p>
      {/* Focusable so that keyboard users can scroll the table sideways on a phone (axe asks the same of scroll regions). */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
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
                <td>{formatInstant(locale, timeZone, event.createdAt)}</td>
                <td>
                  {event.actorName ? `${event.actorName} (${t(`role.${event.actorRole}` as MessageKey)})` : t("audit.nobody")}
                </td>
                <td>{t(`audit.action.${event.action}` as MessageKey, { defaultValue: event.action })}</td>
                <td>{t(`audit.outcome.${event.outcome}` as MessageKey)}</td>
                <td>{event.ipAddress ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {nextBefore ? (
        <p>
          <Link to={`?before=${nextBefore}`}>{t("audit.older")}</Link>
        </p>
      ) : null}
    </div>
  );
}
