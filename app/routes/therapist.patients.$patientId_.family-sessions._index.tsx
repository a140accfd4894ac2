import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { FamilySessionWhen, InviteeAnswers } from "~/components/family-session";
import { ProposeSessionForm } from "~/components/family-session-forms";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { proposeSessionSchema } from "~/forms/family-session";
import { handleSessionForm } from "~/forms/family-session.server";
import { useT } from "~/i18n/i18n";
import { careTeamFamilySessions, proposeFamilySession } from "~/models/family-sessions.server";
import { actorOf, requireCareTeamAccess } from "~/policy.server";
import { readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.familySessions");

export async function loader(args: LoaderFunctionArgs) {
  const { access } = await requireCareTeamAccess(args, "family-sessions:manage", args.params.patientId);
  const { sessions, supporters } = await careTeamFamilySessions(args.context.db, access);
  return { patientId: access.patientId, patientName: access.patientName, timeZone: access.timeZone, sessions, supporters };
}

export async function action(args: ActionFunctionArgs) {
  const { session, access } = await requireCareTeamAccess(args, "family-sessions:manage", args.params.patientId);
  const { db } = args.context;
  return handleSessionForm(await readForm(args.request), proposeSessionSchema, async (value) => {
    await proposeFamilySession(db, access, actorOf(session, args.context), value);
    return redirect(`/therapist/patients/${access.patientId}/family-sessions?proposed=1`);
  });
}

const notices: StatusNotice[] = [
  { param: "proposed", message: "familySessions.notice.proposed" },
  { param: "changed", message: "familySessions.notice.changed" },
  { param: "cancelled", message: "familySessions.notice.cancelled" },
];

export default function TherapistFamilySessions() {
  const t = useT();
  const { patientId, patientName, timeZone, sessions, supporters } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <div className="page">
        <p>
          <Link to={`/therapist/patients/${patientId}`}>{patientName}</Link>
        </p>
        <h1>{t("familySessions.careTeam.title", { patient: patientName })}</h1>
        <StatusNotices notices={notices} />
        {sessions.length === 0 ? (
          <p>{t("familySessions.none")}</p>
        ) : (
          <ul className="list">
            {sessions.map((session) => (
              <li key={session.id}>
                <FamilySessionWhen session={session} timeZone={timeZone} />
                <InviteeAnswers invitees={session.invitees} />
                {session.status === "scheduled" ? (
                  <p>
                    <Link to={session.id}>{t("familySessions.careTeam.changeLink")}</Link>
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="page">
        <h2>{t("familySessions.propose.heading")}</h2>
        <ProposeSessionForm
          lastResult={actionData?.result}
          supporters={supporters}
          submitLabel={t("familySessions.propose.submit")}
        />
      </div>
    </>
  );
}
