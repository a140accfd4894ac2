import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { FieldError, FormErrors, oneValue, TextAreaField } from "~/components/form";
import { useSchemaForm } from "~/components/schema-form";
import { checkInSchema, type CheckInForm as CheckInValues } from "~/forms/check-in";
import { useT } from "~/i18n/i18n";
import { checkInTextMax } from "~/forms/limits";

const moods = [1, 2, 3, 4, 5] as const;
const cravings = Array.from({ length: 11 }, (_, i) => i);

export type Shareable = { linkId: string; name: string };

/**
 * The check-in as the patient writes it, for a new one and for an edit. Sharing is chosen item by
 * item: nobody is ticked for a new check-in, so the patient decides each time.
 */
export function CheckInForm({
  lastResult,
  shareable,
  defaults,
  submitLabel,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  shareable: Shareable[];
  defaults?: Partial<CheckInValues>;
  submitLabel: string;
}) {
  const t = useT();
  const [form, fields] = useSchemaForm(checkInSchema, {
    lastResult,
    defaultValue: {
      kind: defaults?.kind ?? "check_in",
      mood: defaults?.mood?.toString() ?? "",
      craving: defaults?.craving?.toString() ?? "",
      wins: defaults?.wins ?? "",
      hard: defaults?.hard ?? "",
      helpRequest: defaults?.helpRequest ?? "",
      audience: defaults?.audience ?? [],
      sharedWithCareTeam: defaults?.sharedWithCareTeam === false ? undefined : "on",
    },
    shouldValidate: "onSubmit",
  });
  const audience = [fields.audience.initialValue ?? []].flat() as string[];
  return (
    <>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <fieldset aria-describedby={fields.mood.errors?.length ? fields.mood.errorId : undefined}>
          <legend>{t("checkIn.mood.legend")}</legend>
          <label className="choice">
            <input type="radio" name={fields.mood.name} value="" defaultChecked={!fields.mood.initialValue} form={form.id} />
            <span>{t("checkIn.notSaying")}</span>
          </label>
          {moods.map((mood) => (
            <label key={mood} className="choice">
              <input
                type="radio"
                name={fields.mood.name}
                value={mood}
                defaultChecked={fields.mood.initialValue === String(mood)}
                form={form.id}
              />
              <span>{t(`checkIn.mood.${mood}`)}</span>
            </label>
          ))}
          <FieldError field={fields.mood} />
        </fieldset>
        <div className="field">
          <label htmlFor={fields.craving.id}>{t("checkIn.craving.label")}</label>
          <p id={fields.craving.descriptionId} className="hint">
            {t("checkIn.craving.hint")}
          </p>
          <select
            id={fields.craving.id}
            name={fields.craving.name}
            form={form.id}
            defaultValue={oneValue(fields.craving.initialValue)}
            aria-invalid={fields.craving.errors?.length ? true : undefined}
            aria-describedby={[fields.craving.descriptionId, fields.craving.errors?.length ? fields.craving.errorId : null]
              .filter(Boolean)
              .join(" ")}
          >
            <option value="">{t("checkIn.notSaying")}</option>
            {cravings.map((craving) => (
              <option key={craving} value={craving}>
                {craving}
              </option>
            ))}
          </select>
          <FieldError field={fields.craving} />
        </div>
        <TextAreaField field={fields.wins} label={t("checkIn.wins")} maxLength={checkInTextMax} />
        <TextAreaField field={fields.hard} label={t("checkIn.hard")} maxLength={checkInTextMax} />
        <TextAreaField field={fields.helpRequest} label={t("checkIn.helpRequest")} maxLength={checkInTextMax} />
        <label className="choice">
          <input
            type="checkbox"
            name={fields.kind.name}
            value="slip"
            defaultChecked={fields.kind.initialValue === "slip"}
            form={form.id}
          />
          <span>
            <strong>{t("checkIn.slip.label")}</strong> {t("checkIn.slip.hint")}
          </span>
        </label>
        <fieldset aria-describedby={fields.audience.errors?.length ? fields.audience.errorId : undefined}>
          <legend>{t("checkIn.audience.legend")}</legend>
          {shareable.length === 0 ? <p className="hint">{t("checkIn.audience.nobody")}</p> : null}
          {shareable.map((member) => (
            <label key={member.linkId} className="choice">
              <input
                type="checkbox"
                name={fields.audience.name}
                value={member.linkId}
                defaultChecked={audience.includes(member.linkId)}
                form={form.id}
              />
              <span>{member.name}</span>
            </label>
          ))}
          <p className="hint">{t("checkIn.audience.hint")}</p>
          <FieldError field={fields.audience} />
        </fieldset>
        <label className="choice">
          <input
            type="checkbox"
            name={fields.sharedWithCareTeam.name}
            defaultChecked={fields.sharedWithCareTeam.initialValue === "on"}
            form={form.id}
          />
          <span>{t("checkIn.careTeam")}</span>
        </label>
        <div className="actions">
          <button type="submit" name="intent" value="save" className="button">
            {submitLabel}
          </button>
        </div>
      </Form>
    </>
  );
}
