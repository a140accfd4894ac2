import { getFormProps, getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FieldError, FormErrors, SelectField, TextField } from "~/components/form";
import { useSchemaForm } from "~/components/schema-form";
import { StatusNotices } from "~/components/status-notices";
import { notificationSettingsSchema } from "~/forms/notifications";
import { useT, type MessageKey } from "~/i18n/i18n";
import { requestLocale } from "~/i18n/locale.server";
import { digestTime, notificationSettings, saveNotificationSettings } from "~/models/notifications.server";
import { requirePermission } from "~/policy.server";
import { readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";
import { deliveries, eventKinds } from "~/vocabulary";

export const meta = pageTitle("title.notifications");

/** The time zones offered besides the program's own: those of the United States and its territories. */
const offeredTimeZones = [
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Phoenix",
  "America/Los_Angeles",
  "America/Anchorage",
  "Pacific/Honolulu",
  "America/Puerto_Rico",
];

/** "Central Time (America/Chicago)", in the reader's language. */
function timeZoneLabel(locale: string, timeZone: string) {
  const name = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "longGeneric" })
    .formatToParts(new Date())
    .find((part) => part.type === "timeZoneName")?.value;
  return name && name !== timeZone ? `${name} (${timeZone})` : timeZone;
}

export async function loader(args: LoaderFunctionArgs) {
  const { user, person } = await requirePermission(args, "account:manage");
  const settings = await notificationSettings(args.context.db, user);
  const { formatLocale } = requestLocale(args.request, person);
  const zones = [...new Set([settings.programTimeZone, ...offeredTimeZones, ...(settings.timeZone ? [settings.timeZone] : [])])];
  return {
    ...settings,
    programTimeZoneLabel: timeZoneLabel(formatLocale, settings.programTimeZone),
    zones: zones.map((zone) => ({ value: zone, label: timeZoneLabel(formatLocale, zone) })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user } = await requirePermission(args, "account:manage");
  const submission = parseWithZod(await readForm(args.request), { schema: notificationSettingsSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const { quietHoursOn, quietFrom, quietUntil, timeZone, ...chosen } = submission.value;
  await saveNotificationSettings(
    args.context.db,
    user,
    {
      deliveries: Object.fromEntries(eventKinds.flatMap((kind) => (chosen[kind] ? [[kind, chosen[kind]]] : []))),
      // The schema holds both times when quiet hours are on.
      quietHours: quietHoursOn === "on" ? { from: quietFrom!, until: quietUntil! } : null,
      timeZone: timeZone || null,
    },
    args.context.clientAddress,
  );
  return redirect("/account/notifications?saved=1");
}

export default function NotificationSettings() {
  const t = useT();
  const { kinds, quiet, timeZone, programTimeZoneLabel, zones } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(notificationSettingsSchema, {
    lastResult: actionData?.result,
    defaultValue: {
      ...Object.fromEntries(kinds.map(({ kind, delivery }) => [kind, delivery])),
      quietHoursOn: quiet.on ? "on" : undefined,
      quietFrom: quiet.from,
      quietUntil: quiet.until,
      timeZone: timeZone ?? "",
    },
  });
  return (
    <div className="page">
      <h1>{t("notifications.title")}</h1>
      <StatusNotices notices={[{ param: "saved", message: "notifications.saved" }]} />
      <p className="lead">{t("notifications.lead", { time: digestTime })}</p>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        {kinds.length === 0 ? <p>{t("notifications.noKinds")}</p> : null}
        {kinds.map(({ kind }) => {
          const field = fields[kind];
          return (
            <fieldset key={kind} id={field.id} aria-describedby={field.errors?.length ? field.errorId : undefined}>
              <legend>{t(`notifications.kind.${kind}`)}</legend>
              {deliveries.map((delivery) => (
                <label key={delivery} className="choice">
                  <input type="radio" name={field.name} value={delivery} defaultChecked={field.initialValue === delivery} />
                  {t(`notifications.delivery.${delivery}` as MessageKey)}
                </label>
              ))}
              <FieldError field={field} />
            </fieldset>
          );
        })}
        <fieldset className="stack">
          <legend>{t("notifications.quiet.legend")}</legend>
          <p className="hint">{t("notifications.quiet.hint")}</p>
          <label className="choice">
            <input {...getInputProps(fields.quietHoursOn, { type: "checkbox", value: "on" })} />
            {t("notifications.quiet.on")}
          </label>
          <TextField field={fields.quietFrom} label={t("notifications.quiet.from")} type="time" />
          <TextField field={fields.quietUntil} label={t("notifications.quiet.until")} type="time" />
          <SelectField field={fields.timeZone} label={t("notifications.timeZone")}>
            <option value="">{t("notifications.timeZone.program", { zone: programTimeZoneLabel })}</option>
            {zones.map((zone) => (
              <option key={zone.value} value={zone.value}>
                {zone.label}
              </option>
            ))}
          </SelectField>
        </fieldset>
        <div className="actions">
          <button type="submit" className="button">
            {t("notifications.save")}
          </button>
        </div>
      </Form>
      <h2>{t("notifications.always.title")}</h2>
      <p>{t("notifications.always.text")}</p>
    </div>
  );
}
