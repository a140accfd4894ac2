import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { WhatIsNew } from "~/components/news";
import { ProgramWeekLabel } from "~/components/program-week";
import { RecoveryDays } from "~/components/recovery-days";
import { useFormatLocale, useT } from "~/i18n/i18n";
import { handleSeenForm } from "~/forms/news.server";
import { requestLocale } from "~/i18n/locale.server";
import { supportersWhoMaySee } from "~/models/access.server";
import { currentEpisode } from "~/models/episode.server";
import { recoveryOf } from "~/models/milestones.server";
import { patientLines, patientNews } from "~/models/news.server";
import { getProgram } from "~/models/program.server";
import { requirePermission } from "~/policy.server";
import { formatCalendarDate } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.home");

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user, person } = await requirePermission(args, "patient:home");
  const timeZone = (await getProgram(db, user.programId))?.timeZone ?? "UTC";
  const news = await patientNews(db, user, requestLocale(args.request, person).language);
  const mayShareCheckIns = news.items.some((item) => item.kind === "supporter_approved")
    ? new Set((await supportersWhoMaySee(db, user.id, "progress")).map((supporter) => supporter.linkId))
    : new Set<string>();
  return {
    name: user.name,
    timeZone,
    news: { lines: patientLines(news.items, mayShareCheckIns), total: news.total },
    episode: (await currentEpisode(db, user.id)) ?? null,
    recovery: await recoveryOf(db, user.id, timeZone),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user } = await requirePermission(args, "patient:home");
  return handleSeenForm(args.context.db, user.id, args.request, "/patient");
}

export default function PatientHome() {
  const t = useT();
  const locale = useFormatLocale();
  const { name, episode, recovery, news, timeZone } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("patient.home.title", { name })}</h1>
      <WhatIsNew lines={news.lines} total={news.total} timeZone={timeZone} audience="patient" />
      {episode ? (
        <section aria-labelledby="episode-heading">
          <h2 id="episode-heading">{t(episode.kind === "aftercare" ? "patient.home.aftercare" : "patient.home.program")}</h2>
          <p className="lead">
            <ProgramWeekLabel week={episode.week} kind={episode.kind} />
          </p>
          <dl>
            <dt>{t("patient.home.programName")}</dt>
            <dd>{episode.programName}</dd>
            <dt>{t("patient.home.therapist")}</dt>
            <dd>{episode.therapistName}</dd>
            <dt>{t("patient.home.started")}</dt>
            <dd>{formatCalendarDate(locale, episode.startDate)}</dd>
          </dl>
        </section>
      ) : (
        <p>{t("patient.home.noEpisode")}</p>
      )}
      <section aria-labelledby="recovery-heading">
        <h2 id="recovery-heading">{t("milestones.recovery")}</h2>
        {recovery ? <RecoveryDays recovery={recovery} /> : <p>{t("milestones.notTracking")}</p>}
        <p>
          <Link to="/patient/milestones">{t(recovery ? "patient.home.changeRecovery" : "patient.home.startRecovery")}</Link>
        </p>
      </section>
      <p className="actions">
        <Link className="button" to="/patient/check-ins/new">
          {t("checkIn.new.title")}
        </Link>
      </p>
    </div>
  );
}
