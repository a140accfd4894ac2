import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { EnrolPatientForm } from "~/components/enrol-patient-form";
import { enrolmentFormData, handleEnrolPatient } from "~/forms/enrol-patient.server";
import { useT } from "~/i18n/i18n";
import { requirePermission } from "~/policy.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.enrolAPatient");

export async function loader(args: LoaderFunctionArgs) {
  const { user } = await requirePermission(args, "caseload:enrol-patient");
  return { ...(await enrolmentFormData(args.context.db, user)), self: user.id };
}

export async function action(args: ActionFunctionArgs) {
  const session = await requirePermission(args, "caseload:enrol-patient");
  return handleEnrolPatient(args.request, args.context, session, "/therapist");
}

export default function TherapistEnrolPatient() {
  const t = useT();
  const { therapists, today, self } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="page">
      <h1>{t("enrol.title")}</h1>
      <p className="lead">{t("enrol.lead")}</p>
      <EnrolPatientForm
        therapists={therapists}
        defaultTherapistId={self}
        defaultStartDate={today}
        lastResult={actionData?.result}
      />
    </div>
  );
}
