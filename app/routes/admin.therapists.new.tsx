import { getFormProps, useForm } from "@conform-to/react";
import { readForm } from "~/utils/form.server";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import * as z from "zod";
import { FormErrors, TextField } from "~/components/form";
import { useT } from "~/i18n/i18n";
import { createTherapist, DuplicateEmailError } from "~/models/account.server";
import { deliverMembershipMail } from "~/mail.server";
import { actorOf, requirePermission } from "~/policy.server";
import { emailField, personNameField } from "~/validation";
import { pageTitle } from "~/utils/meta";

const schema = z.object({ name: personNameField, email: emailField });

export const meta = pageTitle("title.addATherapist");

export async function loader(args: LoaderFunctionArgs) {
  await requirePermission(args, "staff:manage");
  return null;
}

export async function action(args: ActionFunctionArgs) {
  const { db } = args.context;
  const session = await requirePermission(args, "staff:manage");
  const submission = parseWithZod(await readForm(args.request), { schema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  let activationToken: string | null;
  try {
    activationToken = (await createTherapist(db, actorOf(session, args.context), submission.value)).activationToken;
  } catch (error) {
    if (error instanceof DuplicateEmailError) {
      return data({ result: submission.reply({ fieldErrors: { email: ["validation.email.taken"] } }) }, { status: 400 });
    }
    throw error;
  }
  const mailed = await deliverMembershipMail(
    db,
    { programId: session.user.programId, email: submission.value.email, name: submission.value.name },
    activationToken,
  );
  return redirect(`/admin?${mailed ? "added=1" : "mail=failed"}`);
}

export default function AddTherapist() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  return (
    <div className="page">
      <h1>{t("admin.addTherapist")}</h1>
      <p className="lead">{t("admin.addTherapist.lead")}</p>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <TextField field={fields.name} label={t("field.fullName")} autoComplete="off" />
        <TextField field={fields.email} label={t("field.email")} type="email" autoComplete="off" />
        <div className="actions">
          <button type="submit" className="button">
            {t("admin.addTherapist.submit")}
          </button>
        </div>
      </Form>
    </div>
  );
}
