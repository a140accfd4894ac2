import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors, TextField } from "~/components/form";
import { useSchemaForm } from "~/components/schema-form";
import { weekdayKey } from "~/components/schedule";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { meetingSchema } from "~/forms/schedule";
import { handleSessionForm } from "~/forms/family-session.server";
import { useFormatLocale, useT } from "~/i18n/i18n";
import { careTeamCaseload } from "~/models/access.server";
import { getProgram } from "~/models/program.server";
import { latestMeetingDate, meetingRoster, programGroup, recordMeeting } from "~/models/schedule.server";
import { actorOf, notFound, requirePermission } from "~/policy.server";
import { addDays, calendarDateIn, formatCalendarDate, isCalendarDate, isoWeekday } from "~/utils/dates";
import { readForm } from "~/utils/form.server";
import { attendanceStatuses } from "~/vocabulary";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.recordAMeeting");

/** How many earlier meetings are offered as links, to look at or correct what was recorded. */
const earlierMeetings = 4;

/** An open group of the member's program and the member's patients; anything else answers 404. */
async function requireGroup(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const session = await requirePermission(args, "attendance:record");
  const group = await programGroup(db, session.user.programId, args.params.groupId ?? "");
  if (!group) throw notFound();
  return { session, group, caseload: await careTeamCaseload(db, session.user) };
}

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { session, group, caseload } = await requireGroup(args);
  const timeZone = (await getProgram(db, session.user.programId))?.timeZone ?? "UTC";
  const latest = latestMeetingDate(group.weekday, calendarDateIn(timeZone));
  // The meeting asked for in the address, when it is one of the group's; else the latest.
  const asked = new URL(args.request.url).searchParams.get("date") ?? "";
  const date = isCalendarDate(asked) && isoWeekday(asked) === group.weekday && asked <= latest ? asked : latest;
  return {
    group,
    date,
    earlier: Array.from({ length: earlierMeetings }, (_, index) => addDays(latest, -7 * (index + 1))),
    roster: await meetingRoster(db, caseload, session.user.programId, group.id, date),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { session, group, caseload } = await requireGroup(args);
  return handleSessionForm(await readForm(args.request), meetingSchema, async (value) => {
    if (!(await recordMeeting(args.context.db, caseload, actorOf(session, args.context), group, value))) {
      throw notFound();
    }
    return redirect(`/therapist/schedule/${group.id}/attendance?${new URLSearchParams({ date: value.date, recorded: "1" })}`);
  });
}

const notices: StatusNotice[] = [{ param: "recorded", message: "schedule.notice.recorded" }];

/** One meeting of a group on one screen: a date, and for each patient attended, missed or excused. */
export default function RecordMeeting() {
  const t = useT();
  const locale = useFormatLocale();
  const { group, date, earlier, roster } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(meetingSchema, {
    lastResult: actionData?.result,
    defaultValue: { date },
    shouldValidate: "onSubmit",
  });
  const posted = actionData?.result.initialValue?.attendance as Record<string, unknown> | undefined;
  return (
    <div className="page">
      <p>
        <Link to={`/therapist/schedule/${group.id}`}>{group.name}</Link>
      </p>
      <h1>{t("schedule.meeting.title", { group: group.name })}</h1>
      <StatusNotices notices={notices} />
      {roster.length === 0 ? (
        <p>{t("schedule.meeting.none")}</p>
      ) : (
        <>
          <FormErrors errors={form.errors} id={form.errorId} />
          <Form method="post" className="stack" key={date} {...getFormProps(form)}>
            <TextField
              field={fields.date}
              type="date"
              label={t("schedule.meeting.date")}
              hint={t("schedule.meeting.dateHint", { day: t(weekdayKey(group.weekday)) })}
            />
            {roster.map((patient) => {
              const chosen = posted?.[patient.patientId] ?? patient.status;
              return (
                <fieldset key={patient.patientId}>
                  <legend>{patient.name}</legend>
                  {attendanceStatuses.map((status) => (
                    <label key={status} className="choice">
                      <input
                        type="radio"
                        name={`attendance.${patient.patientId}`}
                        value={status}
                        defaultChecked={chosen === status}
                        form={form.id}
                      />
                      <span>{t(`attendanceStatus.${status}`)}</span>
                    </label>
                  ))}
                </fieldset>
              );
            })}
            <div className="actions">
              <button type="submit" className="button">
                {t("schedule.meeting.submit")}
              </button>
            </div>
          </Form>
        </>
      )}
      <h2>{t("schedule.meeting.earlier")}</h2>
      <ul>
        {earlier.map((day) => (
          <li key={day}>
            <Link to={`?date=${day}`}>{formatCalendarDate(locale, day)}</Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
