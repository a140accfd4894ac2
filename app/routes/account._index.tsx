import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LanguageSwitch } from "~/components/language-switch";
import { useT, type MessageKey } from "~/i18n/i18n";
import { can, requirePermission } from "~/policy.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.yourAccount");

export async function loader(args: LoaderFunctionArgs) {
  const { user } = await requirePermission(args, "account:manage");
  return { name: user.name, email: user.email, role: user.role, hasCalendar: can(user.role, "calendar:own") };
}

export default function Account() {
  const t = useT();
  const account = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("account.title")}</h1>
      <dl>
        <dt>{t("field.name")}</dt>
        <dd>{account.name}</dd>
        <dt>{t("field.email")}</dt>
        <dd>{account.email}</dd>
        <dt>{t("account.role")}</dt>
        <dd>{t(`role.${account.role}` as MessageKey)}</dd>
      </dl>
      <h2>{t("account.language.title")}</h2>
      <p>{t("account.language.lead")}</p>
      <LanguageSwitch />
      <ul>
        <li>
          <Link to="/account/password">{t("account.changePassword")}</Link>
        </li>
        <li>
          <Link to="/account/sessions">{t("account.sessions")}</Link>
        </li>
        <li>
          <Link to="/account/notifications">{t("account.notifications")}</Link>
        </li>
        <li>
          <Link to="/account/discreet">{t("account.discreet")}</Link>
        </li>
        {account.hasCalendar ? (
          <li>
            <Link to="/account/calendar">{t("account.calendarFeed")}</Link>
          </li>
        ) : null}
      </ul>
    </div>
  );
}
