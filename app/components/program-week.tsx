import { useT } from "~/i18n/i18n";
import type { ProgramWeek } from "~/models/episode.server";
import type { EpisodeKind } from "~/vocabulary";

/** "Week 3 of 10", "Starts soon" or "Completed 10 weeks"; aftercare says so ("Aftercare, week 3 of 12"). */
export function ProgramWeekLabel({ week, kind = "iop" }: { week: ProgramWeek; kind?: EpisodeKind }) {
  const t = useT();
  if (kind === "aftercare") {
    if (!week.started) return <>{t("episode.aftercareNotStarted")}</>;
    if (week.finished) return <>{t("episode.aftercareFinished", { weeks: week.plannedWeeks })}</>;
    return <>{t("episode.aftercareWeek", { week: week.week, weeks: week.plannedWeeks })}</>;
  }
  if (!week.started) return <>{t("episode.notStarted")}</>;
  if (week.finished) return <>{t("episode.finished", { weeks: week.plannedWeeks })}</>;
  return <>{t("episode.week", { week: week.week, weeks: week.plannedWeeks })}</>;
}
