import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ConfirmationPage, ConfirmTrigger } from "~/components/confirm";
import { useEndEpisodeConfirmation } from "~/components/episode-confirmations";
import { SelectField, TextField } from "~/components/form";
import { PeopleOptions } from "~/components/people-options";
import { useSchemaForm } from "~/components/schema-form";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { reassignSchema, startEpisodeSchema } from "~/forms/episode";
import { handleEndEpisode } from "~/forms/episode.server";
import { useFormatLocale, useT } from "~/i18n/i18n";
import {
  EpisodeRuleError,
  listAssignableTherapists,
  patientEpisodes,
  programPatient,
  reassignPrimaryTherapist,
  startEpisode,
} from "~/models/episode.server";
import { getProgram } from "~/models/program.server";
import { actorOf, notFound, requirePermission } from "~/policy.server";
import { calendarDateIn, formatCalendarDate } from "~/utils/dates";
import { readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.episodes");

/** The admin's page for one patient of the program: their episodes, the primary therapist, the next episode. */
export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "episode:manage");
  if (user.role !== "admin") throw notFound();
  const patient = await programPatient(db, user.programId, args.params.patientId ?? "");
  if (!patient) throw notFound();
  const episodes = await patientEpisodes(db, user.programId, patient.id);
  const open = episodes.find((episode) => episode.endedAt === null) ?? null;
  return {
    patient,
    episodes,
    open,
    therapists: await listAssignableTherapists(db, user.programId),
    today: calendarDateIn((await getProgram(db, user.programId))?.timeZone ?? "UTC"),
    confirming: open !== null && new URL(args.request.url).searchParams.get("confirm") === "end-episode",
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db } = args.context;
  const session = await requirePermission(args, "episode:manage");
  if (session.user.role !== "admin") throw notFound();
  const patient = await programPatient(db, session.user.programId, args.params.patientId ?? "");
  if (!patient) throw notFound();
  const formData = await readForm(args.request);
  const intent = formData.get("intent");
  const back = `/admin/patients/${patient.id}`;
  if (intent === "end-episode") return handleEndEpisode(args.context, session, formData, patient.id, back);
  const actor = actorOf(session, args.context);
  if (intent === "start") {
    const submission = parseWithZod(formData, { schema: startEpisodeSchema });
    if (submission.status !== "success") return data({ intent, result: submission.reply() }, { status: 400 });
    try {
      if (!(await startEpisode(db, actor, patient.id, submission.value))) throw notFound();
    } catch (error) {
      if (!(error instanceof EpisodeRuleError)) throw error;
      return data({ intent, result: submission.reply({ fieldErrors: { [error.field]: [error.messageKey] } }) }, { status: 400 });
    }
    return redirect(`${back}?started=1`);
  }
  if (intent === "reassign") {
    const submission = parseWithZod(formData, { schema: reassignSchema });
    if (submission.status !== "success") return data({ intent, result: submission.reply() }, { status: 400 });
    try {
      if (!(await reassignPrimaryTherapist(db, actor, patient.id, submission.value.therapistId))) throw notFound();
    } catch (error) {
      if (!(error instanceof EpisodeRuleError)) throw error;
      return data({ intent, result: submission.reply({ fieldErrors: { [error.field]: [error.messageKey] } }) }, { status: 400 });
    }
    return redirect(`${back}?reassigned=1`);
  }
  return data({ intent: "", result: null }, { status: 400 });
}

const notices: StatusNotice[] = [
  { param: "episodeEnded", message: "admin.notice.episodeEnded" },
  { param: "started", message: "adminPatient.notice.started" },
  { param: "reassigned", message: "adminPatient.notice.reassigned" },
];

type Therapists = { id: string; name: string }[];

