import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Part2Notice } from "~/components/circle";
import { SupporterSessions } from "~/components/supporter-lists";
import { sessionAnswerSchema } from "~/forms/family-session.server";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { useT } from "~/i18n/i18n";
import { answerFamilySession, supporterFamilySessions } from "~/models/family-sessions.server";
import { getProgram } from "~/models/program.server";
import { actorOf, notFound, requirePermission } from "~/policy.server";
import { readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.meetings");

/** The meetings the supporter is invited to through links still live; each showing is logged. */
export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "circle:support");
  return {
    timeZone: (await getProgram(db, user.programId))?.timeZone ?? "UTC",
    sessions: await supporterFamilySessions(db, user),
  };
}

export async function action(args: ActionFunctionArgs) {
  const session = await requirePermission(args, "circle:support");
  const parsed = sessionAnswerSchema.safeParse(Object.fromEntries(await readForm(args.request)));
  if (!parsed.success) throw notFound();
  const answered = await answerFamilySession(
    args.context.db,
    session.user,
    actorOf(session, args.context),
    parsed.data.sessionId,
    parsed.data.answer,
  );
  if (!answered) throw notFound();
  return redirect(`/supporter/family-sessions?${parsed.data.answer}=1`);
}

const notices: StatusNotice[] = [
  { param: "accepted", message: "familySessions.notice.accepted" },
  { param: "declined", message: "familySessions.notice.declined" },
];

export default function SupporterFamilySessions() {
  const t = useT();
  const { timeZone, sessions } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("familySessions.supporter.title")}</h1>
      <StatusNotices notices={notices} />
      {sessions.length === 0 ? (
        <p>{t("familySessions.supporter.none")}</p>
      ) : (
        <SupporterSessions sessions={sessions} timeZone={timeZone} answerable />
      )}
      <p>
        <Link to="/account/calendar">{t("calendarFeed.title")}</Link>
      </p>
      {sessions.length > 0 ? <Part2Notice /> : null}
    </div>
  );
}
