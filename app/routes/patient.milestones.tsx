import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { FormErrors, TextField } from "~/components/form";
import { useSchemaForm } from "~/components/schema-form";
import { ProgramWeekLabel } from "~/components/program-week";
import { RecoveryDays } from "~/components/recovery-days";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { useT } from "~/i18n/i18n";
import { currentEpisode } from "~/models/episode.server";
import { FutureDateError, recoveryOf, setRecoveryStart } from "~/models/milestones.server";
import { getProgram } from "~/models/program.server";
import { requirePermission } from "~/policy.server";
import { readForm } from "~/utils/form.server";
import { calendarDateField } from "~/validation";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.milestones");

const schema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save"), startDate: calendarDateField }),
  z.object({ intent: z.literal("stop") }),
]);

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "progress:own");
  const timeZone = (await getProgram(db, user.programId))?.timeZone ?? "UTC";
  return { recovery: await recoveryOf(db, user.id, timeZone), episode: (await currentEpisode(db, user.id)) ?? null };
}

export async function action(args: ActionFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "progress:own");
  const submission = parseWithZod(await readForm(args.request), { schema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const timeZone = (await getProgram(db, user.programId))?.timeZone ?? "UTC";
  try {
    await setRecoveryStart(db, user, submission.value.intent === "save" ? submission.value.startDate : null, timeZone);
  } catch (error) {
    if (error instanceof FutureDateError) {
      return data({ result: submission.reply({ fieldErrors: { startDate: ["milestones.startDate.future"] } }) }, { status: 400 });
    }
    throw error;
  }
  return redirect(`/patient/milestones?${submission.value.intent === "save" ? "saved=1" : "stopped=1"}`);
}

const notices: StatusNotice[] = [
  { param: "saved", message: "milestones.notice.saved" },
  { param: "stopped", message: "milestones.notice.stopped" },
];

export default function Milestones() {
  const t = useT();
  const { recovery, episode } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(schema, {
    lastResult: actionData?.result,
    defaultValue: { startDate: recovery?.startDate ?? "" },
    shouldValidate: "onSubmit",
  });
  return (
    <div className="page">
      <h1>{t("milestones.title")}</h1>
      <StatusNotices notices={notices} />
      {episode ? (
        <p>
          <ProgramWeekLabel week={episode.week} kind={episode.kind} />
        </p>
      ) : null}
      <h2>{t("milestones.recovery")}</h2>
      {recovery ? <RecoveryDays recovery={recovery} /> : <p>{t("milestones.notTracking")}</p>}
      <p className="hint">{t("milestones.private")}</p>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <TextField field={fields.startDate} label={t("milestones.startDate")} hint={t("milestones.startDate.hint")} type="date" />
        <div className="actions">
          <button type="submit" name="intent" value="save" className="button">
            {t("milestones.save")}
          </button>
          {recovery ? (
            <button type="submit" name="intent" value="stop" className="button button--secondary" formNoValidate>
              {t("milestones.stop")}
            </button>
          ) : null}
        </div>
      </Form>
    </div>
  );
}
