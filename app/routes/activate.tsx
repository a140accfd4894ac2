import { parseWithZod } from "@conform-to/zod/v4";
import { readForm } from "~/utils/form.server";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { LinkProblem } from "~/components/link-state";
import { SetPasswordForm } from "~/components/set-password-form";
import { useT } from "~/i18n/i18n";
import { activateAccount, activationState } from "~/models/account.server";
import { chooseMembershipPath, roleHome } from "~/policy.server";
import { startSession } from "~/session.server";
import { passwordPairSchema, tokenField } from "~/validation";
import { pageTitle } from "~/utils/meta";

const schema = passwordPairSchema.and(z.object({ token: tokenField }));

export const meta = pageTitle("title.activateYourAccount");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const { state } = await activationState(context.db, token);
  return { state, token: state === "valid" ? token : "" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await readForm(request), { schema });
  if (submission.status !== "success") {
    return data({ result: submission.reply({ hideFields: ["password", "confirmPassword"] }) }, { status: 400 });
  }
  const account = await activateAccount(context.db, submission.value.token, submission.value.password, context.clientAddress);
  if (!account) {
    return data({ result: submission.reply({ formErrors: ["link.invalid"], resetForm: true }) }, { status: 400 });
  }
  // The link was for the role just given; a person who already had others chooses among them.
  const only = account.memberships.length === 1 ? account.memberships[0]! : null;
  const cookie = await startSession(context.db, request, account.person.id, only?.id ?? null, {
    ipAddress: context.clientAddress,
    userAgent: request.headers.get("User-Agent"),
  });
  return redirect(only ? roleHome[only.role] : chooseMembershipPath(), { headers: { "Set-Cookie": cookie } });
}

export default function Activate() {
  const t = useT();
  const { state, token } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (state !== "valid") return <LinkProblem state={state} help="activate.askForNewLink" />;
  return (
    <div className="page">
      <h1>{t("activate.title")}</h1>
      <p className="lead">{t("activate.lead")}</p>
      <SetPasswordForm token={token} lastResult={actionData?.result} submitLabel={t("activate.submit")} />
    </div>
  );
}
