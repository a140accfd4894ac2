import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { StatusNotices } from "~/components/status-notices";
import { discreetModeSchema } from "~/forms/account.server";
import { useT } from "~/i18n/i18n";
import { setDiscreetMode } from "~/models/account.server";
import { requirePermission } from "~/policy.server";
import { readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.discreetMode");

export async function loader(args: LoaderFunctionArgs) {
  const { person } = await requirePermission(args, "account:manage");
  return { discreet: person.discreet };
}

export async function action(args: ActionFunctionArgs) {
  const { user } = await requirePermission(args, "account:manage");
  const parsed = discreetModeSchema.safeParse(Object.fromEntries(await readForm(args.request)));
  // The form has one checkbox: anything else was not sent by it.
  if (!parsed.success) throw new Response("Bad Request", { status: 400 });
  await setDiscreetMode(args.context.db, user, parsed.data, args.context.clientAddress);
  return redirect("/account/discreet?saved=1");
}

export default function DiscreetMode() {
  const t = useT();
  const { discreet } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("discreet.title")}</h1>
      <StatusNotices notices={[{ param: "saved", message: discreet ? "discreet.savedOn" : "discreet.savedOff" }]} />
      <p className="lead">{t("discreet.lead")}</p>
      <h2>{t("discreet.whatChanges")}</h2>
      <ul>
        <li>{t("discreet.changes.tab")}</li>
        <li>{t("discreet.changes.mail")}</li>
        <li>{t("discreet.changes.calendar")}</li>
      </ul>
      <Form method="post" className="stack">
        <label className="choice">
          <input type="checkbox" name="discreet" defaultChecked={discreet} key={String(discreet)} />
          {t("discreet.field")}
        </label>
        <div className="actions">
          <button type="submit" className="button">
            {t("discreet.save")}
          </button>
        </div>
      </Form>
      <h2>{t("leave.title")}</h2>
      <p>{t("leave.explanation")}</p>
      <h2>{t("discreet.limits.title")}</h2>
      <ul>
        <li>{t("discreet.limits.history")}</li>
        <li>{t("discreet.limits.address")}</li>
        <li>{t("discreet.limits.earlierMail")}</li>
      </ul>
    </div>
  );
}
