import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Part2Notice } from "~/components/circle";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { useT } from "~/i18n/i18n";
import { supporterAccesses } from "~/models/access.server";
import { answerAsk, asksOfSupporter } from "~/models/support-plan.server";
import { notFound, requirePermission } from "~/policy.server";
import { readForm } from "~/utils/form.server";
import { supportPlanAnswerSchema } from "~/forms/support-plan.server";

export const meta: MetaFunction = () => [{ title: "What I agreed to · Care Circle" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "circle:support");
  return { asks: await asksOfSupporter(db, await supporterAccesses(db, user)) };
}

export async function action(args: ActionFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "circle:support");
  const parsed = supportPlanAnswerSchema.safeParse(Object.fromEntries(await readForm(args.request)));
  if (!parsed.success || !(await answerAsk(db, await supporterAccesses(db, user), parsed.data.itemId, parsed.data.intent)))
    throw notFound();
  return redirect(`/supporter/support-plan?${parsed.data.intent}=1`);
}

const notices: StatusNotice[] = [
  { param: "accepted", message: "plan.notice.accepted" },
  { param: "declined", message: "plan.notice.declined" },
];

export default function SupporterSupportPlan() {
  const t = useT();
  const { asks } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("plan.supporter.title")}</h1>
      <StatusNotices notices={notices} />
      {asks.length === 0 ? <p>{t("plan.supporter.empty")}</p> : null}
      <ul className="list" aria-label={t("plan.supporter.title")}>
        {asks.map((ask) => (
          <li key={`${ask.linkId}-${ask.itemId}`}>
            <strong>{t("plan.supporter.item", { patient: ask.patientName, need: t(`plan.need.${ask.need}`) })}</strong>
            {ask.details ? <p className="prose">{ask.details}</p> : null}
            <p className="meta">{t(`plan.status.${ask.status}`)}</p>
            <Form method="post" className="card-actions">
              <input type="hidden" name="itemId" value={ask.itemId} />
              {ask.status !== "accepted" ? (
                <button type="submit" name="intent" value="accepted" className="button">
                  {t("plan.supporter.accept")}
                  <span className="visually-hidden"> {t(`plan.need.${ask.need}`)}</span>
                </button>
              ) : null}
              {ask.status !== "declined" ? (
                <button type="submit" name="intent" value="declined" className="button button--secondary">
                  {t("plan.supporter.decline")}
                  <span className="visually-hidden"> {t(`plan.need.${ask.need}`)}</span>
                </button>
              ) : null}
            </Form>
          </li>
        ))}
      </ul>
      {asks.length > 0 ? <Part2Notice /> : null}
    </div>
  );
}
