import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { LinkStatusBadge } from "~/components/circle";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { handleDecision } from "~/forms/decision.server";
import { useFormatLocale, useT, type MessageKey } from "~/i18n/i18n";
import { careTeamPatientCircle } from "~/models/care-circle.server";
import { supportPlan } from "~/models/support-plan.server";
import { careTeamTrendEntries } from "~/models/check-in.server";
import { trendSince, weeklyTrend } from "~/models/trends";
import { TrendChart } from "~/components/trend-chart";
import { requireCareTeamAccess } from "~/policy.server";
import { ConfirmationPage, ConfirmTrigger } from "~/components/confirm";
import { useEndEpisodeConfirmation } from "~/components/episode-confirmations";
import { handleEndEpisode } from "~/forms/episode.server";
import { readForm } from "~/utils/form.server";
import { formatCalendarDate } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.patient");

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { access } = await requireCareTeamAccess(args, "caseload:patient", args.params.patientId);
  return {
    patientId: access.patientId,
    patientName: access.patientName,
    confirming: new URL(args.request.url).searchParams.get("confirm") === "end-episode",
    plan: await supportPlan(db, access.patientId),
    trend: weeklyTrend(await careTeamTrendEntries(db, access, trendSince()), access.timeZone),
    circle: (await careTeamPatientCircle(db, access)).map(({ link, consent }) => ({
      id: link.id,
      name: link.invitedName,
      relationship: link.relationship,
      status: link.status,
      refusalReason: link.refusalReason,
      safetyConcern: link.safetyConcern,
      safetyNote: link.safetyNote,
      categories: consent.categories,
      consentVersion: consent.version,
      expiryKind: consent.expiryKind,
      expiresOn: consent.expiresOn,
    })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const formData = await readForm(args.request.clone());
  if (formData.get("intent") === "end-episode") {
    const { session, access } = await requireCareTeamAccess(args, "episode:manage", args.params.patientId);
    return handleEndEpisode(args.context, session, formData, access.patientId, "/therapist");
  }
  const { session } = await requireCareTeamAccess(args, "caseload:patient", args.params.patientId);
  return handleDecision(args.request, args.context, session, `/therapist/patients/${args.params.patientId}`);
}

const notices: StatusNotice[] = [{ param: "decided", message: "approvals.notice.decided" }];

export default function TherapistPatient() {
  const t = useT();
  const locale = useFormatLocale();
  const { patientId, patientName, confirming, circle, plan, trend } = useLoaderData<typeof loader>();
  const gaps = plan.filter((item) => item.isGap).length;
  const actionData = useActionData<{ linkId: string; error: MessageKey } | { reasonError: string }>();
  const endConfirmation = useEndEpisodeConfirmation(
    { id: patientId, name: patientName },
    "?confirm=end-episode",
    actionData && "reasonError" in actionData ? actionData.reasonError : undefined,
  );
  if (confirming) return <ConfirmationPage confirmation={endConfirmation} cancelTo="." />;
  return (
    <div className="page">
      <p>
        <Link to="/therapist">{t("nav.therapist.caseload")}</Link>
      </p>
      <h1>{patientName}</h1>
      <StatusNotices notices={notices} />
      <p>
        <Link to="learning">{t("therapist.patient.learning")}</Link>
      </p>
      <p>
        <Link to="family-sessions">{t("therapist.patient.familySessions")}</Link>
      </p>
      <div className="actions">
        <ConfirmTrigger label={t("episode.end.button")} to="?confirm=end-episode" confirmation={endConfirmation} />
      </div>
      <h2>{t("therapist.patient.circle")}</h2>
      {circle.length === 0 ? <p>{t("therapist.patient.noCircle")}</p> : null}
      <ul className="list" aria-label={t("therapist.patient.circle")}>
        {circle.map((member) => {
          const error = actionData && "linkId" in actionData && actionData.linkId === member.id ? actionData.error : null;
          return (
            <li key={member.id}>
              <strong>{member.name}</strong> <LinkStatusBadge status={member.status} />
              <p className="meta">
                {t(`relationship.${member.relationship}`)} · {member.categories.map((c) => t(`category.${c}.title`)).join(", ")} ·{" "}
                {t("circle.consents.version", { version: member.consentVersion })} ·{" "}
                {member.expiryKind === "date" && member.expiresOn
                  ? t("circle.until", { date: formatCalendarDate(locale, member.expiresOn) })
                  : t("approvals.untilEpisodeEnd")}
              </p>
              {member.refusalReason ? <p>{t("therapist.patient.refusalReason", { reason: member.refusalReason })}</p> : null}
              {member.safetyConcern ? (
                <p className="notice notice--error">{t("therapist.patient.safetyNote", { note: member.safetyNote ?? "" })}</p>
              ) : null}
              {member.status === "active" || member.status === "accepted" ? (
                <details open={Boolean(error)}>
                  <summary>{t("therapist.patient.end")}</summary>
                  <Form method="post" className="stack">
                    <input type="hidden" name="linkId" value={member.id} />
                    <div className="field">
                      <label htmlFor={`end-reason-${member.id}`}>{t("therapist.patient.endReason")}</label>
                      <textarea
                        id={`end-reason-${member.id}`}
                        name="reason"
                        maxLength={1000}
                        aria-invalid={error ? true : undefined}
                        aria-describedby={error ? `end-error-${member.id}` : undefined}
                      />
                      {error ? (
                        <p className="error" id={`end-error-${member.id}`}>
                          {t(error)}
                        </p>
                      ) : null}
                    </div>
                    <label className="choice">
                      <input type="checkbox" name="safety" />
                      <span>{t("therapist.patient.endAsSafety")}</span>
                    </label>
                    <div className="actions">
                      <button type="submit" name="intent" value="end" className="button button--danger">
                        {t("therapist.patient.endSubmit")}
                        <span className="visually-hidden"> {member.name}</span>
                      </button>
                    </div>
                  </Form>
                </details>
              ) : null}
            </li>
          );
        })}
      </ul>
      <TrendChart weeks={trend} />
      <h2>{t("plan.careTeam.heading")}</h2>
      {plan.length === 0 ? <p>{t("plan.careTeam.empty")}</p> : null}
      {gaps > 0 ? <p className="notice notice--error">{t("plan.careTeam.gaps", { count: gaps })}</p> : null}
      <ul className="list" aria-label={t("plan.careTeam.heading")}>
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
          </li>
        ))}
      </ul>
    </div>
  );
}
