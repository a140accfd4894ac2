import { getFormProps } from "@conform-to/react";
import { readForm } from "~/utils/form.server";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import * as z from "zod";
import { FormErrors, TextField } from "~/components/form";
import { useSchemaForm } from "~/components/schema-form";
import { NewPasswordFields } from "~/components/set-password-form";
import { useT } from "~/i18n/i18n";
import { changePassword } from "~/models/account.server";
import { requirePermission } from "~/policy.server";
import { startSession } from "~/session.server";
import { currentPasswordField, passwordPairSchema } from "~/validation";
import { pageTitle } from "~/utils/meta";

const schema = passwordPairSchema.and(z.object({ currentPassword: currentPasswordField }));

export const meta = pageTitle("title.changeYourPassword");

export async function loader(args: LoaderFunctionArgs) {
  await requirePermission(args, "account:manage");
  return null;
}

export async function action(args: ActionFunctionArgs) {
  const { request, context } = args;
  const { user } = await requirePermission(args, "account:manage");
  const submission = parseWithZod(await readForm(request), { schema });
  const hideFields = ["currentPassword", "password", "confirmPassword"];
  if (submission.status !== "success") return data({ result: submission.reply({ hideFields }) }, { status: 400 });
  const outcome = await changePassword(
    context.db,
    user,
    submission.value.currentPassword,
    submission.value.password,
    context.clientAddress,
  );
  if (outcome === "wrong_password") {
    return data(
      { result: submission.reply({ fieldErrors: { currentPassword: ["account.password.wrongCurrent"] }, hideFields }) },
      { status: 400 },
    );
  }
  // Every session ended with the change; this device continues in a brand-new one.
  const cookie = await startSession(context.db, request, user.personId, user.id, {
    ipAddress: context.clientAddress,
    userAgent: request.headers.get("User-Agent"),
  });
  return redirect("/account/sessions?changed=1", { headers: { "Set-Cookie": cookie } });
}

export default function ChangePassword() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(schema, {
    lastResult: actionData?.result,
  });
  return (
    <div className="page">
      <h1>{t("account.password.title")}</h1>
      <p className="lead">{t("account.password.lead")}</p>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <TextField
          field={fields.currentPassword}
          label={t("field.currentPassword")}
          type="password"
          autoComplete="current-password"
        />
        <NewPasswordFields password={fields.password} confirmPassword={fields.confirmPassword} />
        <div className="actions">
          <button type="submit" className="button">
            {t("account.password.submit")}
          </button>
        </div>
      </Form>
    </div>
  );
}
