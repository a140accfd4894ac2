import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { GroupForm } from "~/components/group-form";
import { GroupWhen } from "~/components/schedule";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { groupSchema } from "~/forms/schedule";
import { handleSessionForm } from "~/forms/family-session.server";
import { useT } from "~/i18n/i18n";
import { getProgram } from "~/models/program.server";
import { createGroup, programSchedule } from "~/models/schedule.server";
import { actorOf, requirePermission } from "~/policy.server";
import { readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.programSchedule");

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "schedule:manage");
  return {
    timeZone: (await getProgram(db, user.programId))?.timeZone ?? "UTC",
    groups: await programSchedule(db, user.programId),
  };
}

export async function action(args: ActionFunctionArgs) {
  const session = await requirePermission(args, "schedule:manage");
  return handleSessionForm(await readForm(args.request), groupSchema, async (value) => {
    const groupId = await createGroup(args.context.db, actorOf(session, args.context), value);
    return redirect(`/therapist/schedule/${groupId}?created=1`);
  });
}

const notices: StatusNotice[] = [{ param: "ended", message: "schedule.notice.ended" }];

/** The program's weekly groups by day and time, and a form to add one. */
export default function TherapistSchedule() {
  const t = useT();
  const { timeZone, groups } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <div className="page">
        <h1>{t("schedule.title")}</h1>
        <p>{t("schedule.lead", { zone: timeZone })}</p>
        <StatusNotices notices={notices} />
        {groups.length === 0 ? (
          <p>{t("schedule.none")}</p>
        ) : (
          <ul className="list">
            {groups.map((group) => (
              <li key={group.id}>
                <h2>{group.name}</h2>
                <GroupWhen group={group} timeZone={timeZone} />
                <p>
                  <Link to={group.id}>
                    {t("schedule.manageGroup")}
                    <span className="visually-hidden"> ({group.name})</span>
                  </Link>{" "}
                  ·{" "}
                  <Link to={`${group.id}/attendance`}>
                    {t("schedule.recordMeeting")}
                    <span className="visually-hidden"> ({group.name})</span>
                  </Link>
                </p>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="page">
        <h2>{t("schedule.create.heading")}</h2>
        <GroupForm lastResult={actionData?.result} intent="create" submitLabel={t("schedule.create.submit")} />
      </div>
    </>
  );
}
