import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FamilySessionWhen } from "~/components/family-session";
import { ChangeSessionForm } from "~/components/family-session-forms";
import { sessionTimeSchema } from "~/forms/family-session";
import { handleSessionForm } from "~/forms/family-session.server";
import { useT } from "~/i18n/i18n";
import { cancelFamilySession, careTeamSession, changeFamilySession } from "~/models/family-sessions.server";
import { actorOf, notFound, requireCareTeamAccess } from "~/policy.server";
import { calendarDateIn, clockTimeIn } from "~/utils/dates";
import { formText, readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.changeAFamilySession");

/** A scheduled session of the therapist's own patient; anything else answers 404. */
async function requireSession(args: LoaderFunctionArgs) {
  const { session, access } = await requireCareTeamAccess(args, "family-sessions:manage", args.params.patientId);
  const familySession = await careTeamSession(args.context.db, access, args.params.sessionId ?? "");
  if (!familySession || familySession.status !== "scheduled") throw notFound();
  return { session, access, familySession };
}

export async function loader(args: LoaderFunctionArgs) {
  const { access, familySession } = await requireSession(args);
  const { timeZone } = access;
  const endsAt = new Date(familySession.startsAt.getTime() + familySession.durationMinutes * 60_000);
  return {
    patientId: access.patientId,
    patientName: access.patientName,
    timeZone,
    familySession,
    defaultValue: {
      date: calendarDateIn(timeZone, familySession.startsAt),
      startTime: clockTimeIn(timeZone, familySession.startsAt),
      endTime: clockTimeIn(timeZone, endsAt),
      location: familySession.location ?? "",
      videoUrl: familySession.videoUrl ?? "",
    },
  };
}

export async function action(args: ActionFunctionArgs) {
  const { session, access, familySession } = await requireSession(args);
  const { db } = args.context;
  const actor = actorOf(session, args.context);
  const formData = await readForm(args.request);
  const back = `/therapist/patients/${access.patientId}/family-sessions`;
  if (formText(formData, "intent") === "cancel") {
    if (!(await cancelFamilySession(db, access, actor, familySession.id))) throw notFound();
    return redirect(`${back}?cancelled=1`);
  }
  return handleSessionForm(formData, sessionTimeSchema, async (value) => {
    if (!(await changeFamilySession(db, access, actor, familySession.id, value))) throw notFound();
    return redirect(`${back}?changed=1`);
  });
}

export default function ChangeFamilySession() {
  const t = useT();
  const { patientId, patientName, timeZone, familySession, defaultValue } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <div className="page">
        <p>
          <Link to={`/therapist/patients/${patientId}/family-sessions`}>
            {t("familySessions.careTeam.title", { patient: patientName })}
          </Link>
        </p>
        <h1>{t("familySessions.change.title")}</h1>
        <FamilySessionWhen session={familySession} timeZone={timeZone} />
        <ChangeSessionForm
          lastResult={actionData?.result}
          defaultValue={defaultValue}
          submitLabel={t("familySessions.change.submit")}
        />
      </div>
      <div className="page">
        <h2>{t("familySessions.cancel.heading")}</h2>
        <p>{t("familySessions.cancel.body")}</p>
        <Form method="post">
          <button type="submit" name="intent" value="cancel" className="button button--danger">
            {t("familySessions.cancel.submit")}
          </button>
        </Form>
      </div>
    </>
  );
}
