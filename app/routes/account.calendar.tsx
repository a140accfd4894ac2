import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { env } from "~/env.server";
import { useT } from "~/i18n/i18n";
import { hasCalendarFeed, replaceCalendarFeed, revokeCalendarFeed } from "~/models/family-sessions.server";
import { actorOf, requirePermission } from "~/policy.server";
import { formText, readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.calendarFeed");

export async function loader(args: LoaderFunctionArgs) {
  const { user } = await requirePermission(args, "calendar:own");
  return { hasFeed: await hasCalendarFeed(args.context.db, user.id) };
}

/**
 * A new address is shown once, in the answer to the post that made it: only its hash is kept, so it
 * cannot be shown again, and it never travels in a URL of ours.
 */
export async function action(args: ActionFunctionArgs) {
  const session = await requirePermission(args, "calendar:own");
  const actor = actorOf(session, args.context);
  const intent = formText(await readForm(args.request), "intent");
  if (intent === "revoke") {
    await revokeCalendarFeed(args.context.db, actor);
    return redirect("/account/calendar?revoked=1");
  }
  if (intent !== "create") throw new Response("Bad Request", { status: 400 });
  const token = await replaceCalendarFeed(args.context.db, actor);
  return { feedUrl: `${env().appUrl}/calendar/${token}/meetings.ics` };
}

const notices: StatusNotice[] = [{ param: "revoked", message: "calendarFeed.notice.revoked" }];

export default function CalendarFeed() {
  const t = useT();
  const { hasFeed } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="page">
      <p>
        <Link to="/account">{t("nav.account")}</Link>
      </p>
      <h1>{t("calendarFeed.title")}</h1>
      <p>{t("calendarFeed.lead")}</p>
      <StatusNotices notices={notices} />
      {actionData?.feedUrl ? (
        <div className="notice notice--ok" role="status">
          <p>{t("calendarFeed.created")}</p>
          <label htmlFor="feed-url">{t("calendarFeed.address")}</label>
          <input id="feed-url" type="text" readOnly value={actionData.feedUrl} />
          <p className="hint">{t("calendarFeed.keepSecret")}</p>
        </div>
      ) : (
        <p>{t(hasFeed ? "calendarFeed.active" : "calendarFeed.none")}</p>
      )}
      <Form method="post" className="actions">
        <button type="submit" name="intent" value="create" className="button">
          {t(hasFeed || actionData?.feedUrl ? "calendarFeed.replace" : "calendarFeed.create")}
        </button>
        {hasFeed || actionData?.feedUrl ? (
          <button type="submit" name="intent" value="revoke" className="button button--secondary">
            {t("calendarFeed.revoke")}
          </button>
        ) : null}
      </Form>
    </div>
  );
}
