import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useFormatLocale, useT } from "~/i18n/i18n";
import { caseloadOverdue } from "~/models/assignments.server";
import { requirePermission } from "~/policy.server";
import { formatCalendarDate } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.overdueLearning");

export async function loader(args: LoaderFunctionArgs) {
  const { user } = await requirePermission(args, "caseload:learning");
  return {
    overdue: (await caseloadOverdue(args.context.db, user)).map((row) => ({
      id: row.id,
      patientId: row.patientId,
      patientName: row.patientName,
      supporterName: row.supporterName,
      title: row.title,
      dueOn: row.dueOn!,
      started: row.progress !== null,
    })),
  };
}

export default function TherapistLearning() {
  const t = useT();
  const locale = useFormatLocale();
  const { overdue } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("learning.overdue.title")}</h1>
      <p className="lead">{t("learning.overdue.lead")}</p>
      {overdue.length === 0 ? <p>{t("learning.overdue.none")}</p> : null}
      <ul className="list" aria-label={t("learning.overdue.title")}>
        {overdue.map((row) => (
          <li key={row.id}>
            <strong>{row.supporterName}</strong>: {row.title}
            <p className="meta">
              <Link to={`/therapist/patients/${row.patientId}/learning`}>
                {t("learning.overdue.circleOf", { patient: row.patientName })}
              </Link>
              {" · "}
              {t("learning.overdue.wasDue", { date: formatCalendarDate(locale, row.dueOn) })}
              {" · "}
              {t(row.started ? "learning.status.in_progress" : "learning.status.not_started")}
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
