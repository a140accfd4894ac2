import { getFormProps, getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { ProgramWeekLabel } from "~/components/program-week";
import { FieldError, SelectField, TextField } from "~/components/form";
import { useSchemaForm } from "~/components/schema-form";
import { caseloadFilterSchema } from "~/forms/caseload-filter";
import { pageNumber } from "~/utils/cursor.server";
import { useFormatLocale, useT, type MessageKey } from "~/i18n/i18n";
import { caseload, filterCaseload, type CaseloadPatient } from "~/models/caseload.server";
import { getProgram } from "~/models/program.server";
import { requirePermission } from "~/policy.server";
import { formatInstant } from "~/utils/dates";
import { attentionReasons, type AttentionReason } from "~/vocabulary";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.caseload");

const pageSize = 25;
const filterKeys = ["name", "attention", "reason"] as const;

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "therapist:home");
  const url = new URL(args.request.url);
  const submission = parseWithZod(url.searchParams, { schema: caseloadFilterSchema });
  const everyone = await caseload(db, user);
  // A wrong filter shows its message at the field and the whole caseload, never a list filtered otherwise than asked.
  const filter = submission.status === "success" ? submission.value : {};
  const kept = filterCaseload(everyone, { ...filter, attention: filter.attention === "on" });
  const pages = Math.max(1, Math.ceil(kept.length / pageSize));
  const page = Math.min(pageNumber.parse(url.searchParams.get("page") ?? undefined), pages);
  const query = new URLSearchParams();
  for (const key of filterKeys) {
    const value = submission.status === "success" ? submission.value[key] : undefined;
    if (value) query.set(key, value);
  }
  return {
    timeZone: (await getProgram(db, user.programId))?.timeZone ?? "UTC",
    total: everyone.length,
    matching: kept.length,
    needingAttention: everyone.filter((row) => row.reasons.length > 0).length,
    patients: kept.slice((page - 1) * pageSize, page * pageSize),
    page,
    pages,
    query: query.toString(),
    values: Object.fromEntries(filterKeys.map((key) => [key, url.searchParams.get(key) ?? ""])),
    result: submission.status === "success" ? null : submission.reply(),
    // The caseload already counts each patient's requests waiting for this therapist.
    waiting: everyone.reduce((sum, row) => sum + row.pendingApprovals, 0),
  };
}

const notices: StatusNotice[] = [
  { param: "enrolled", message: "admin.notice.enrolled" },
  { param: "episodeEnded", message: "admin.notice.episodeEnded" },
  { param: "mail", message: "notice.mailFailed", tone: "error" },
];

/** Where the therapist acts on each reason. */
const reasonTarget: Record<AttentionReason, (patientId: string) => string> = {
  missed_session: (patientId) => `/therapist/patients/${patientId}`,
  craving_rise: () => "/therapist/check-ins",
  slip: () => "/therapist/check-ins",
  overdue_module: (patientId) => `/therapist/patients/${patientId}/learning`,
  pending_approval: () => "/therapist/approvals",
};

function reasonCount(patient: CaseloadPatient, reason: AttentionReason) {
  if (reason === "missed_session") return patient.attendance.missed;
  if (reason === "overdue_module") return patient.education.overdue;
  if (reason === "pending_approval") return patient.pendingApprovals;
  return 1;
}

