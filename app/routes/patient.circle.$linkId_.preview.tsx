import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SupporterCircleSections } from "~/components/supporter-circle";
import { SupporterAsks, SupporterCheckIn, SupporterSessions } from "~/components/supporter-lists";
import { useT } from "~/i18n/i18n";
import { narrow, previewAccess } from "~/models/access.server";
import { supporterFeed } from "~/models/check-in.server";
import { findPatientLink } from "~/models/circle-link.server";
import { familySessionsUnder } from "~/models/family-sessions.server";
import { asksOfSupporter } from "~/models/support-plan.server";
import { supporterCircleView } from "~/models/supporter-view.server";
import { notFound, requirePermission } from "~/policy.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.whatYourSupporterSees");

/**
 * "See what Dana sees": the supporter's pages about the patient, built by the same functions from an
 * access the access module makes with that supporter's live consent, marked as a preview so that
 * nothing shown is written down as a disclosure (it is the patient's own data, shown to them).
 */
export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "circle:own");
  const linkId = args.params.linkId ?? "";
  const link = await findPatientLink(db, user.id, linkId);
  const access = link ? await previewAccess(db, user, link.id) : null;
  if (!link || !access) throw notFound();
  const progress = narrow(access, "progress");
  const updates = progress ? await supporterFeed(db, [progress]) : null;
  return {
    linkId: access.linkId,
    supporterName: link.invitedName,
    timeZone: access.timeZone,
    circle: await supporterCircleView(db, access),
    updates: updates
      ? {
          entries: updates.entries.map((entry) => ({ ...entry, createdAt: entry.createdAt.getTime() })),
          more: Boolean(updates.next),
        }
      : null,
    asks: await asksOfSupporter(db, [access]),
    sessions: await familySessionsUnder(db, [access]),
  };
}

export default function SupporterPreview() {
  const t = useT();
  const { linkId, supporterName: name, timeZone, circle, updates, asks, sessions } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p>
        <Link to={`/patient/circle/${linkId}`}>{t("circle.preview.back", { name })}</Link>
      </p>
      <h1>{t("circle.preview.title", { name })}</h1>
      <p className="notice" role="note">
        {t("circle.preview.notice", { name })}
      </p>

      <section aria-labelledby="preview-circle" className="preview">
        <h2 id="preview-circle">{t("circle.preview.circlePage", { name })}</h2>
        <SupporterCircleSections view={circle} sectionLevel={3} updatesHref="#preview-updates" />
      </section>

      <section aria-labelledby="preview-updates" className="preview">
        <h2 id="preview-updates">{t("circle.preview.updates")}</h2>
        {!updates ? (
          <p>{t("circle.preview.noCheckInsShared", { name })}</p>
        ) : updates.entries.length === 0 ? (
          <p>{t("feed.waitingFor", { name: circle.patientName })}</p>
        ) : (
          <ul className="list" aria-label={t("circle.preview.updates")}>
            {updates.entries.map((entry) => (
              <li key={entry.id}>
                <SupporterCheckIn entry={entry} timeZone={timeZone} />
              </li>
            ))}
          </ul>
        )}
        {updates?.more ? <p>{t("circle.preview.moreUpdates", { name })}</p> : null}
      </section>

      <section aria-labelledby="preview-plan" className="preview">
        <h2 id="preview-plan">{t("circle.preview.supportPlan")}</h2>
        {asks.length === 0 ? <p>{t("plan.supporter.empty")}</p> : <SupporterAsks asks={asks} answerable={false} />}
      </section>

      <section aria-labelledby="preview-sessions" className="preview">
        <h2 id="preview-sessions">{t("circle.preview.familySessions")}</h2>
        {sessions.length === 0 ? (
          <p>{t("familySessions.supporter.none")}</p>
        ) : (
          <SupporterSessions sessions={sessions} timeZone={timeZone} answerable={false} headingLevel={3} />
        )}
      </section>
    </div>
  );
}
