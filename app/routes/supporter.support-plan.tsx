import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Part2Notice } from "~/components/circle";
import { SupporterAsks } from "~/components/supporter-lists";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { useT } from "~/i18n/i18n";
import { supporterAccesses } from "~/models/access.server";
import { answerAsk, asksOfSupporter } from "~/models/support-plan.server";
import { notFound, requirePermission } from "~/policy.server";
import { readForm } from "~/utils/form.server";
import { supportPlanAnswerSchema } from "~/forms/support-plan.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.whatIAgreedTo");

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
      <SupporterAsks asks={asks} answerable />
      {asks.length > 0 ? <Part2Notice /> : null}
    </div>
  );
}
