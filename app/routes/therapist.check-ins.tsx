import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CheckInEntry } from "~/components/check-in-entry";
import { OlderNewer } from "~/components/pagination";
import { checkInCursorSchema } from "~/utils/cursor.server";
import { useT } from "~/i18n/i18n";
import { careTeamCheckIns, lastSharedCheckIns } from "~/models/check-in.server";
import { caseloadEpisodes } from "~/models/caseload.server";
import { getProgram } from "~/models/program.server";
import { requirePermission } from "~/policy.server";
import { cursorParam } from "~/forms/limits";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.checkIns");

const weekMs = 7 * 24 * 3_600_000;

/** What the therapist's patients shared with the care team, and who has shared nothing this past week. */
export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "caseload:check-ins");
  const before = checkInCursorSchema.parse(new URL(args.request.url).searchParams.get("before") ?? undefined);
  const page = await careTeamCheckIns(db, user, before);
  const recent = new Set((await lastSharedCheckIns(db, user.id, new Date(Date.now() - weekMs))).map((row) => row.patientId));
  return {
    timeZone: (await getProgram(db, user.programId))?.timeZone ?? "UTC",
    quiet: (await caseloadEpisodes(db, user, new Date()))
      .filter((patient) => !recent.has(patient.patientId))
      .map((patient) => ({ id: patient.patientId, name: patient.name })),
    entries: page.entries.map((entry) => ({ ...entry, createdAt: entry.createdAt.getTime() })),
    next: cursorParam(page.next),
    isFirstPage: !before,
  };
}

export default function TherapistCheckIns() {
  const t = useT();
  const { entries, quiet, timeZone, next, isFirstPage } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("therapist.checkIns.title")}</h1>
      <section aria-labelledby="quiet-heading">
        <h2 id="quiet-heading">{t("therapist.checkIns.quiet")}</h2>
        {quiet.length === 0 ? (
          <p>{t("therapist.checkIns.quiet.none")}</p>
        ) : (
          <ul>
            {quiet.map((patient) => (
              <li key={patient.id}>
                <Link to={`/therapist/patients/${patient.id}`}>{patient.name}</Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <h2>{t("therapist.checkIns.shared")}</h2>
      {entries.length === 0 ? <p>{t("therapist.checkIns.empty")}</p> : null}
      <ul className="list" aria-label={t("therapist.checkIns.shared")}>
        {entries.map((entry) => (
          <li key={entry.id}>
            <CheckInEntry checkIn={entry} timeZone={timeZone} heading={entry.patientName} />
          </li>
        ))}
      </ul>
      <OlderNewer list={t("therapist.checkIns.shared")} isFirstPage={isFirstPage} next={next} />
    </div>
  );
}
