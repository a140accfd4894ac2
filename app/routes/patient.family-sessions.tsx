import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FamilySessionWhen, InviteeAnswers } from "~/components/family-session";
import { useT } from "~/i18n/i18n";
import { patientFamilySessions } from "~/models/family-sessions.server";
import { getProgram } from "~/models/program.server";
import { requirePermission } from "~/policy.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.familySessions");

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "schedule:own");
  return {
    timeZone: (await getProgram(db, user.programId))?.timeZone ?? "UTC",
    sessions: await patientFamilySessions(db, user),
  };
}

/** The patient's coming family sessions and who of their circle is coming. */
export default function PatientFamilySessions() {
  const t = useT();
  const { timeZone, sessions } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("familySessions.patient.title")}</h1>
      <p>{t("familySessions.patient.lead")}</p>
      {sessions.length === 0 ? (
        <p>{t("familySessions.none")}</p>
      ) : (
        <ul className="list">
          {sessions.map((session) => (
            <li key={session.id}>
              <FamilySessionWhen session={session} timeZone={timeZone} />
              <p>{t("familySessions.whoIsComing")}</p>
              <InviteeAnswers invitees={session.invitees} />
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to="/account/calendar">{t("calendarFeed.title")}</Link>
      </p>
    </div>
  );
}
