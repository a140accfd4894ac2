import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { FormErrors, SelectField, TextField, useSchemaForm } from "~/components/form";
import { groupSchema } from "~/forms/schedule";
import { useFormatLocale, useT, type MessageKey } from "~/i18n/i18n";
import { formatCalendarDate, formatInstant } from "~/utils/dates";
import { weekdays, type AttendanceStatus } from "~/vocabulary";

type Group = {
  name: string;
  weekday: number;
  startTime: string;
  durationMinutes: number;
  location: string | null;
  videoUrl: string | null;
};

export function weekdayKey(weekday: number) {
  return `weekday.${weekday}` as MessageKey;
}

/** When a group meets each week, for how long, and where. */
export function GroupWhen({ group, next, timeZone }: { group: Group; next?: Date | string; timeZone: string }) {
  const t = useT();
  const locale = useFormatLocale();
  return (
    <>
      <p>
        {t("schedule.weekly", { day: t(weekdayKey(group.weekday)), time: group.startTime })} ·{" "}
        {t("familySessions.length", { count: group.durationMinutes })}
      </p>
      {next ? (
        <p>
          <strong>{t("schedule.next", { when: formatInstant(locale, timeZone, new Date(next)) })}</strong>
        </p>
      ) : null}
      {group.location ? <p>{t("familySessions.where", { place: group.location })}</p> : null}
      {group.videoUrl ? (
        <p>
          <a href={group.videoUrl} rel="noreferrer noopener">
            {t("familySessions.videoLink")}
            <span className="visually-hidden"> ({group.name})</span>
          </a>
        </p>
      ) : null}
    </>
  );
}

/** Add or change a group: name, day, start time, length, and a place or an https link. */
export function GroupForm({
  lastResult,
  defaultValue,
  intent,
  submitLabel,
}: {
  lastResult: SubmissionResult<string[]> | undefined;
  defaultValue?: Partial<Record<"name" | "weekday" | "startTime" | "durationMinutes" | "location" | "videoUrl", string>>;
  intent: string;
  submitLabel: string;
}) {
  const t = useT();
  const [form, fields] = useSchemaForm(groupSchema, { lastResult, defaultValue, shouldValidate: "onSubmit" });
  return (
    <>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="intent" value={intent} />
        <TextField field={fields.name} label={t("schedule.form.name")} />
        <SelectField field={fields.weekday} label={t("schedule.form.weekday")}>
          <option value="">{t("schedule.form.chooseDay")}</option>
          {weekdays.map((day) => (
            <option key={day} value={day}>
              {t(weekdayKey(day))}
            </option>
          ))}
        </SelectField>
        <TextField
          field={fields.startTime}
          type="time"
          label={t("schedule.form.startTime")}
          hint={t("familySessions.form.timeHint")}
        />
        <TextField
          field={fields.durationMinutes}
          type="number"
          label={t("schedule.form.durationMinutes")}
          hint={t("schedule.form.lengthHint")}
        />
        <TextField field={fields.location} label={t("familySessions.form.location")} hint={t("familySessions.form.placeHint")} />
        <TextField field={fields.videoUrl} type="url" label={t("familySessions.form.videoUrl")} />
        <div className="actions">
          <button type="submit" className="button">
            {submitLabel}
          </button>
        </div>
      </Form>
    </>
  );
}

/** Recent attendance as a table: date, group, and what was recorded, in words. */
export function AttendanceTable({
  rows,
  caption,
}: {
  rows: { id: string; date: string; groupName: string; status: AttendanceStatus }[];
  caption: string;
}) {
  const t = useT();
  const locale = useFormatLocale();
  if (rows.length === 0) return <p>{t("schedule.attendance.none")}</p>;
  return (
    <table>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("schedule.attendance.date")}</th>
          <th scope="col">{t("schedule.attendance.group")}</th>
          <th scope="col">{t("schedule.attendance.status")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <td>{formatCalendarDate(locale, row.date)}</td>
            <td>{row.groupName}</td>
            <td>{t(`attendanceStatus.${row.status}`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A patient's groups with their next meeting, then their recent attendance. */
export function PatientSchedule({
  groups,
  attendance,
  timeZone,
  headingLevel,
}: {
  groups: (Group & { id: string; next: { startsAt: Date | string } })[];
  attendance: { id: string; date: string; groupName: string; status: AttendanceStatus }[];
  timeZone: string;
  headingLevel: 2 | 3;
}) {
  const t = useT();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const ItemHeading = headingLevel === 2 ? "h3" : "h4";
  return (
    <>
      <Heading>{t("schedule.groups.heading")}</Heading>
      {groups.length === 0 ? (
        <p>{t("schedule.groups.none")}</p>
      ) : (
        <ul className="list">
          {groups.map((group) => (
            <li key={group.id}>
              <ItemHeading>{group.name}</ItemHeading>
              <GroupWhen group={group} next={group.next.startsAt} timeZone={timeZone} />
            </li>
          ))}
        </ul>
      )}
      <Heading>{t("schedule.attendance.heading")}</Heading>
      <AttendanceTable rows={attendance} caption={t("schedule.attendance.heading")} />
    </>
  );
}
