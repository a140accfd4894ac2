import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EndedCircleNotice, LinkStatusBadge, Part2Notice, SharingScope } from "~/components/circle";
import { AssignmentMeta, LearningStatusBadge } from "~/components/learning";
import { WhatIsNew } from "~/components/news";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { handleSeenForm } from "~/forms/news.server";
import { useT } from "~/i18n/i18n";
import { narrow, supporterAccesses } from "~/models/access.server";
import { supporterAssignments } from "~/models/assignments.server";
import { supporterCircles } from "~/models/care-circle.server";
import { familySessionsUnder } from "~/models/family-sessions.server";
import { supporterLines, supporterNews } from "~/models/news.server";
import { getProgram } from "~/models/program.server";
import { requirePermission } from "~/policy.server";
import { calendarDateIn } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";
import { requestLocale } from "~/i18n/locale.server";

export const meta = pageTitle("title.home");

/**
 * What is new for the supporter, the modules asked of them that are not done, and their circles. Before
 * approval only the patient's name (known to them from the invitation) and what they will see; after the
 * link ends, only that it ended.
 */
export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user, person } = await requirePermission(args, "circle:support");
  const accesses = await supporterAccesses(db, user);
  const circles = await supporterCircles(db, user, accesses);
  const { language } = requestLocale(args.request, person);
  const news = await supporterNews(db, user, accesses, language);
  const asked = await supporterAssignments(
    db,
    accesses.flatMap((access) => narrow(access, "education") ?? []),
    language,
  );
  const meetings = await familySessionsUnder(db, accesses);
  const timeZone = (await getProgram(db, user.programId))?.timeZone ?? "UTC";
  return {
    name: user.name,
    timeZone,
    news: { lines: supporterLines(news.items), total: news.total },
    newCheckIns: news.newCheckIns,
    toDo: asked.flatMap((group) =>
      group.assignments
        .filter((assignment) => assignment.status !== "completed")
        .map(({ progress: _progress, ...assignment }) => ({ ...assignment, patientName: group.patientName })),
    ),
    unanswered: meetings.filter((meeting) => meeting.status === "scheduled" && meeting.response === "invited").length,
    circles: circles.map((row) => ({
      linkId: row.linkId,
      patientName: row.patientName,
      status: row.status,
      categories: row.categories,
      endedOn: row.endedAt ? calendarDateIn(timeZone, row.endedAt) : null,
    })),
  };
}

const notices: StatusNotice[] = [
  { param: "accepted", message: "supporter.notice.accepted" },
  { param: "left", message: "supporter.notice.left" },
];

export async function action(args: ActionFunctionArgs) {
  const { user } = await requirePermission(args, "circle:support");
  return handleSeenForm(args.context.db, user.id, args.request, "/supporter");
}

export default function SupporterHome() {
  const t = useT();
  const { name, circles, unanswered, news, newCheckIns, toDo, timeZone } = useLoaderData<typeof loader>();
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
      {circles.length === 0 ? (
        <p>{t("supporter.home.noCircles")}</p>
      ) : (
        <WhatIsNew lines={news.lines} total={news.total} timeZone={timeZone} audience="supporter" />
      )}
      {toDo.length > 0 ? (
        <section aria-labelledby="to-do-heading">
          <h2 id="to-do-heading">{t("supporter.home.toDo")}</h2>
          <ul className="list">
            {toDo.map((assignment) => (
              <li key={assignment.id}>
                <Link to={`/supporter/learning/${assignment.slug}`}>
                  <strong>{assignment.title}</strong>
                </Link>{" "}
                <LearningStatusBadge status={assignment.status} />
                <p className="meta">{t("supporter.home.toDoFor", { name: assignment.patientName })}</p>
                <AssignmentMeta assignment={assignment} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {active.length > 0 ? (
        <section aria-labelledby="active-heading">
          <h2 id="active-heading">{t("supporter.circles.active")}</h2>
          <ul className="list">
            {active.map((circle) => (
              <li key={circle.linkId}>
                <Link to={`/supporter/circles/${circle.linkId}`}>
                  <strong>{circle.patientName}</strong>
                </Link>
                {newCheckIns[circle.linkId] ? (
                  <>
                    {" "}
                    <span className="badge">{t("supporter.home.newCheckIns", { count: newCheckIns[circle.linkId] })}</span>
                  </>
                ) : null}
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
          <Part2Notice />
        </section>
      ) : null}
      {waiting.map((circle) => (
        <section key={circle.linkId} aria-labelledby={`waiting-${circle.linkId}`} className="notice">
          <h2 id={`waiting-${circle.linkId}`}>{t("supporter.waiting.title", { patient: circle.patientName })}</h2>
          <p>{t("supporter.waiting.body")}</p>
          <SharingScope categories={circle.categories} patientName={circle.patientName} headingLevel={3} />
        </section>
      ))}
      {ended.length > 0 ? (
        <section aria-labelledby="ended-heading">
          <h2 id="ended-heading">{t("supporter.circles.ended")}</h2>
          <ul className="list">
            {ended.map((circle) => (
              <li key={circle.linkId}>
                <strong>{circle.patientName}</strong> <LinkStatusBadge status={circle.status} />
                {circle.endedOn ? (
                  <EndedCircleNotice patientName={circle.patientName} endedOn={circle.endedOn} />
                ) : (
                  <p className="meta">{t(circle.status === "refused" ? "supporter.ended.refused" : "supporter.ended.body")}</p>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
