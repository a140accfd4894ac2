import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CheckInEntry, Replies } from "~/components/check-in-entry";
import { OlderNewer } from "~/components/pagination";
import { TrendChart } from "~/components/trend-chart";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { checkInCursorSchema } from "~/utils/cursor.server";
import { useT } from "~/i18n/i18n";
import { ownTrendEntries, patientCheckIns } from "~/models/check-in.server";
import { trendSince, weeklyTrend } from "~/models/trends";
import { getProgram } from "~/models/program.server";
import { requirePermission } from "~/policy.server";
import { cursorParam } from "~/forms/limits";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.myCheckIns");

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "progress:own");
  const before = checkInCursorSchema.parse(new URL(args.request.url).searchParams.get("before") ?? undefined);
  const page = await patientCheckIns(db, user.id, before);
  const timeZone = (await getProgram(db, user.programId))?.timeZone ?? "UTC";
  return {
    timeZone,
    trend: before ? null : weeklyTrend(await ownTrendEntries(db, user.id, trendSince()), timeZone),
    entries: page.entries.map((entry) => ({ ...entry, createdAt: entry.createdAt.getTime() })),
    next: cursorParam(page.next),
    isFirstPage: !before,
  };
}

const notices: StatusNotice[] = [
  { param: "saved", message: "checkIn.notice.saved" },
  { param: "deleted", message: "checkIn.notice.deleted" },
];

export default function PatientCheckIns() {
  const t = useT();
  const { entries, next, timeZone, isFirstPage, trend } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("checkIn.list.title")}</h1>
      <StatusNotices notices={notices} />
      <p className="lead">{t("checkIn.list.lead")}</p>
      <p className="actions">
        <Link className="button" to="/patient/check-ins/new">
          {t("checkIn.new.title")}
        </Link>
      </p>
      {trend ? <TrendChart weeks={trend} /> : null}
      {entries.length === 0 ? <p>{t("checkIn.list.empty")}</p> : null}
      <ul className="list" aria-label={t("checkIn.list.title")}>
        {entries.map((entry) => (
          <li key={entry.id}>
            <CheckInEntry checkIn={entry} timeZone={timeZone} />
            <p className="meta">
              {entry.audience.length > 0
                ? t("checkIn.sharedWith", { names: entry.audience.join(", ") })
                : t("checkIn.sharedWithNobody")}
              {" · "}
              {entry.sharedWithCareTeam ? t("checkIn.careTeam.yes") : t("checkIn.careTeam.no")}
            </p>
            <Replies replies={entry.replies} />
            <p>
              <Link to={`/patient/check-ins/${entry.id}`}>{t("checkIn.editLink")}</Link>
            </p>
          </li>
        ))}
      </ul>
      <OlderNewer list={t("checkIn.list.title")} isFirstPage={isFirstPage} next={next} />
    </div>
  );
}
