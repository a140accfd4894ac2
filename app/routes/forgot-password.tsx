import { getFormProps } from "@conform-to/react";
import { readForm } from "~/utils/form.server";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import * as z from "zod";
import { TextField } from "~/components/form";
import { useSchemaForm } from "~/components/schema-form";
import { useT } from "~/i18n/i18n";
import { requestPasswordReset } from "~/models/account.server";
import { sendPasswordResetMail } from "~/mail.server";
import { emailField } from "~/validation";
import { pageTitle } from "~/utils/meta";

const schema = z.object({ email: emailField });

export const meta = pageTitle("title.forgotYourPassword");

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await readForm(request), { schema });
  if (submission.status !== "success") return data({ result: submission.reply(), sent: false }, { status: 400 });
  const issued = await requestPasswordReset(context.db, submission.value.email, context.clientAddress);
  if (issued) {
    // Not awaited: the answer must take as long whether or not an account exists.
    sendPasswordResetMail(
      context.db,
      { programId: issued.programId, email: issued.email, name: issued.name },
      issued.token,
    ).catch(() => console.error("A password-reset e-mail could not be sent"));
  }
  // The same answer whether or not the account exists.
  return { result: submission.reply({ resetForm: true }), sent: true };
}

export default function ForgotPassword() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(schema, {
    lastResult: actionData?.result,
  });
  return (
    <div className="page">
      <h1>{t("forgot.title")}</h1>
      {actionData?.sent ? (
        <p className="notice notice--ok" role="status">
          {t("forgot.sent")}
        </p>
      ) : (
        <p className="lead">{t("forgot.lead")}</p>
      )}
      <Form method="post" className="stack" {...getFormProps(form)}>
        <TextField field={fields.email} label={t("field.email")} type="email" autoComplete="username" />
        <div className="actions">
          <button type="submit" className="button">
            {t("forgot.submit")}
          </button>
          <Link to="/login">{t("link.toLogin")}</Link>
        </div>
      </Form>
    </div>
  );
}
