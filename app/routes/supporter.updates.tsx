import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect } from "react";
import { replyPresets } from "~/vocabulary";
import { EndedCircleNotice, Part2Notice } from "~/components/circle";
import { SupporterCheckIn } from "~/components/supporter-lists";
import { OlderNewer } from "~/components/pagination";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { replyParamSchema, replySchema } from "~/forms/check-in.server";
import { checkInCursorSchema } from "~/utils/cursor.server";
import { useT, type MessageKey } from "~/i18n/i18n";
import { capabilitiesFor, narrow, releaseName, supporterAccesses } from "~/models/access.server";
import { endedCircles } from "~/models/care-circle.server";
import { replyToCheckIn, supporterFeed } from "~/models/check-in.server";
import { getProgram } from "~/models/program.server";
import { notFound, requirePermission } from "~/policy.server";
import { calendarDateIn } from "~/utils/dates";
import { formText, readForm } from "~/utils/form.server";
import { cursorParam, replyMessageMax } from "~/forms/limits";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.updates");

/** What each patient chose to share with this supporter, newest first. Every entry shown is logged. */
export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user } = await requirePermission(args, "circle:support");
  const searchParams = new URL(args.request.url).searchParams;
  const before = checkInCursorSchema.parse(searchParams.get("before") ?? undefined);
  const replyTo = replyParamSchema.parse(searchParams.get("reply") ?? undefined);
  const accesses = await supporterAccesses(db, user);
  const capabilities = accesses.flatMap((access) => narrow(access, "progress") ?? []);
  const feed = await supporterFeed(db, capabilities, before);
  const timeZone = (await getProgram(db, user.programId))?.timeZone ?? "UTC";
  // Who shares what is said on the first page only, where a person looks for why it is empty.
  const circles = before ? [] : accesses;
  await releaseName(
    db,
    circles.map((access) => ({ access, itemType: "circle_list", itemId: access.linkId })),
  );
  return {
    timeZone,
    entries: feed.entries.map((entry) => ({ ...entry, createdAt: entry.createdAt.getTime() })),
    sharing: circles.map((access) => ({
      linkId: access.linkId,
      patientName: access.patientName,
      sharesCheckIns: access.categories.includes("progress"),
    })),
    // The latest end per patient, unless the supporter has since been invited back into that circle.
    ended: (before ? [] : await endedCircles(db, user))
      .filter((circle, index, all) => all.findIndex((other) => other.patientId === circle.patientId) === index)
      .filter((circle) => !accesses.some((access) => access.patientId === circle.patientId))
      .map((circle) => ({
        linkId: circle.linkId,
        patientName: circle.patientName,
        endedOn: calendarDateIn(timeZone, circle.endedAt),
      })),
    next: cursorParam(feed.next),
    isFirstPage: !before,
    // The one check-in whose reply form is open (asked for by its "Reply" link), if it is on this page.
    replyTo: feed.entries.some((entry) => entry.id === replyTo) ? replyTo : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user } = await requirePermission(args, "circle:support");
  const formData = await readForm(args.request);
  const parsed = replySchema.safeParse({
    checkInId: formData.get("checkInId") ?? undefined,
    preset: formData.get("preset") || undefined,
    message: formData.get("message") || undefined,
  });
  if (!parsed.success) {
    return data(
      { checkInId: formText(formData, "checkInId"), error: parsed.error.issues[0]!.message as MessageKey },
      { status: 400 },
    );
  }
  const { checkInId, preset, message } = parsed.data;
  const { db } = args.context;
  const replied = await replyToCheckIn(
    db,
    await capabilitiesFor(db, user, "progress"),
    checkInId,
    preset ? { preset, message: null } : { preset: null, message: message! },
  );
  if (!replied) throw notFound();
  return redirect("/supporter/updates?replied=1");
}

const notices: StatusNotice[] = [{ param: "replied", message: "reply.notice.sent" }];

export default function SupporterUpdates() {
  const t = useT();
  const { entries, timeZone, sharing, ended, next, isFirstPage, replyTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  // A form opened by its link takes the focus, as the page's first field would.
  useEffect(() => {
    if (replyTo) document.getElementById(`preset-${replyTo}`)?.focus();
  }, [replyTo]);
  /** Where an entry's "Reply" link goes: this page (same cursor), its form open and in view. */
  const replyHref = (checkInId: string) => {
    const params = new URLSearchParams(searchParams);
    params.delete("replied");
    params.set("reply", checkInId);
    return `?${params}#reply-${checkInId}`;
  };
  return (
    <div className="page">
      <h1>{t("feed.title")}</h1>
      <StatusNotices notices={notices} />
      {ended.map((circle) => (
        <EndedCircleNotice key={circle.linkId} patientName={circle.patientName} endedOn={circle.endedOn} />
      ))}
      {sharing.map((circle) =>
        !circle.sharesCheckIns ? (
          <p key={circle.linkId}>{t("feed.noCheckInsFrom", { name: circle.patientName })}</p>
        ) : entries.length === 0 ? (
          <p key={circle.linkId}>{t("feed.waitingFor", { name: circle.patientName })}</p>
        ) : null,
      )}
      {isFirstPage && sharing.length === 0 && ended.length === 0 ? <p>{t("feed.empty")}</p> : null}
      <ul className="list" aria-label={t("feed.title")}>
        {entries.map((entry) => {
          const error = actionData?.checkInId === entry.id ? actionData.error : null;
          const errorId = `reply-error-${entry.id}`;
          // Only the form asked for is rendered (or the one the server answered with an error), not one per entry.
          const open = replyTo === entry.id || Boolean(error);
          return (
            <li key={`${entry.linkId}-${entry.id}`}>
              <SupporterCheckIn entry={entry} timeZone={timeZone} />
              {open ? (
                <Form method="post" className="stack" id={`reply-${entry.id}`}>
                  <input type="hidden" name="checkInId" value={entry.id} />
                  <div className="field">
                    <label htmlFor={`preset-${entry.id}`}>{t("reply.preset.label")}</label>
                    <select id={`preset-${entry.id}`} name="preset" defaultValue="">
                      <option value="">{t("reply.preset.none")}</option>
                      {replyPresets.map((preset) => (
                        <option key={preset} value={preset}>
                          {t(`reply.preset.${preset}`)}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor={`message-${entry.id}`}>{t("reply.message.label")}</label>
                    <textarea
                      id={`message-${entry.id}`}
                      name="message"
                      maxLength={replyMessageMax}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? errorId : undefined}
                    />
                    {error ? (
                      <p id={errorId} className="error">
                        {t(error)}
                      </p>
                    ) : null}
                  </div>
                  <div className="actions">
                    <button type="submit" className="button">
                      {t("reply.send")}
                    </button>
                  </div>
                </Form>
              ) : (
                <p>
                  <Link to={replyHref(entry.id)} preventScrollReset>
                    {t("reply.open")}
                    <span className="visually-hidden"> ({entry.patientName})</span>
                  </Link>
                </p>
              )}
              <p>
                <Link to={`/supporter/circles/${entry.linkId}/consent`}>
                  {t("part2.scopeLink")}
                  <span className="visually-hidden"> ({entry.patientName})</span>
                </Link>
              </p>
            </li>
          );
        })}
      </ul>
      <OlderNewer list={t("feed.title")} isFirstPage={isFirstPage} next={next} />
      {entries.length > 0 || sharing.length > 0 ? <Part2Notice /> : null}
    </div>
  );
}
