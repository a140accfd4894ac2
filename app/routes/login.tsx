import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { readForm } from "~/utils/form.server";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import { FormErrors, TextField } from "~/components/form";
import { useSchemaForm } from "~/components/schema-form";
import { useT } from "~/i18n/i18n";
import { signIn } from "~/models/account.server";
import { chooseMembershipPath, landingFor, optionalSession, roleHome, safeRedirectPath } from "~/policy.server";
import { startSession } from "~/session.server";
import { currentPasswordField, emailField } from "~/validation";
import { pageTitle } from "~/utils/meta";

const schema = z.object({
  email: emailField,
  password: currentPasswordField,
  redirectTo: z.string().max(2000).optional(),
});

/** The form's errors, and for a throttled attempt how long to wait before the next one. */
type Refusal = { result: SubmissionResult<string[]>; waitMinutes?: number };

export const meta = pageTitle("title.signIn");

// A page rendered after the action (no script) gets its headers from here, not from the action's response.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await optionalSession({ request, context });
  if (session) throw redirect(session.user ? roleHome[session.user.role] : chooseMembershipPath());
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") {
    return data<Refusal>({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  const outcome = await signIn(context.db, email, password, context.clientAddress);
  if (!outcome.ok && outcome.reason === "rate_limited") {
    return data<Refusal>(
      {
        result: submission.reply({ formErrors: ["login.rateLimited"], hideFields: ["password"] }),
        waitMinutes: Math.ceil(outcome.retryAfterSeconds / 60),
      },
      { status: 429, headers: { "Retry-After": String(outcome.retryAfterSeconds) } },
    );
  }
  if (!outcome.ok) {
    return data<Refusal>(
      { result: submission.reply({ formErrors: ["login.invalid"], hideFields: ["password"] }) },
      { status: 400 },
    );
  }
  // One membership acts at once; a person with several is asked which.
  const only = outcome.memberships.length === 1 ? outcome.memberships[0]! : null;
  const cookie = await startSession(context.db, request, outcome.person.id, only?.id ?? null, {
    ipAddress: context.clientAddress,
    userAgent: request.headers.get("User-Agent"),
  });
  const destination = only ? landingFor(only.role, redirectTo) : chooseMembershipPath(safeRedirectPath(redirectTo, "/"));
  return redirect(destination, { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useSchemaForm(schema, {
    lastResult: actionData?.result,
  });
  return (
    <div className="page">
      <h1>{t("login.title")}</h1>
      {searchParams.get("reset") === "1" ? (
        <p className="notice notice--ok" role="status">
          {t("login.afterReset")}
        </p>
      ) : (
        <p className="lead">{t("login.lead")}</p>
      )}
      <FormErrors errors={form.errors} id={form.errorId} values={{ count: actionData?.waitMinutes }} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <TextField field={fields.email} label={t("field.email")} type="email" autoComplete="username" />
        <TextField field={fields.password} label={t("field.password")} type="password" autoComplete="current-password" />
        <div className="actions">
          <button type="submit" className="button">
            {t("login.submit")}
          </button>
          <Link to="/forgot-password">{t("login.forgot")}</Link>
        </div>
      </Form>
      <p>
        <Link to="/privacy">{t("login.privacy")}</Link>
      </p>
    </div>
  );
}
