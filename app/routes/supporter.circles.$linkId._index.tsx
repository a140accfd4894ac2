import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EndedCircleNotice, Part2Notice } from "~/components/circle";
import { SupporterCircleSections } from "~/components/supporter-circle";
import { useT } from "~/i18n/i18n";
import { supporterAccess } from "~/models/access.server";
import { supporterCircleView } from "~/models/supporter-view.server";
import { endedCircles } from "~/models/care-circle.server";
import { getProgram } from "~/models/program.server";
import { notFound, requirePermission } from "~/policy.server";
import { calendarDateIn } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.yourCircle");

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
  return supporterCircleView(db, access);
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
  return (
    <div className="page">
      <p>
        <Link to="/supporter">{t("nav.supporter.home")}</Link>
      </p>
      <h1>{loaded.patientName}</h1>
      <SupporterCircleSections view={loaded} />
      <p>
        <Link to={`/supporter/circles/${loaded.linkId}/consent`}>{t("supporter.circle.whatICannotSee")}</Link>
      </p>
      <Part2Notice linkId={loaded.linkId} />
    </div>
  );
}
