import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CheckInEntry } from "~/components/check-in-entry";
import { FieldError, FormErrors } from "~/components/form";
import { useSchemaForm } from "~/components/schema-form";
import { earlierCheckInsSchema } from "~/forms/check-in";
import { useFormatLocale, useT } from "~/i18n/i18n";
import { earlierCheckInsFor, shareEarlierCheckIns } from "~/models/check-in.server";
import { findPatientLink } from "~/models/circle-link.server";
import { getProgram } from "~/models/program.server";
import { notFound, requirePermission } from "~/policy.server";
import { formatInstant } from "~/utils/dates";
import { readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.shareEarlierCheckIns");

/**
 * A supporter approved after the patient started writing sees only what is shared with them from then on
 * (decision 009). Here the patient may pick earlier check-ins to add them to, never automatically and never
 * a private one.
 */
export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "progress:own");
  const link = await findPatientLink(db, user.id, args.params.linkId ?? "");
  if (!link) throw notFound();
  const earlier = await earlierCheckInsFor(db, user, link.id);
  return {
    linkId: link.id,
    supporterName: link.invitedName,
    timeZone: (await getProgram(db, user.programId))?.timeZone ?? "UTC",
    entries: earlier ? earlier.entries.map((entry) => ({ ...entry, createdAt: entry.createdAt.getTime() })) : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "progress:own");
  const link = await findPatientLink(db, user.id, args.params.linkId ?? "");
  if (!link) throw notFound();
  const submission = parseWithZod(await readForm(args.request), { schema: earlierCheckInsSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const shared = await shareEarlierCheckIns(db, user, link.id, submission.value.checkIns);
  if (shared === undefined) {
    return data({ result: submission.reply({ formErrors: ["earlierCheckIns.notNow"] }) }, { status: 400 });
  }
  return redirect("/patient/circle?sharedEarlier=1");
}

function EarlierCheckInsForm({
  entries,
  timeZone,
  supporterName,
  lastResult,
}: {
  entries: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["entries"]>;
  timeZone: string;
  supporterName: string;
  lastResult?: SubmissionResult<string[]> | null;
}) {
  const t = useT();
  const locale = useFormatLocale();
  const [form, fields] = useSchemaForm(earlierCheckInsSchema, { lastResult, shouldValidate: "onSubmit" });
  return (
    <>
      <FormErrors errors={form.errors} id={form.errorId} values={{ name: supporterName }} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <fieldset aria-describedby={fields.checkIns.errors?.length ? fields.checkIns.errorId : undefined}>
          <legend>{t("earlierCheckIns.legend", { name: supporterName })}</legend>
          <FieldError field={fields.checkIns} />
          <ul className="list">
            {entries.map((entry) => (
              <li key={entry.id}>
                <label className="choice">
                  <input type="checkbox" name={fields.checkIns.name} value={entry.id} form={form.id} />
                  {t("earlierCheckIns.pick", { date: formatInstant(locale, timeZone, entry.createdAt) })}
                </label>
                <CheckInEntry checkIn={entry} timeZone={timeZone} />
              </li>
            ))}
          </ul>
        </fieldset>
        <div className="actions">
          <button type="submit" className="button">
            {t("earlierCheckIns.submit", { name: supporterName })}
          </button>
          <Link className="button button--secondary" to="/patient">
            {t("earlierCheckIns.notNowLink")}
          </Link>
        </div>
      </Form>
    </>
  );
}

export default function EarlierCheckIns() {
  const t = useT();
  const { supporterName, entries, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="page">
      <p>
        <Link to="/patient/circle">{t("circle.back")}</Link>
      </p>
      <h1>{t("earlierCheckIns.title", { name: supporterName })}</h1>
      {entries === null ? (
        <p>{t("earlierCheckIns.cannotSee", { name: supporterName })}</p>
      ) : entries.length === 0 ? (
        <p>{t("earlierCheckIns.none", { name: supporterName })}</p>
      ) : (
        <>
          <p>{t("earlierCheckIns.intro", { name: supporterName })}</p>
          <EarlierCheckInsForm
            entries={entries}
            timeZone={timeZone}
            supporterName={supporterName}
            lastResult={actionData?.result}
          />
        </>
      )}
    </div>
  );
}
