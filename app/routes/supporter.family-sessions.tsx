import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Part2Notice } from "~/components/circle";
import { FamilySessionWhen } from "~/components/family-session";
import { sessionAnswerSchema } from "~/forms/family-session.server";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { useT } from "~/i18n/i18n";
import { answerFamilySession, supporterFamilySessions } from "~/models/family-sessions.server";
import { getProgram } from "~/models/program.server";
import { actorOf, notFound, requirePermission } from "~/policy.server";
import { readForm } from "~/utils/form.server";

export const meta: MetaFunction = () => [{ title: "Meetings · Care Circle" }];

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
        <ul className="list">
          {sessions.map((session) => (
            <li key={`${session.id}-${session.linkId}`}>
              <h2>{t("familySessions.supporter.meetingFor", { patient: session.patientName })}</h2>
              <FamilySessionWhen session={session} timeZone={timeZone} />
              {session.status === "scheduled" ? (
                <>
                  <p>{t("familySessions.supporter.yourAnswer", { answer: t(`familySessions.response.${session.response}`) })}</p>
                  <Form method="post" className="actions">
                    <input type="hidden" name="sessionId" value={session.id} />
                    <button type="submit" name="answer" value="accepted" className="button">
                      {t("familySessions.supporter.accept")}
                    </button>
                    <button type="submit" name="answer" value="declined" className="button button--secondary">
                      {t("familySessions.supporter.decline")}
                    </button>
                  </Form>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to="/account/calendar">{t("calendarFeed.title")}</Link>
      </p>
      {sessions.length > 0 ? <Part2Notice /> : null}
    </div>
  );
}
