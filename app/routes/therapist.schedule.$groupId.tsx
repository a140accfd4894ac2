import { getFormProps, type SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors, SelectField } from "~/components/form";
import { useSchemaForm } from "~/components/schema-form";
import { GroupForm } from "~/components/group-form";
import { GroupWhen } from "~/components/schedule";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { enrolmentSchema, groupSchema } from "~/forms/schedule";
import { handleSessionForm } from "~/forms/family-session.server";
import { useT } from "~/i18n/i18n";
import { careTeamAccess, careTeamCaseload } from "~/models/access.server";
import { getProgram } from "~/models/program.server";
import { changeGroup, endEnrolment, endGroup, enrolInGroup, groupRoster, programGroup } from "~/models/schedule.server";
import { actorOf, notFound, requirePermission } from "~/policy.server";
import { formText, readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.aGroupOfTheSchedule");

/** An open group of the member's program; anything else answers 404. */
async function requireGroup(args: LoaderFunctionArgs) {
  const session = await requirePermission(args, "schedule:manage");
  const group = await programGroup(args.context.db, session.user.programId, args.params.groupId ?? "");
  if (!group) throw notFound();
  return { session, group };
}

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { session, group } = await requireGroup(args);
  const { user } = session;
  return {
    timeZone: (await getProgram(db, user.programId))?.timeZone ?? "UTC",
    group,
    roster: await groupRoster(db, await careTeamCaseload(db, user), user.programId, group.id),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { session, group } = await requireGroup(args);
  const { db } = args.context;
  const actor = actorOf(session, args.context);
  const formData = await readForm(args.request);
  const intent = formText(formData, "intent");
  const here = `/therapist/schedule/${group.id}`;
  if (intent === "end") {
    if (!(await endGroup(db, actor, group.id))) throw notFound();
    return redirect("/therapist/schedule?ended=1");
  }
  if (intent === "enrol" || intent === "unenrol") {
    return handleSessionForm(formData, enrolmentSchema, async ({ patientId }) => {
      // Only the member's own patients (an admin: the program's) can be named; anyone else is a stranger.
      const access = await careTeamAccess(db, session.user, patientId);
      if (!access) throw notFound();
      if (intent === "enrol") {
        if (!(await enrolInGroup(db, access, actor, group.id))) throw notFound();
        return redirect(`${here}?enrolled=1`);
      }
      if (!(await endEnrolment(db, access, actor, group.id))) throw notFound();
      return redirect(`${here}?enrolmentEnded=1`);
    });
  }
  return handleSessionForm(formData, groupSchema, async (value) => {
    if (!(await changeGroup(db, actor, group.id, value))) throw notFound();
    return redirect(`${here}?changed=1`);
  });
}

const notices: StatusNotice[] = [
  { param: "created", message: "schedule.notice.created" },
  { param: "changed", message: "schedule.notice.changed" },
  { param: "enrolled", message: "schedule.notice.enrolled" },
  { param: "enrolmentEnded", message: "schedule.notice.enrolmentEnded" },
];

function EnrolForm({
  lastResult,
  patients,
}: {
  lastResult: SubmissionResult<string[]> | undefined;
  patients: { patientId: string; name: string }[];
}) {
  const t = useT();
  const [form, fields] = useSchemaForm(enrolmentSchema, { lastResult, shouldValidate: "onSubmit" });
  return (
    <>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="enrol" />
        <SelectField field={fields.patientId} label={t("schedule.group.enrolPatient")}>
          <option value="">{t("schedule.group.choosePatient")}</option>
          {patients.map((patient) => (
            <option key={patient.patientId} value={patient.patientId}>
              {patient.name}
            </option>
          ))}
        </SelectField>
        <div className="actions">
          <button type="submit" className="button">
            {t("schedule.group.enrolSubmit")}
          </button>
        </div>
      </Form>
    </>
  );
}

/** One group: the member's patients in it, adding and taking out patients, changing and ending it. */
export default function ScheduleGroup() {
  const t = useT();
  const { timeZone, group, roster } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const resultFor = (intent: string) => (actionData?.result.initialValue?.intent === intent ? actionData.result : undefined);
  return (
    <>
      <div className="page">
        <p>
          <Link to="/therapist/schedule">{t("schedule.group.backToSchedule")}</Link>
        </p>
        <h1>{group.name}</h1>
        <StatusNotices notices={notices} />
        <GroupWhen group={group} timeZone={timeZone} />
        <p>
          <Link to="attendance">{t("schedule.recordMeeting")}</Link>
        </p>
        <h2>{t("schedule.group.members")}</h2>
        {roster.enrolled.length === 0 ? (
          <p>{t("schedule.group.noMembers")}</p>
        ) : (
          <ul className="list">
            {roster.enrolled.map((patient) => (
              <li key={patient.patientId}>
                <Form method="post">
                  <span>{patient.name}</span> <input type="hidden" name="intent" value="unenrol" />
                  <input type="hidden" name="patientId" value={patient.patientId} />
                  <button type="submit" className="button button--secondary">
                    {t("schedule.group.endEnrolment", { name: patient.name })}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
        <h2>{t("schedule.group.enrolHeading")}</h2>
        {roster.others.length === 0 && !resultFor("enrol") ? (
          <p>{t("schedule.group.noneToEnrol")}</p>
        ) : (
          <EnrolForm lastResult={resultFor("enrol")} patients={roster.others} />
        )}
      </div>
      <div className="page">
        <h2>{t("schedule.group.changeHeading")}</h2>
        <GroupForm
          lastResult={resultFor("change")}
          intent="change"
          submitLabel={t("schedule.group.changeSubmit")}
          defaultValue={{
            name: group.name,
            weekday: String(group.weekday),
            startTime: group.startTime,
            durationMinutes: String(group.durationMinutes),
            location: group.location ?? "",
            videoUrl: group.videoUrl ?? "",
          }}
        />
      </div>
      <div className="page">
        <h2>{t("schedule.group.endHeading")}</h2>
        <p>{t("schedule.group.endLead")}</p>
        <Form method="post">
          <input type="hidden" name="intent" value="end" />
          <button type="submit" className="button button--danger">
            {t("schedule.group.endSubmit")}
          </button>
        </Form>
      </div>
    </>
  );
}
