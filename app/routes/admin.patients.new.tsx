import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { EnrolPatientForm } from "~/components/enrol-patient-form";
import { enrolmentFormData, handleEnrolPatient } from "~/forms/enrol-patient.server";
import { useT } from "~/i18n/i18n";
import { requirePermission } from "~/policy.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.enrolAPatient");

export async function loader(args: LoaderFunctionArgs) {
  const { user } = await requirePermission(args, "program:enrol-patient");
  return enrolmentFormData(args.context.db, user);
}

export async function action(args: ActionFunctionArgs) {
  const session = await requirePermission(args, "program:enrol-patient");
  return handleEnrolPatient(args.request, args.context, session, "/admin");
}

export default function AdminEnrolPatient() {
  const t = useT();
  const { therapists, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="page">
      <h1>{t("enrol.title")}</h1>
      <p className="lead">{t("enrol.lead")}</p>
      {therapists.length === 0 ? (
        <p className="notice">
          {t("enrol.noTherapists")} <Link to="/admin/therapists/new">{t("admin.addTherapist")}</Link>
        </p>
      ) : null}
      <EnrolPatientForm therapists={therapists} defaultStartDate={today} lastResult={actionData?.result} />
    </div>
  );
}
