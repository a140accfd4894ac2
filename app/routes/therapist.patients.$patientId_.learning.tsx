import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AssignModuleForm } from "~/components/assign-module-form";
import { CircleLearningList } from "~/components/learning";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { handleAssignment } from "~/forms/learning.server";
import { useT } from "~/i18n/i18n";
import { assignableModules, careTeamCircleLearning } from "~/models/assignments.server";
import { actorOf, requireCareTeamAccess } from "~/policy.server";
import { readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";
import { requestLocale } from "~/i18n/locale.server";

export const meta = pageTitle("title.familyLearning");

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { session, access } = await requireCareTeamAccess(args, "caseload:learning", args.params.patientId);
  const members = await careTeamCircleLearning(db, access, requestLocale(args.request, session.person).language);
  return {
    patientId: access.patientId,
    patientName: access.patientName,
    timeZone: access.timeZone,
    members,
    modules: await assignableModules(db, session.user.programId),
    assignable: members.filter((member) => member.sharesEducation).map(({ linkId, name }) => ({ linkId, name })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { session, access } = await requireCareTeamAccess(args, "caseload:learning", args.params.patientId);
  const patientId = access.patientId;
  const assigner = { ...actorOf(session, args.context), role: "therapist" as const };
  return handleAssignment(
    args.context.db,
    await readForm(args.request),
    assigner,
    patientId,
    `/therapist/patients/${patientId}/learning`,
  );
}

const notices: StatusNotice[] = [{ param: "assigned", message: "learning.notice.assigned" }];

export default function TherapistPatientLearning() {
  const t = useT();
  const { patientId, patientName, timeZone, members, modules, assignable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <div className="page">
        <p>
          <Link to={`/therapist/patients/${patientId}`}>{patientName}</Link>
        </p>
        <h1>{t("learning.careTeam.title", { patient: patientName })}</h1>
        <StatusNotices notices={notices} />
        {members.length === 0 ? (
          <p>{t("learning.circle.nobody")}</p>
        ) : (
          <CircleLearningList members={members} timeZone={timeZone} />
        )}
      </div>
      <div className="page">
        <h2>{t("learning.assign.heading")}</h2>
        {assignable.length === 0 ? (
          <p>{t("learning.assign.nobodyShares")}</p>
        ) : (
          <AssignModuleForm as="therapist" modules={modules} supporters={assignable} lastResult={actionData?.result} />
        )}
      </div>
    </>
  );
}
