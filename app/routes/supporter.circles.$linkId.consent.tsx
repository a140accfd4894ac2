import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Part2Notice, SharingScope } from "~/components/circle";
import { useLeaveConfirmation } from "~/components/circle-confirmations";
import { ConfirmationPage, ConfirmTrigger } from "~/components/confirm";
import { useFormatLocale, useT } from "~/i18n/i18n";
import { consentHistory } from "~/models/consent.server";
import { findSupporterLink } from "~/models/circle-link.server";
import { revokeLink } from "~/models/care-circle.server";
import { supporterAccess } from "~/models/access.server";
import { actorOf, notFound, requirePermission } from "~/policy.server";
import { formatCalendarDate } from "~/utils/dates";
import { readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.whatYouCanSeeAndWhy");

/**
 * The scope of the consent behind a link: what the supporter can see, what they cannot, why, and
 * until when. Shows no patient information beyond the consent itself; the supporter may leave here,
 * once they have confirmed it (`?confirm=leave`, or a dialog with JavaScript).
 */
export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "circle:support");
  const link = await findSupporterLink(db, user.id, args.params.linkId ?? "");
  if (!link) throw notFound();
  const access = await supporterAccess(db, user, link.id);
  const [consent] = await consentHistory(db, link.id);
  if (!consent) throw notFound();
  return {
    linkId: link.id,
    status: link.status,
    patientName: link.patientName,
    active: Boolean(access),
    categories: access?.categories ?? consent.categories,
    expiryKind: consent.expiryKind,
    expiresOn: consent.expiresOn,
    canLeave: link.status === "accepted" || link.status === "active",
    confirmingLeave: new URL(args.request.url).searchParams.get("confirm") === "leave",
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db } = args.context;
  const session = await requirePermission(args, "circle:support");
  const link = await findSupporterLink(db, session.user.id, args.params.linkId ?? "");
  if (!link || (link.status !== "accepted" && link.status !== "active")) throw notFound();
  // Only the confirmation's own button leaves: a stray post changes nothing.
  if ((await readForm(args.request)).get("intent") !== "leave") throw new Response("Bad Request", { status: 400 });
  if (!(await revokeLink(db, { actor: actorOf(session, args.context), as: "supporter" }, link))) throw notFound();
  return redirect("/supporter?left=1");
}

export default function ConsentScope() {
  const t = useT();
  const locale = useFormatLocale();
  const scope = useLoaderData<typeof loader>();
  const leave = useLeaveConfirmation(scope.linkId);
  if (scope.canLeave && scope.confirmingLeave) return <ConfirmationPage confirmation={leave} cancelTo="." />;
  return (
    <div className="page">
      <p>
        <Link to="/supporter">{t("nav.supporter.home")}</Link>
      </p>
      <h1>{t("scope.title")}</h1>
      {!scope.active ? (
        <p className="notice">{t(scope.status === "accepted" ? "supporter.waiting.body" : "supporter.ended.body")}</p>
      ) : null}
      <SharingScope categories={scope.categories} patientName={scope.patientName} />
      <h2>{t("scope.until")}</h2>
      <p>
        {scope.expiryKind === "date" && scope.expiresOn
          ? t("circle.until", { date: formatCalendarDate(locale, scope.expiresOn) })
          : t("supporter.scope.untilEpisodeEnd", { name: scope.patientName })}{" "}
        {t("scope.patientCanChange", { name: scope.patientName })}
      </p>
      {scope.active ? <Part2Notice /> : null}
      {scope.canLeave ? (
        <>
          <h2>{t("scope.leave.heading")}</h2>
          <p>{t("scope.leave.body")}</p>
          <ConfirmTrigger label={t("scope.leave.submit")} to="?confirm=leave" confirmation={leave} />
        </>
      ) : null}
    </div>
  );
}