function ReassignForm({
  therapists,
  current,
  lastResult,
}: {
  therapists: Therapists;
  current: string;
  lastResult?: SubmissionResult<string[]> | null;
}) {
  const t = useT();
  const [form, fields] = useSchemaForm(reassignSchema, { lastResult, defaultValue: { therapistId: current } });
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      <SelectField field={fields.therapistId} label={t("adminPatient.reassign")}>
        <PeopleOptions people={therapists} />
      </SelectField>
      <div className="actions">
        <button type="submit" name="intent" value="reassign" className="button button--secondary">
          {t("adminPatient.reassign.submit")}
        </button>
      </div>
    </Form>
  );
}

function StartEpisodeForm({
  therapists,
  today,
  lastResult,
}: {
  therapists: Therapists;
  today: string;
  lastResult?: SubmissionResult<string[]> | null;
}) {
  const t = useT();
  const [form, fields] = useSchemaForm(startEpisodeSchema, {
    lastResult,
    defaultValue: { kind: "aftercare", startDate: today, plannedWeeks: "12" },
  });
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      <SelectField field={fields.kind} label={t("adminPatient.kind")}>
        <option value="iop">{t("episode.kind.iop")}</option>
        <option value="aftercare">{t("episode.kind.aftercare")}</option>
      </SelectField>
      <TextField field={fields.startDate} label={t("enrol.startDate")} type="date" />
      <TextField field={fields.plannedWeeks} label={t("enrol.plannedWeeks")} type="number" hint={t("enrol.plannedWeeks.hint")} />
      <SelectField field={fields.therapistId} label={t("enrol.therapist")}>
        <option value="">{t("enrol.therapist.choose")}</option>
        <PeopleOptions people={therapists} />
      </SelectField>
      <div className="actions">
        <button type="submit" name="intent" value="start" className="button">
          {t("adminPatient.start.submit")}
        </button>
      </div>
    </Form>
  );
}

export default function AdminPatient() {
  const t = useT();
  const locale = useFormatLocale();
  const { patient, episodes, open, therapists, today, confirming } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ reasonError: string } | { intent: string; result: SubmissionResult<string[]> | null }>();
  const reasonError = actionData && "reasonError" in actionData ? actionData.reasonError : undefined;
  const resultFor = (intent: string) =>
    actionData && "intent" in actionData && actionData.intent === intent ? actionData.result : null;
  const confirmation = useEndEpisodeConfirmation(patient, "?confirm=end-episode", reasonError);
  if (confirming) return <ConfirmationPage confirmation={confirmation} cancelTo="." />;
  return (
    <div className="page">
      <p>
        <Link to="/admin">{t("nav.admin.home")}</Link>
      </p>
      <h1>{t("adminPatient.title", { name: patient.name })}</h1>
      <StatusNotices notices={notices} />
      <h2>{t("adminPatient.history")}</h2>
      {episodes.length === 0 ? <p>{t("adminPatient.none")}</p> : null}
      <ul className="list" aria-label={t("adminPatient.history")}>
        {episodes.map((episode) => (
          <li key={episode.id}>
            {episode.endedAt === null
              ? t("adminPatient.open", {
                  kind: t(`episode.kind.${episode.kind}`),
                  date: formatCalendarDate(locale, episode.startDate),
                  therapist: episode.therapistName,
                })
              : t("adminPatient.ended", {
                  kind: t(`episode.kind.${episode.kind}`),
                  date: formatCalendarDate(locale, episode.startDate),
                  therapist: episode.therapistName,
                  reason: episode.endReason ? t(`episode.endReason.${episode.endReason}`) : "",
                })}
          </li>
        ))}
      </ul>
      {open ? (
        <>
          <ReassignForm therapists={therapists} current={open.therapistId} lastResult={resultFor("reassign")} />
          <div className="actions">
            <ConfirmTrigger label={t("episode.end.button")} to="?confirm=end-episode" confirmation={confirmation} />
          </div>
        </>
      ) : (
        <>
          <h2>{t("adminPatient.start")}</h2>
          <StartEpisodeForm therapists={therapists} today={today} lastResult={resultFor("start")} />
        </>
      )}
    </div>
  );
}
