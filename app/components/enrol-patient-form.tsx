import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { FormErrors, SelectField, TextField } from "~/components/form";
import { PeopleOptions } from "~/components/people-options";
import { useSchemaForm } from "~/components/schema-form";
import { enrolPatientSchema } from "~/forms/enrol-patient";
import { useT } from "~/i18n/i18n";

export function EnrolPatientForm({
  therapists,
  defaultTherapistId,
  defaultStartDate,
  lastResult,
}: {
  therapists: { id: string; name: string }[];
  defaultTherapistId?: string;
  defaultStartDate: string;
  lastResult?: SubmissionResult<string[]>;
}) {
  const t = useT();
  const [form, fields] = useSchemaForm(enrolPatientSchema, {
    lastResult,
    defaultValue: { therapistId: defaultTherapistId, startDate: defaultStartDate, plannedWeeks: "10" },
  });
  return (
    <>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <TextField field={fields.name} label={t("field.fullName")} autoComplete="off" />
        <TextField field={fields.email} label={t("field.email")} type="email" autoComplete="off" hint={t("enrol.email.hint")} />
        <TextField field={fields.startDate} label={t("enrol.startDate")} type="date" />
        <TextField
          field={fields.plannedWeeks}
          label={t("enrol.plannedWeeks")}
          type="number"
          hint={t("enrol.plannedWeeks.hint")}
        />
        <SelectField field={fields.therapistId} label={t("enrol.therapist")}>
          <option value="">{t("enrol.therapist.choose")}</option>
          <PeopleOptions people={therapists} />
        </SelectField>
        <div className="actions">
          <button type="submit" className="button">
            {t("enrol.submit")}
          </button>
        </div>
      </Form>
    </>
  );
}
