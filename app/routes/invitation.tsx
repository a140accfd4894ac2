import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import * as z from "zod";
import { SharingScope } from "~/components/circle";
import { ErrorSummary } from "~/components/error-summary";
import { TextField } from "~/components/form";
import { useSchemaForm } from "~/components/schema-form";
import { NewPasswordFields } from "~/components/set-password-form";
import { LinkProblem } from "~/components/link-state";
import { useT } from "~/i18n/i18n";
import { findPersonByEmail } from "~/models/account.server";
import { acceptInvitation, acceptWithNewAccount, inspectInvitation, recordInvitationViewed } from "~/models/invitations.server";
import { hashPassword } from "~/models/password.server";
import { optionalSession } from "~/policy.server";
import { actAs, startSession } from "~/session.server";
import { formText, readForm } from "~/utils/form.server";
import { passwordPairSchema, personNameField, tokenField } from "~/validation";
import { pageTitle } from "~/utils/meta";

/**
 * The link in the invitation e-mail. Public: the token is the proof. The invitee creates a
 * supporter account (or signs in to theirs) and accepts; the therapist then decides.
 */
export const meta = pageTitle("title.yourInvitation");

const createAccountSchema = passwordPairSchema.and(z.object({ token: tokenField, name: personNameField }));

function tokenOf(request: Request) {
  return new URL(request.url).searchParams.get("token") ?? "";
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { db } = context;
  const token = tokenOf(request);
  const view = await inspectInvitation(db, token);
  if (view.state !== "valid") return { state: view.state } as const;
  await recordInvitationViewed(db, view.link);
  const session = await optionalSession({ request, context });
  const signedInAs = session ? { email: session.person.email } : null;
  return {
    state: "valid",
    token,
    patientName: view.patientName,
    invitedName: view.link.invitedName,
    invitedEmail: view.link.invitedEmail,
    categories: view.categories,
    accountExists: Boolean(await findPersonByEmail(db, view.link.invitedEmail)),
    signedInAs,
  } as const;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { db } = context;
  const formData = await readForm(request);
  const intent = formData.get("intent");
  if (intent === "accept") {
    const session = await optionalSession({ request, context });
    if (!session) throw redirect(`/login?${new URLSearchParams({ redirectTo: `/invitation?token=${tokenOf(request)}` })}`);
    const outcome = await acceptInvitation(db, formText(formData, "token"), session.person, context.clientAddress);
    if (!outcome.ok)
      return data({ acceptError: `invitation.error.${outcome.reason}` as const, result: undefined }, { status: 400 });
    // The person goes on as the supporter they just became, in the inviting patient's program.
    await actAs(db, { id: session.id, personId: session.person.id }, outcome.supporterId);
    return redirect("/supporter?accepted=1");
  }

  const submission = parseWithZod(formData, { schema: createAccountSchema });
  if (submission.status !== "success") {
    return data(
      { result: submission.reply({ hideFields: ["password", "confirmPassword"] }), acceptError: undefined },
      { status: 400 },
    );
  }
  const passwordHash = await hashPassword(submission.value.password);
  const outcome = await acceptWithNewAccount(
    db,
    submission.value.token,
    { name: submission.value.name, passwordHash },
    context.clientAddress,
  );
  if (!outcome.ok) {
    return data(
      {
        result: submission.reply({
          formErrors: [`invitation.error.${outcome.reason}`],
          hideFields: ["password", "confirmPassword"],
        }),
        acceptError: undefined,
      },
      { status: 400 },
    );
  }
  const cookie = await startSession(db, request, outcome.personId, outcome.supporterId, {
    ipAddress: context.clientAddress,
    userAgent: request.headers.get("User-Agent"),
  });
  return redirect("/supporter?accepted=1", { headers: { "Set-Cookie": cookie } });
}

export default function InvitationPage() {
  const t = useT();
  const view = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const [form, fields] = useSchemaForm(createAccountSchema, {
    lastResult: actionData?.result,
    defaultValue: view.state === "valid" ? { name: view.invitedName } : undefined,
  });
  if (view.state !== "valid") {
    return <LinkProblem state={view.state === "cancelled" ? "invalid" : view.state} help="invitation.askForNewLink" />;
  }
  const signedInWithOtherAccount = view.signedInAs && view.signedInAs.email !== view.invitedEmail;
  return (
    <div className="page">
      <h1>{t("invitation.title", { patient: view.patientName })}</h1>
      <p className="lead">{t("invitation.lead", { patient: view.patientName })}</p>
      <p className="notice">{t("invitation.therapistApproves")}</p>
      <SharingScope categories={view.categories} patientName={view.patientName} />

      <h2>{t("invitation.acceptHeading")}</h2>
      {actionData?.acceptError ? (
        <p className="notice notice--error" role="alert">
          {t(actionData.acceptError)}
        </p>
      ) : null}
      {signedInWithOtherAccount ? (
        <div className="notice notice--error">
          <p>{t("invitation.otherAccount", { email: view.invitedEmail })}</p>
          <Form method="post" action="/logout">
            <button type="submit" className="button button--secondary">
              {t("nav.signOut")}
            </button>
          </Form>
        </div>
      ) : view.signedInAs ? (
        <Form method="post">
          <input type="hidden" name="token" value={view.token} />
          <button type="submit" name="intent" value="accept" className="button">
            {t("invitation.accept")}
          </button>
        </Form>
      ) : view.accountExists ? (
        <p>
          {t("invitation.haveAccount")}{" "}
          <Link className="button" to={`/login?${new URLSearchParams({ redirectTo: `${location.pathname}${location.search}` })}`}>
            {t("invitation.signInToAccept")}
          </Link>
        </p>
      ) : (
        <>
          <p>{t("invitation.createAccount", { email: view.invitedEmail })}</p>
          <ErrorSummary
            id={form.errorId}
            submission={actionData?.result}
            formErrors={form.errors}
            fields={[fields.name, fields.password, fields.confirmPassword]}
          />
          <Form method="post" className="stack" {...getFormProps(form)}>
            <input type="hidden" name="token" value={view.token} />
            <TextField field={fields.name} label={t("field.fullName")} autoComplete="name" />
            <NewPasswordFields password={fields.password} confirmPassword={fields.confirmPassword} />
            <div className="actions">
              <button type="submit" name="intent" value="create-account" className="button">
                {t("invitation.createAndAccept")}
              </button>
            </div>
          </Form>
        </>
      )}
    </div>
  );
}
