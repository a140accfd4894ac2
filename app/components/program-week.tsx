import { useT } from "~/i18n/i18n";
import type { ProgramWeek } from "~/models/episode.server";

/** "Week 3 of 10", "Starts soon" or "Completed 10 weeks". */
export function ProgramWeekLabel({ week }: { week: ProgramWeek }) {
  const t = useT();
  if (!week.started) return <>{t("episode.notStarted")}</>;
  if (week.finished) return <>{t("episode.finished", { weeks: week.plannedWeeks })}</>;
  return <>{t("episode.week", { week: week.week, weeks: week.plannedWeeks })}</>;
}
