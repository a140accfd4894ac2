import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { AssignModuleForm } from "~/components/assign-module-form";
import { CircleLearningList } from "~/components/learning";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { handleAssignment } from "~/forms/learning.server";
import { useT } from "~/i18n/i18n";
import { assignableModules, circleLearning } from "~/models/assignments.server";
import { getProgram } from "~/models/program.server";
import { actorOf, requirePermission } from "~/policy.server";
import { readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";
import { requestLocale } from "~/i18n/locale.server";

export const meta = pageTitle("title.myCirclesLearning");

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user, person } = await requirePermission(args, "circle:own");
  const members = await circleLearning(db, user.id, user.programId, requestLocale(args.request, person).language);
  return {
    timeZone: (await getProgram(db, user.programId))?.timeZone ?? "UTC",
    members,
    modules: await assignableModules(db, user.programId),
    suggestable: members.filter((member) => member.sharesEducation).map(({ linkId, name }) => ({ linkId, name })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const session = await requirePermission(args, "circle:own");
  const assigner = { ...actorOf(session, args.context), role: "patient" as const };
  return handleAssignment(args.context.db, await readForm(args.request), assigner, session.user.id, "/patient/learning");
}

const notices: StatusNotice[] = [{ param: "assigned", message: "learning.notice.suggested" }];

export default function PatientLearning() {
  const t = useT();
  const { timeZone, members, modules, suggestable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <div className="page">
        <h1>{t("learning.patient.title")}</h1>
        <StatusNotices notices={notices} />
        <p className="lead">{t("learning.patient.lead")}</p>
        {members.length === 0 ? (
          <p>{t("learning.circle.nobody")}</p>
        ) : (
          <CircleLearningList members={members} timeZone={timeZone} />
        )}
      </div>
      <div className="page">
        <h2>{t("learning.suggest.heading")}</h2>
        {suggestable.length === 0 ? (
          <p>{t("learning.suggest.nobodyShares")}</p>
        ) : (
          <AssignModuleForm as="patient" modules={modules} supporters={suggestable} lastResult={actionData?.result} />
        )}
      </div>
    </>
  );
}
