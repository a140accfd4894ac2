import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LinkStatusBadge, Part2Notice, SharingScope } from "~/components/circle";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { useT } from "~/i18n/i18n";
import { supporterCircles } from "~/models/care-circle.server";
import { supporterFamilySessions } from "~/models/family-sessions.server";
import { requirePermission } from "~/policy.server";

export const meta: MetaFunction = () => [{ title: "Home · Care Circle" }];

/**
 * The supporter's circles. Before approval only the patient's name (known to them from the
 * invitation) and what they will see; after the link ends, only that it ended.
 */
export async function loader(args: LoaderFunctionArgs) {
  const { user } = await requirePermission(args, "circle:support");
  const circles = await supporterCircles(args.context.db, user);
  const meetings = await supporterFamilySessions(args.context.db, user);
  return {
    name: user.name,
    unanswered: meetings.filter((meeting) => meeting.status === "scheduled" && meeting.response === "invited").length,
    circles: circles.map((row) => ({
      linkId: row.linkId,
      patientName: row.patientName,
      status: row.status,
      categories: row.categories,
    })),
  };
}

const notices: StatusNotice[] = [
  { param: "accepted", message: "supporter.notice.accepted" },
  { param: "left", message: "supporter.notice.left" },
];

export default function SupporterHome() {
  const t = useT();
  const { name, circles, unanswered } = useLoaderData<typeof loader>();
  const waiting = circles.filter((circle) => circle.status === "accepted");
  const active = circles.filter((circle) => circle.status === "active");
  const ended = circles.filter((circle) => circle.status !== "accepted" && circle.status !== "active");
  return (
    <div className="page">
      <h1>{t("supporter.home.title", { name })}</h1>
      <StatusNotices notices={notices} />
      {unanswered > 0 ? (
        <p className="notice">
          <Link to="/supporter/family-sessions">{t("familySessions.supporter.waiting", { count: unanswered })}</Link>
        </p>
      ) : null}
      {circles.length === 0 ? <p>{t("supporter.home.noCircles")}</p> : null}
      {active.length > 0 ? (
        <section aria-labelledby="active-heading">
          <h2 id="active-heading">{t("supporter.circles.active")}</h2>
          <Part2Notice />
          <ul className="list">
            {active.map((circle) => (
              <li key={circle.linkId}>
                <Link to={`/supporter/circles/${circle.linkId}`}>
                  <strong>{circle.patientName}</strong>
                </Link>
                <p className="meta">{circle.categories.map((category) => t(`category.${category}.title`)).join(", ")}</p>
                <p>
                  <Link to={`/supporter/circles/${circle.linkId}/consent`}>
                    {t("part2.scopeLink")}
                    <span className="visually-hidden"> ({circle.patientName})</span>
                  </Link>
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {waiting.map((circle) => (
        <section key={circle.linkId} aria-labelledby={`waiting-${circle.linkId}`} className="notice">
          <h2 id={`waiting-${circle.linkId}`}>{t("supporter.waiting.title", { patient: circle.patientName })}</h2>
          <p>{t("supporter.waiting.body")}</p>
          <SharingScope categories={circle.categories} headingLevel={3} />
        </section>
      ))}
      {ended.length > 0 ? (
        <section aria-labelledby="ended-heading">
          <h2 id="ended-heading">{t("supporter.circles.ended")}</h2>
          <ul className="list">
            {ended.map((circle) => (
              <li key={circle.linkId}>
                <strong>{circle.patientName}</strong> <LinkStatusBadge status={circle.status} />
                <p className="meta">{t(circle.status === "refused" ? "supporter.ended.refused" : "supporter.ended.body")}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
