import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ProgramWeekLabel } from "~/components/program-week";
import { useFormatLocale, useT } from "~/i18n/i18n";
import { currentEpisode } from "~/models/episode.server";
import { requirePermission } from "~/policy.server";
import { formatCalendarDate } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Home · Care Circle" }];

export async function loader(args: LoaderFunctionArgs) {
  const { user } = await requirePermission(args, "patient:home");
  return { name: user.name, episode: currentEpisode(user.id) ?? null };
}

export default function PatientHome() {
  const t = useT();
  const locale = useFormatLocale();
  const { name, episode } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("patient.home.title", { name })}</h1>
      {episode ? (
        <section aria-labelledby="episode-heading">
          <h2 id="episode-heading">{t("patient.home.program")}</h2>
          <p className="lead">
            <ProgramWeekLabel week={episode.week} />
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
    </div>
  );
}
