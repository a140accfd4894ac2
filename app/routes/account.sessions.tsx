import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { readForm } from "~/utils/form.server";
import { Form, useLoaderData } from "@remix-run/react";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { useFormatLocale, useT } from "~/i18n/i18n";
import { recordAudit } from "~/models/audit.server";
import { getProgram } from "~/models/program.server";
import { notFound, requirePermission } from "~/policy.server";
import { clearSessionCookie, endAllSessions, endOtherSessions, endOwnSession, listSessions } from "~/session.server";
import { describeUserAgent } from "~/utils/user-agent";
import { formatInstant } from "~/utils/dates";
import { sessionActionSchema } from "~/forms/account.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.yourSessions");

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const session = await requirePermission(args, "account:manage");
  const program = await getProgram(db, session.user.programId);
  return {
    timeZone: program?.timeZone ?? "UTC",
    sessions: (await listSessions(db, session.person.id, session.id)).map((row) => ({
      ...row,
      device: describeUserAgent(row.userAgent),
    })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { request, context } = args;
  const { db } = context;
  const session = await requirePermission(args, "account:manage");
  const parsed = sessionActionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ error: "sessions.badRequest" }, { status: 400 });
  const audit = (targetId?: string) =>
    recordAudit(db, {
      action: "auth.session_ended",
      outcome: "success",
      programId: session.user.programId,
      actorUserId: session.user.id,
      targetType: "session",
      targetId,
      ipAddress: context.clientAddress,
    });
  switch (parsed.data.intent) {
    case "end-one": {
      if (!(await endOwnSession(db, session.person.id, parsed.data.sessionId))) throw notFound();
      await audit(parsed.data.sessionId.slice(0, 12));
      if (parsed.data.sessionId === session.id) {
        return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie(request) } });
      }
      return redirect("/account/sessions?ended=1");
    }
    case "end-others":
      await endOtherSessions(db, session.person.id, session.id);
      await audit();
      return redirect("/account/sessions?ended=1");
    case "end-all":
      await endAllSessions(db, session.person.id);
      await audit();
      return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie(request) } });
  }
}

const notices: StatusNotice[] = [
  { param: "changed", message: "sessions.passwordChanged" },
  { param: "ended", message: "sessions.ended" },
];

export default function Sessions() {
  const t = useT();
  const locale = useFormatLocale();
  const { sessions, timeZone } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("sessions.title")}</h1>
      <StatusNotices notices={notices} />
      <p className="lead">{t("sessions.lead")}</p>
      <ul className="list">
        {sessions.map((row) => (
          <li key={row.id}>
            <strong>{row.device ?? t("sessions.unknownDevice")}</strong>{" "}
            {row.current ? <span className="badge badge--ok">{t("sessions.thisDevice")}</span> : null}
            <p className="meta">
              {t("sessions.started", { when: formatInstant(locale, timeZone, row.createdAt) })} ·{" "}
              {t("sessions.lastActive", { when: formatInstant(locale, timeZone, row.lastSeenAt) })}
            </p>
            <Form method="post">
              <input type="hidden" name="sessionId" value={row.id} />
              <button type="submit" name="intent" value="end-one" className="button button--secondary">
                {row.current ? t("sessions.signOutHere") : t("sessions.endThis")}
              </button>
            </Form>
          </li>
        ))}
      </ul>
      <div className="actions">
        <Form method="post">
          <button type="submit" name="intent" value="end-others" className="button button--secondary">
            {t("sessions.endOthers")}
          </button>
        </Form>
        <Form method="post">
          <button type="submit" name="intent" value="end-all" className="button button--danger">
            {t("sessions.endAll")}
          </button>
        </Form>
      </div>
    </div>
  );
}
