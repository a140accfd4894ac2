import { parseWithZod } from "@conform-to/zod/v4";
import { readForm } from "~/utils/form.server";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { LinkProblem } from "~/components/link-state";
import { SetPasswordForm } from "~/components/set-password-form";
import { useT } from "~/i18n/i18n";
import { passwordResetState, resetPassword } from "~/models/account.server";
import { clearSessionCookie } from "~/session.server";
import { passwordPairSchema, tokenField } from "~/validation";
import { pageTitle } from "~/utils/meta";

const schema = passwordPairSchema.and(z.object({ token: tokenField }));

export const meta = pageTitle("title.chooseANewPassword");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const { state } = await passwordResetState(context.db, token);
  return { state, token: state === "valid" ? token : "" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await readForm(request), { schema });
  if (submission.status !== "success") {
    return data({ result: submission.reply({ hideFields: ["password", "confirmPassword"] }) }, { status: 400 });
  }
  const account = await resetPassword(context.db, submission.value.token, submission.value.password, context.clientAddress);
  if (!account) {
    return data({ result: submission.reply({ formErrors: ["link.invalid"], resetForm: true }) }, { status: 400 });
  }
  // Every session of the account has ended; the person signs in again with the new password.
  return redirect("/login?reset=1", { headers: { "Set-Cookie": clearSessionCookie(request) } });
}

export default function ResetPassword() {
  const t = useT();
  const { state, token } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (state !== "valid") return <LinkProblem state={state} help="reset.askForNewLink" />;
  return (
    <div className="page">
      <h1>{t("reset.title")}</h1>
      <SetPasswordForm token={token} lastResult={actionData?.result} submitLabel={t("reset.submit")} />
    </div>
  );
}
