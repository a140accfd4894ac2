import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { FormErrors, SelectField, TextField } from "~/components/form";
import { weekdayKey } from "~/components/schedule";
import { useSchemaForm } from "~/components/schema-form";
import { groupSchema } from "~/forms/schedule";
import { useT } from "~/i18n/i18n";
import { weekdays } from "~/vocabulary";

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
