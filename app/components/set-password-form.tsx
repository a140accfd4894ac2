import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { FormErrors, TextField, useSchemaForm } from "~/components/form";
import { useT } from "~/i18n/i18n";
import { passwordPairSchema, passwordMinLength } from "~/validation";

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
  const t = useT();
  const [form, fields] = useSchemaForm(passwordPairSchema, {
    lastResult,
  });
  return (
    <>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="token" value={token} />
        <TextField
          field={fields.password}
          label={t("field.newPassword")}
          hint={t("field.newPassword.hint", { count: passwordMinLength })}
          type="password"
          autoComplete="new-password"
        />
        <TextField
          field={fields.confirmPassword}
          label={t("field.confirmPassword")}
          type="password"
          autoComplete="new-password"
        />
        <div className="actions">
          <button type="submit" className="button">
            {submitLabel}
          </button>
        </div>
      </Form>
    </>
  );
}
