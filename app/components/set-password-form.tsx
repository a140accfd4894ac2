import { getFormProps, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { FormErrors, TextField } from "~/components/form";
import { useSchemaForm } from "~/components/schema-form";
import { useT } from "~/i18n/i18n";
import { passwordPairSchema } from "~/validation";
import { passwordMinLength } from "~/forms/limits";

/** The new-password form of the activation and password-reset links. */
export function SetPasswordForm({
  token,
  lastResult,
  submitLabel,
}: {
  token: string;
  lastResult?: SubmissionResult<string[]>;
  submitLabel: string;
}) {
  const [form, fields] = useSchemaForm(passwordPairSchema, {
    lastResult,
  });
  return (
    <>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="token" value={token} />
        <NewPasswordFields password={fields.password} confirmPassword={fields.confirmPassword} />
        <div className="actions">
          <button type="submit" className="button">
            {submitLabel}
          </button>
        </div>
      </Form>
    </>
  );
}

/** A new password and its confirmation, with the length rule as the hint: every form that sets a password uses it. */
export function NewPasswordFields({
  password,
  confirmPassword,
}: {
  password: FieldMetadata<string>;
  confirmPassword: FieldMetadata<string>;
}) {
  const t = useT();
  return (
    <>
      <TextField
        field={password}
        label={t("field.newPassword")}
        hint={t("field.newPassword.hint", { count: passwordMinLength })}
        type="password"
        autoComplete="new-password"
      />
      <TextField field={confirmPassword} label={t("field.confirmPassword")} type="password" autoComplete="new-password" />
    </>
  );
}
