import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { ProgramWeekLabel } from "~/components/program-week";
import { useT, type MessageKey } from "~/i18n/i18n";
import { approvalQueue } from "~/models/care-circle.server";
import { caseload } from "~/models/episode.server";
import { requirePermission } from "~/policy.server";

export const meta: MetaFunction = () => [{ title: "Caseload · Care Circle" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "therapist:home");
  return {
    name: user.name,
    patients: await caseload(db, user.id, user.programId),
    waiting: (await approvalQueue(db, user)).length,
  };
}

const notices: StatusNotice[] = [
  { param: "enrolled", message: "admin.notice.enrolled" },
  { param: "episodeEnded", message: "admin.notice.episodeEnded" },
  { param: "mail", message: "notice.mailFailed", tone: "error" },
];

export default function TherapistHome() {
  const t = useT();
  const { patients, waiting } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("therapist.caseload.title")}</h1>
      <StatusNotices notices={notices} />
      {waiting > 0 ? (
        <p className="notice">
          <Link to="/therapist/approvals">{t("therapist.approvalsWaiting", { count: waiting })}</Link>
        </p>
      ) : null}
      <p>
        <Link className="button" to="/therapist/patients/new">
          {t("nav.therapist.enrol")}
        </Link>
      </p>
      {patients.length === 0 ? (
        <p>{t("therapist.caseload.empty")}</p>
      ) : (
        <ul className="list" aria-label={t("therapist.caseload.title")}>
          {patients.map((patient) => (
            <li key={patient.patientId}>
              <Link to={`/therapist/patients/${patient.patientId}`}>
                <strong>{patient.name}</strong>
              </Link>{" "}
              {patient.status === "active" ? null : <span className="badge">{t(`status.${patient.status}` as MessageKey)}</span>}
              <p className="meta">
                <ProgramWeekLabel week={patient.week} />
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
