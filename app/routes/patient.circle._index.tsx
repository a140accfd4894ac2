import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { LinkStatusBadge } from "~/components/circle";
import { endSharingPath, useEndSharingConfirmation } from "~/components/circle-confirmations";
import { ConfirmationPage, ConfirmTrigger } from "~/components/confirm";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { useFormatLocale, useT, type MessageKey } from "~/i18n/i18n";
import { requestLocale } from "~/i18n/locale.server";
import { cancelInvitation, resendInvitation } from "~/models/invitations.server";
import { CircleRuleError, findPatientLink } from "~/models/circle-link.server";
import { patientCircle, revokeLink } from "~/models/care-circle.server";
import { IllegalTransitionError } from "~/models/circle-state";
import { deliverInvitation } from "~/mail.server";
import { actorOf, notFound, requirePermission } from "~/policy.server";
import { formatCalendarDate } from "~/utils/dates";
import { readForm } from "~/utils/form.server";
import type { LinkStatus } from "~/vocabulary";
import type { Database } from "#db/database";
import { circleLinkActionSchema } from "~/forms/circle.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.yourCareCircle");

/** The link of `?confirm=revoke&link=<id>`: asked before sharing ends with someone in the circle now. */
async function linkToEnd(db: Database, patientId: string, url: URL) {
  if (url.searchParams.get("confirm") !== "revoke") return null;
  const link = await findPatientLink(db, patientId, url.searchParams.get("link") ?? "");
  if (!link) throw notFound();
  // Ended meanwhile (in another tab, or by the care team): the circle page says how it stands now.
  return endable(link.status) ? { id: link.id, name: link.invitedName } : null;
}

const endable = (status: LinkStatus) => status === "accepted" || status === "active";

