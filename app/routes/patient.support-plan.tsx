import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { supportNeeds } from "~/vocabulary";
import { FieldError, FormErrors, SelectField, TextAreaField } from "~/components/form";
import { useSchemaForm } from "~/components/schema-form";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { planItemSchema } from "~/forms/support-plan";
import { useT } from "~/i18n/i18n";
import { addPlanItem, askableSupporters, removePlanItem, supportPlan, SupportPlanRuleError } from "~/models/support-plan.server";
import { notFound, requirePermission } from "~/policy.server";
import { formText, readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.mySupportPlan");

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "progress:own");
  return { plan: await supportPlan(db, user.id), supporters: await askableSupporters(db, user.id) };
}

export async function action(args: ActionFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "progress:own");
  const formData = await readForm(args.request);
  if (formData.get("intent") === "remove") {
    if (!(await removePlanItem(db, user, formText(formData, "itemId")))) throw notFound();
    return redirect("/patient/support-plan?removed=1");
  }
  const submission = parseWithZod(formData, { schema: planItemSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  try {
    await addPlanItem(db, user, {
      need: submission.value.need,
      details: submission.value.details || null,
      ask: submission.value.ask,
    });
  } catch (error) {
    if (error instanceof SupportPlanRuleError) {
      return data({ result: submission.reply({ fieldErrors: { [error.field]: [error.messageKey] } }) }, { status: 400 });
    }
    throw error;
  }
  return redirect("/patient/support-plan?added=1");
}

const notices: StatusNotice[] = [
  { param: "added", message: "plan.notice.added" },
  { param: "removed", message: "plan.notice.removed" },
];

export default function PatientSupportPlan() {
  const t = useT();
  const { plan, supporters } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(planItemSchema, {
    lastResult: actionData?.result,
    shouldValidate: "onSubmit",
  });
  return (
    <>
      <div className="page">
        <h1>{t("plan.title")}</h1>
        <StatusNotices notices={notices} />
        <p className="lead">{t("plan.lead")}</p>
        {plan.length === 0 ? <p>{t("plan.empty")}</p> : null}
        <ul className="list" aria-label={t("plan.title")}>
          {plan.map((item) => (
            <li key={item.id}>
              <strong>{t(`plan.need.${item.need}`)}</strong>{" "}
              {item.isGap ? <span className="badge badge--danger">{t("plan.gap")}</span> : null}
              {item.details ? <p className="prose">{item.details}</p> : null}
              <p className="meta">
                {item.asks.length === 0
                  ? t("plan.nobodyAsked")
                  : item.asks.map((ask) => `${ask.name}: ${t(`plan.status.${ask.status}`)}`).join(" · ")}
              </p>
              <Form method="post">
                <input type="hidden" name="itemId" value={item.id} />
                <button type="submit" name="intent" value="remove" className="button button--secondary">
                  {t("plan.remove")}
                  <span className="visually-hidden"> {t(`plan.need.${item.need}`)}</span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
      </div>
      <div className="page">
        <h2>{t("plan.add.heading")}</h2>
        <FormErrors errors={form.errors} id={form.errorId} />
        {/* Keyed by the plan's length: a successful add leaves an empty form for the next need. */}
        <Form key={plan.length} method="post" className="stack" {...getFormProps(form)}>
          <SelectField field={fields.need} label={t("plan.need.label")}>
            <option value="">{t("plan.need.choose")}</option>
            {supportNeeds.map((need) => (
              <option key={need} value={need}>
                {t(`plan.need.${need}`)}
              </option>
            ))}
          </SelectField>
          <TextAreaField field={fields.details} label={t("plan.details.label")} hint={t("plan.details.hint")} maxLength={500} />
          <fieldset aria-describedby={fields.ask.errors?.length ? fields.ask.errorId : undefined}>
            <legend>{t("plan.ask.legend")}</legend>
            {supporters.length === 0 ? <p className="hint">{t("plan.ask.nobody")}</p> : null}
            {supporters.map((supporter) => (
              <label key={supporter.linkId} className="choice">
                <input type="checkbox" name={fields.ask.name} value={supporter.linkId} form={form.id} />
                <span>{supporter.name}</span>
              </label>
            ))}
            <FieldError field={fields.ask} />
          </fieldset>
          <div className="actions">
            <button type="submit" name="intent" value="add" className="button">
              {t("plan.add.submit")}
            </button>
          </div>
        </Form>
      </div>
    </>
  );
}
