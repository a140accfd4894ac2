import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PatientSchedule } from "~/components/schedule";
import { useT } from "~/i18n/i18n";
import { getProgram } from "~/models/program.server";
import { patientSchedule } from "~/models/schedule.server";
import { requirePermission } from "~/policy.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.mySchedule");

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "schedule:own");
  const timeZone = (await getProgram(db, user.programId))?.timeZone ?? "UTC";
  return { timeZone, ...(await patientSchedule(db, user, timeZone)) };
}

/** The patient's groups with their next meeting, and what was recorded of their recent meetings. */
export default function PatientSchedulePage() {
  const t = useT();
  const { timeZone, groups, attendance } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("schedule.patient.title")}</h1>
      <p>{t("schedule.patient.lead", { zone: timeZone })}</p>
      <PatientSchedule groups={groups} attendance={attendance} timeZone={timeZone} headingLevel={2} />
    </div>
  );
}
