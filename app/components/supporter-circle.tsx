import { Link } from "@remix-run/react";
import { sharingCategories } from "~/vocabulary";
import { ProgramWeekLabel } from "~/components/program-week";
import { RecoveryDays } from "~/components/recovery-days";
import { PatientSchedule } from "~/components/schedule";
import { TrendChart } from "~/components/trend-chart";
import { useT } from "~/i18n/i18n";
import type { SupporterCircleView } from "~/models/supporter-view.server";

/**
 * Each shared category, as a supporter's page about the patient shows it; the patient's preview
 * shows the very same, one heading level down (`sectionLevel`).
 */
export function SupporterCircleSections({
  view,
  sectionLevel = 2,
  updatesHref = "/supporter/updates",
}: {
  view: SupporterCircleView;
  sectionLevel?: 2 | 3;
  /** Where "read the updates" leads: the supporter's updates page, or the preview's own section. */
  updatesHref?: string;
}) {
  const t = useT();
  const { categories, programWeek, episodeKind, recovery, trend, schedule, timeZone } = view;
  const Section = `h${sectionLevel}` as const;
  const sub = sectionLevel === 2 ? 3 : 4;
  return (
    <>
      {sharingCategories
        .filter((category) => categories.includes(category))
        .map((category) => (
          <section key={category} aria-labelledby={`section-${category}`}>
            <Section id={`section-${category}`}>{t(`category.${category}.title`)}</Section>
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
              <PatientSchedule groups={schedule.groups} attendance={schedule.attendance} timeZone={timeZone} headingLevel={sub} />
            ) : category === "progress" ? (
              <>
                {trend ? <TrendChart weeks={trend} headingLevel={sub} /> : null}
                <p>
                  <Link to={updatesHref}>{t("supporter.circle.readUpdates")}</Link>
                </p>
              </>
            ) : (
              <p>{t("supporter.circle.nothingYet")}</p>
            )}
          </section>
        ))}
    </>
  );
}
