import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { sharingCategories } from "~/vocabulary";
import { EndedCircleNotice, Part2Notice } from "~/components/circle";
import { ProgramWeekLabel } from "~/components/program-week";
import { RecoveryDays } from "~/components/recovery-days";
import { TrendChart } from "~/components/trend-chart";
import { sharedTrendEntries } from "~/models/check-in.server";
import { trendSince, weeklyTrend } from "~/models/trends";
import { useT } from "~/i18n/i18n";
import { narrow, supporterAccess } from "~/models/access.server";
import { sharedMilestones } from "~/models/milestones.server";
import { sharedSchedule } from "~/models/schedule.server";
import { PatientSchedule } from "~/components/schedule";
import { endedCircles } from "~/models/care-circle.server";
import { getProgram } from "~/models/program.server";
import { notFound, requirePermission } from "~/policy.server";
import { calendarDateIn } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Your circle · Care Circle" }];

/**
 * What the patient shares with this supporter, category by category, and nothing else: each section
 * is loaded through the access module's capability for its category, which logs what it releases.
 */
export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "circle:support");
  const linkId = args.params.linkId ?? "";
  const access = await supporterAccess(db, user, linkId);
  if (!access) {
    // A former supporter following an old link learns that the circle ended, and nothing it shared.
    const [ended] = await endedCircles(db, user, linkId);
    if (!ended) throw notFound();
    const timeZone = (await getProgram(db, user.programId))?.timeZone ?? "UTC";
    return data({ ended: { patientName: ended.patientName, endedOn: calendarDateIn(timeZone, ended.endedAt) } }, { status: 410 });
  }
  const milestones = narrow(access, "milestones");
  const progress = narrow(access, "progress");
  const attendance = narrow(access, "attendance");
  const shared = milestones ? await sharedMilestones(db, milestones) : null;
  // Only check-ins shared with this very link count towards the trend a supporter sees.
  const trend = progress ? weeklyTrend(await sharedTrendEntries(db, progress, trendSince()), access.timeZone) : null;
  return {
    linkId: access.linkId,
    patientName: access.patientName,
    categories: access.categories,
    programWeek: shared?.programWeek ?? null,
    episodeKind: shared?.episodeKind ?? "iop",
    recovery: shared?.recovery ?? null,
    trend,
    schedule: attendance ? await sharedSchedule(db, attendance) : null,
    timeZone: access.timeZone,
  };
}

export default function SupporterCircle() {
  const t = useT();
  const loaded = useLoaderData<typeof loader>();
  if ("ended" in loaded) {
    return (
      <div className="page">
        <p>
          <Link to="/supporter">{t("nav.supporter.home")}</Link>
        </p>
        <h1>{t("supporter.ended.title", { name: loaded.ended.patientName })}</h1>
        <EndedCircleNotice patientName={loaded.ended.patientName} endedOn={loaded.ended.endedOn} />
      </div>
    );
  }
  const { linkId, patientName, categories, programWeek, episodeKind, recovery, trend, schedule, timeZone } = loaded;
  return (
    <div className="page">
      <p>
        <Link to="/supporter">{t("nav.supporter.home")}</Link>
      </p>
      <h1>{patientName}</h1>
      {sharingCategories
        .filter((category) => categories.includes(category))
        .map((category) => (
          <section key={category} aria-labelledby={`section-${category}`}>
            <h2 id={`section-${category}`}>{t(`category.${category}.title`)}</h2>
            {category === "milestones" && (programWeek || recovery) ? (
              <>
                {programWeek ? (
                  <p>
                    <ProgramWeekLabel week={programWeek} kind={episodeKind} />
                  </p>
                ) : null}
                {recovery ? (
                  <>
                    <RecoveryDays recovery={recovery} />
                    <aside className="notice" aria-label={t("milestones.celebrate.title")}>
                      <p>
                        <strong>{t("milestones.celebrate.title")}</strong>
                      </p>
                      <p>{t("milestones.celebrate.body")}</p>
                    </aside>
                  </>
                ) : null}
              </>
            ) : category === "attendance" && schedule && (schedule.groups.length > 0 || schedule.attendance.length > 0) ? (
              <PatientSchedule groups={schedule.groups} attendance={schedule.attendance} timeZone={timeZone} headingLevel={3} />
            ) : category === "progress" ? (
              <>
                {trend ? <TrendChart weeks={trend} headingLevel={3} /> : null}
                <p>
                  <Link to="/supporter/updates">{t("supporter.circle.readUpdates")}</Link>
                </p>
              </>
            ) : (
              <p>{t("supporter.circle.nothingYet")}</p>
            )}
          </section>
        ))}
      <p>
        <Link to={`/supporter/circles/${linkId}/consent`}>{t("supporter.circle.whatICannotSee")}</Link>
      </p>
      <Part2Notice linkId={linkId} />
    </div>
  );
}
