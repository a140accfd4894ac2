import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CheckInForm } from "~/components/check-in-form";
import { handleCheckInForm } from "~/forms/check-in.server";
import { useT } from "~/i18n/i18n";
import { createCheckIn, shareableAudience } from "~/models/check-in.server";
import { requirePermission } from "~/policy.server";
import { readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.newCheckIn");

export async function loader(args: LoaderFunctionArgs) {
  const { user } = await requirePermission(args, "progress:own");
  return { shareable: await shareableAudience(args.context.db, user.id) };
}

export async function action(args: ActionFunctionArgs) {
  const { user } = await requirePermission(args, "progress:own");
  return handleCheckInForm(await readForm(args.request), async (input) => {
    await createCheckIn(args.context.db, user, input);
    return redirect("/patient/check-ins?saved=1");
  });
}

export default function NewCheckIn() {
  const t = useT();
  const { shareable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="page">
      <p>
        <Link to="/patient/check-ins">{t("checkIn.back")}</Link>
      </p>
      <h1>{t("checkIn.new.title")}</h1>
      <p className="lead">{t("checkIn.new.lead")}</p>
      <CheckInForm lastResult={actionData?.result} shareable={shareable} submitLabel={t("checkIn.save")} />
    </div>
  );
}
