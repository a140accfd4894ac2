import { getFormProps, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { FieldError, FormErrors, TextField } from "~/components/form";
import { useSchemaForm } from "~/components/schema-form";
import { proposeSessionSchema, sessionTimeSchema } from "~/forms/family-session";
import { useT } from "~/i18n/i18n";

type FormProps = {
  lastResult: SubmissionResult<string[]> | undefined;
  defaultValue?: { date: string; startTime: string; endTime: string; location: string; videoUrl: string };
  submitLabel: string;
};

/** The fields of when and where, shared by proposing and changing a session. */
function TimeAndPlaceFields({
  fields,
}: {
  fields: Record<"date" | "startTime" | "endTime" | "location" | "videoUrl", FieldMetadata<string | undefined>>;
}) {
  const t = useT();
  return (
    <>
      <TextField field={fields.date} type="date" label={t("familySessions.form.date")} />
      <TextField
        field={fields.startTime}
        type="time"
        label={t("familySessions.form.startTime")}
        hint={t("familySessions.form.timeHint")}
      />
      <TextField field={fields.endTime} type="time" label={t("familySessions.form.endTime")} />
      <TextField field={fields.location} label={t("familySessions.form.location")} hint={t("familySessions.form.placeHint")} />
      <TextField field={fields.videoUrl} type="url" label={t("familySessions.form.videoUrl")} />
    </>
  );
}

/** Propose a session: when, where, and whom of the patient's circle to invite. */
export function ProposeSessionForm({
  lastResult,
  supporters,
  submitLabel,
}: FormProps & { supporters: { linkId: string; name: string }[] }) {
  const t = useT();
  const [form, fields] = useSchemaForm(proposeSessionSchema, { lastResult, shouldValidate: "onSubmit" });
  const invitees = fields.invitees;
  return (
    <>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="propose" />
        <TimeAndPlaceFields fields={fields} />
        <fieldset className="field" aria-describedby={invitees.errors?.length ? invitees.errorId : undefined}>
          <legend>{t("familySessions.form.invitees")}</legend>
          {supporters.length === 0 ? <p>{t("familySessions.propose.nobody")}</p> : null}
          {supporters.map((supporter) => (
            <label key={supporter.linkId} className="checkbox">
              <input
                type="checkbox"
                name={invitees.name}
                value={supporter.linkId}
                form={form.id}
                defaultChecked={[invitees.initialValue].flat().includes(supporter.linkId)}
              />{" "}
              {supporter.name}
            </label>
          ))}
          <FieldError field={invitees} />
        </fieldset>
        <div className="actions">
          <button type="submit" className="button">
            {submitLabel}
          </button>
        </div>
      </Form>
    </>
  );
}

/** Change when or where a session is. */
export function ChangeSessionForm({ lastResult, defaultValue, submitLabel }: FormProps) {
  const [form, fields] = useSchemaForm(sessionTimeSchema, { lastResult, defaultValue, shouldValidate: "onSubmit" });
  return (
    <>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="change" />
        <TimeAndPlaceFields fields={fields} />
        <div className="actions">
          <button type="submit" className="button">
            {submitLabel}
          </button>
        </div>
      </Form>
    </>
  );
}
