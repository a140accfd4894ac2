import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { sharingCategories } from "~/vocabulary";
import { Part2Notice } from "~/components/circle";
import { ProgramWeekLabel } from "~/components/program-week";
import { RecoveryDays } from "~/components/recovery-days";
import { TrendChart } from "~/components/trend-chart";
import { trendEntries } from "~/models/check-in.server";
import { trendSince, weeklyTrend } from "~/models/trends";
import { useT } from "~/i18n/i18n";
import { recordDisclosures } from "~/models/care-circle.server";
import { currentEpisode } from "~/models/episode.server";
import { recoveryOf } from "~/models/milestones.server";
import { getProgram } from "~/models/program.server";
import { requireSupporterGrant } from "~/policy.server";

export const meta: MetaFunction = () => [{ title: "Your circle · Care Circle" }];

/**
 * What the patient shares with this supporter, category by category, and nothing else. Every item
 * shown is written to the disclosure log in this same request.
 */
export async function loader(args: LoaderFunctionArgs) {
  const { grant, patientName } = await requireSupporterGrant(args, args.params.linkId);
  const sharesMilestones = grant.categories.includes("milestones");
  const episode = sharesMilestones ? currentEpisode(grant.patientId) : undefined;
  const timeZone = getProgram(grant.programId)?.timeZone ?? "UTC";
  const recovery = sharesMilestones ? recoveryOf(grant.patientId, timeZone) : null;
  // Only check-ins shared with this very link count towards the trend a supporter sees.
  const trend = grant.categories.includes("progress")
    ? weeklyTrend(trendEntries(grant.patientId, trendSince(), { as: "supporter", linkId: grant.linkId }), timeZone)
    : null;
  recordDisclosures(grant, [
    ...(trend ? [{ category: "progress" as const, itemType: "trend", itemId: grant.patientId }] : []),
    ...(episode ? [{ category: "milestones" as const, itemType: "program_week", itemId: episode.id }] : []),
    ...(recovery ? [{ category: "milestones" as const, itemType: "recovery_days", itemId: grant.patientId }] : []),
  ]);
  return {
    linkId: grant.linkId,
    patientName,
    categories: grant.categories,
    programWeek: episode?.week ?? null,
    recovery,
    trend,
  };
}

export default function SupporterCircle() {
  const t = useT();
  const { linkId, patientName, categories, programWeek, recovery, trend } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p>
        <Link to="/supporter">{t("nav.supporter.home")}</Link>
      </p>
      <h1>{patientName}</h1>
      <Part2Notice linkId={linkId} />
      {sharingCategories
        .filter((category) => categories.includes(category))
        .map((category) => (
          <section key={category} aria-labelledby={`section-${category}`}>
            <h2 id={`section-${category}`}>{t(`category.${category}.title`)}</h2>
            {category === "milestones" && (programWeek || recovery) ? (
              <>
                {programWeek ? (
                  <p>
                    <ProgramWeekLabel week={programWeek} />
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
    </div>
  );
}