export async function loader(args: LoaderFunctionArgs) {
  const { user } = await requirePermission(args, "circle:own");
  const now = Date.now();
  return {
    ending: await linkToEnd(args.context.db, user.id, new URL(args.request.url)),
    circle: (await patientCircle(args.context.db, user.id)).map(({ link, consent }) => ({
      id: link.id,
      name: link.invitedName,
      relationship: link.relationship,
      status: link.status,
      invitationExpired: link.status === "invited" && (link.invitationExpiresAt?.getTime() ?? 0) <= now,
      refusalReason: link.refusalReason,
      safetyConcern: link.safetyConcern,
      categories: consent.categories,
      expiryKind: consent.expiryKind,
      expiresOn: consent.expiresOn,
    })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db } = args.context;
  const session = await requirePermission(args, "circle:own");
  const parsed = circleLinkActionSchema.safeParse(Object.fromEntries(await readForm(args.request)));
  if (!parsed.success) return data({ error: "circle.badRequest" as const }, { status: 400 });
  const actor = actorOf(session, args.context);
  const link = await findPatientLink(db, session.user.id, parsed.data.linkId);
  if (!link) throw notFound();
  try {
    switch (parsed.data.intent) {
      case "resend": {
        const resent = await resendInvitation(db, actor, link.id);
        if (!resent) return data({ error: "circle.resend.notWaiting" as const }, { status: 409 });
        const mailed = await deliverInvitation(
          db,
          { programId: link.programId, email: resent.email, name: link.invitedName },
          resent.token,
          requestLocale(args.request, session.person).language,
        );
        return redirect(`/patient/circle?${mailed ? "resent=1" : "mail=failed"}`);
      }
      case "cancel":
        await cancelInvitation(db, actor, link.id);
        return redirect("/patient/circle?cancelled=1");
      case "revoke": {
        if (!(await revokeLink(db, { actor, as: "patient" }, link)))
          return data({ error: "circle.changedMeanwhile" as const }, { status: 409 });
        return redirect("/patient/circle?revoked=1");
      }
    }
  } catch (error) {
    if (error instanceof IllegalTransitionError) return data({ error: "circle.notPossibleNow" as const }, { status: 409 });
    if (error instanceof CircleRuleError) return data({ error: "circle.invite.rateLimited" as const }, { status: 429 });
    throw error;
  }
}

const notices: StatusNotice[] = [
  { param: "invited", message: "circle.notice.invited" },
  { param: "resent", message: "circle.notice.resent" },
  { param: "cancelled", message: "circle.notice.cancelled" },
  { param: "revoked", message: "circle.notice.revoked" },
  { param: "changed", message: "circle.notice.changed" },
  { param: "sharedEarlier", message: "circle.notice.sharedEarlier" },
  { param: "mail", message: "circle.notice.mailFailed", tone: "error" },
];

export default function PatientCircle() {
  const t = useT();
  const locale = useFormatLocale();
  const { circle, ending } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (ending) return <EndSharingPage member={ending} error={actionData?.error} />;
  return (
    <div className="page">
      <h1>{t("circle.title")}</h1>
      <StatusNotices notices={notices} />
      {actionData?.error ? (
        <p className="notice notice--error" role="alert">
          {t(actionData.error)}
        </p>
      ) : null}
      <p className="lead">{t("circle.lead")}</p>
      <p className="actions">
        <Link className="button" to="/patient/circle/invite">
          {t("circle.invite.title")}
        </Link>
        <Link to="/patient/disclosures">{t("disclosures.title")}</Link>
      </p>
      {circle.length === 0 ? <p>{t("circle.empty")}</p> : null}
      <ul className="list" aria-label={t("circle.title")}>
        {circle.map((member) => (
          <li key={member.id}>
            <strong>{member.name}</strong> <LinkStatusBadge status={member.status} invitationExpired={member.invitationExpired} />
            <p className="meta">
              {t(`relationship.${member.relationship}`)} ·{" "}
              {member.categories.map((category) => t(`category.${category}.title`)).join(", ")} ·{" "}
              {member.expiryKind === "date" && member.expiresOn
                ? t("circle.until", { date: formatCalendarDate(locale, member.expiresOn) })
                : t("circle.untilEpisodeEnd")}
            </p>
            {member.status === "accepted" ? <p>{t("circle.awaitingTherapist")}</p> : null}
            {member.status === "refused" ? (
              <p>
                {member.safetyConcern
                  ? t("circle.refusedSafety")
                  : t("circle.refusedBecause", { reason: member.refusalReason ?? "" })}
              </p>
            ) : null}
            <div className="card-actions">
              <Link to={`/patient/circle/${member.id}`} className="button button--secondary">
                {t("circle.details")}
                <span className="visually-hidden"> {member.name}</span>
              </Link>
              {member.status === "invited" ? (
                <Form method="post" className="card-actions__form">
                  <input type="hidden" name="linkId" value={member.id} />
                  <button type="submit" name="intent" value="resend" className="button button--secondary">
                    {t("circle.resend")}
                    <span className="visually-hidden"> {member.name}</span>
                  </button>
                  <button type="submit" name="intent" value="cancel" className="button button--secondary">
                    {t("circle.cancel")}
                    <span className="visually-hidden"> {member.name}</span>
                  </button>
                </Form>
              ) : null}
              {endable(member.status) ? <EndSharing member={member} /> : null}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Ending sharing, behind its confirmation: a page of its own, or a dialog with JavaScript. */
function EndSharing({ member }: { member: { id: string; name: string } }) {
  const t = useT();
  const confirmation = useEndSharingConfirmation(member);
  return (
    <ConfirmTrigger
      label={
        <>
          {t("circle.revoke")}
          <span className="visually-hidden"> {member.name}</span>
        </>
      }
      to={endSharingPath(member.id)}
      confirmation={confirmation}
    />
  );
}

function EndSharingPage({ member, error }: { member: { id: string; name: string }; error?: MessageKey }) {
  const confirmation = useEndSharingConfirmation(member, error);
  return <ConfirmationPage confirmation={confirmation} cancelTo="/patient/circle" />;
}