function CaseloadFilter({ values, result }: Pick<ReturnType<typeof useLoaderData<typeof loader>>, "values" | "result">) {
  const t = useT();
  const [form, fields] = useSchemaForm(caseloadFilterSchema, {
    lastResult: result,
    defaultValue: values,
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="get" className="stack filters" aria-label={t("caseload.filter.title")} {...getFormProps(form)}>
      <TextField field={fields.name} label={t("caseload.filter.name")} />
      <SelectField field={fields.reason} label={t("caseload.filter.reason")}>
        <option value="">{t("caseload.filter.reason.any")}</option>
        {attentionReasons.map((reason) => (
          <option key={reason} value={reason}>
            {t(`caseload.reason.${reason}.option`)}
          </option>
        ))}
      </SelectField>
      <div className="field">
        <label className="choice">
          <input {...getInputProps(fields.attention, { type: "checkbox" })} />
          <span>{t("caseload.filter.attention")}</span>
        </label>
        <FieldError field={fields.attention} />
      </div>
      <div className="actions">
        <button type="submit" className="button">
          {t("caseload.filter.submit")}
        </button>
        <Link to="/therapist">{t("caseload.filter.clear")}</Link>
      </div>
    </Form>
  );
}

function PatientCard({ patient, timeZone }: { patient: CaseloadPatient; timeZone: string }) {
  const t = useT();
  const locale = useFormatLocale();
  const { attendance, lastCheckIn, education } = patient;
  return (
    <article aria-labelledby={`patient-${patient.patientId}`}>
      <h2 id={`patient-${patient.patientId}`} className="card-title">
        <Link to={`/therapist/patients/${patient.patientId}`}>{patient.name}</Link>{" "}
        {patient.status === "active" ? null : <span className="badge">{t(`status.${patient.status}` as MessageKey)}</span>}
      </h2>
      <p className="meta">
        <ProgramWeekLabel week={patient.week} kind={patient.kind} />
      </p>
      {patient.reasons.length > 0 ? (
        <div className="attention">
          <p className="attention__title">
            <strong>{t("caseload.needsAttention")}</strong>
          </p>
          <ul>
            {patient.reasons.map((reason) => (
              <li key={reason}>
                <Link to={reasonTarget[reason](patient.patientId)}>
                  {t(`caseload.reason.${reason}`, { count: reasonCount(patient, reason), craving: lastCheckIn?.craving ?? 0 })}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <dl className="facts">
        <div>
          <dt>{t("caseload.attendance")}</dt>
          <dd>
            {attendance.scheduled === 0
              ? t("caseload.attendance.none")
              : t("caseload.attendance.value", { attended: attendance.attended, count: attendance.scheduled })}
          </dd>
        </div>
        <div>
          <dt>{t("caseload.lastCheckIn")}</dt>
          <dd>
            {lastCheckIn === null
              ? t("caseload.lastCheckIn.none")
              : [
                  lastCheckIn.kind === "slip" ? t("caseload.lastCheckIn.slip") : null,
                  lastCheckIn.mood === null ? null : t("caseload.lastCheckIn.mood", { mood: lastCheckIn.mood }),
                  lastCheckIn.craving === null ? null : t("caseload.lastCheckIn.craving", { craving: lastCheckIn.craving }),
                  formatInstant(locale, timeZone, lastCheckIn.at),
                ]
                  .filter(Boolean)
                  .join(" · ")}
          </dd>
        </div>
        <div>
          <dt>{t("caseload.approvals")}</dt>
          <dd>{t("caseload.approvals.value", { count: patient.pendingApprovals })}</dd>
        </div>
        <div>
          <dt>{t("caseload.circle")}</dt>
          <dd>{t("caseload.circle.value", { count: patient.circleSize })}</dd>
        </div>
        <div>
          <dt>{t("caseload.education")}</dt>
          <dd>
            {education.assigned === 0
              ? t("caseload.education.none")
              : t("caseload.education.value", { completed: education.completed, count: education.assigned })}
          </dd>
        </div>
        <div>
          <dt>{t("caseload.plan")}</dt>
          <dd>{t("caseload.plan.value", { count: patient.planGaps })}</dd>
        </div>
      </dl>
    </article>
  );
}

export default function TherapistHome() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const { patients, waiting, total, matching, needingAttention, page, pages, query, timeZone } = data;
  const pageLink = (to: number) => `?${new URLSearchParams([...new URLSearchParams(query), ["page", String(to)]])}`;
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
      {total === 0 ? (
        <p>{t("therapist.caseload.empty")}</p>
      ) : (
        <>
          <p className="lead">{t("caseload.summary", { count: total, attention: needingAttention })}</p>
          {/* Keyed by the URL so that each filtered view starts from its own values and errors. */}
          <CaseloadFilter key={search} values={data.values} result={data.result} />
          <p role="status">
            {matching === 0
              ? t("caseload.noMatch")
              : t("caseload.showing", {
                  from: (page - 1) * pageSize + 1,
                  to: (page - 1) * pageSize + patients.length,
                  count: matching,
                })}
          </p>
          <ul className="list caseload" aria-label={t("therapist.caseload.title")}>
            {patients.map((patient) => (
              <li key={patient.patientId}>
                <PatientCard patient={patient} timeZone={timeZone} />
              </li>
            ))}
          </ul>
          {pages > 1 ? (
            <nav aria-label={t("pagination.label", { list: t("therapist.caseload.title") })} className="actions">
              {page > 1 ? <Link to={pageLink(page - 1)}>{t("pagination.previous")}</Link> : null}
              <span>{t("caseload.page", { page, pages })}</span>
              {page < pages ? <Link to={pageLink(page + 1)}>{t("pagination.next")}</Link> : null}
            </nav>
          ) : null}
        </>
      )}
    </div>
  );
}
