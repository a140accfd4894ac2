import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useT, type MessageKey } from "~/i18n/i18n";
import { readUnsubscribeToken, unsubscribe, type UnsubscribeTopic } from "~/models/notifications.server";
import { readForm } from "~/utils/form.server";
import { pageTitle } from "~/utils/meta";

/**
 * The address in every mail about events (List-Unsubscribe). No sign-in: the signed, expiring token
 * names the membership and the one kind (or the digest) it turns off. Opening it changes nothing (mail
 * scanners open links); the button, or a mail program's one-click POST (RFC 8058), does.
 */
export const meta = pageTitle("title.unsubscribe");

const topicLabel = (topic: UnsubscribeTopic): MessageKey =>
  topic === "digest" ? "unsubscribe.topic.digest" : `notifications.kind.${topic}`;

type Problem = "unsubscribe.expired" | "unsubscribe.invalid";

/** The token's membership and topic, or the problem with it as a page (400 garbled or forged, 410 too old). */
async function readToken(args: LoaderFunctionArgs, token: unknown) {
  const read =
    typeof token === "string" && token
      ? await readUnsubscribeToken(args.context.db, token)
      : ({ ok: false, reason: "invalid" } as const);
  if (read.ok) return read;
  const expired = read.reason === "expired";
  const problem: Problem = expired ? "unsubscribe.expired" : "unsubscribe.invalid";
  return data({ problem }, { status: expired ? 410 : 400 });
}

export async function loader(args: LoaderFunctionArgs) {
  const token = new URL(args.request.url).searchParams.get("token");
  const read = await readToken(args, token);
  if (!("ok" in read)) return read;
  return { problem: null, token: token!, topic: topicLabel(read.topic) };
}

export async function action(args: ActionFunctionArgs) {
  const form = await readForm(args.request);
  // A mail program posts "List-Unsubscribe=One-Click" to the address it was given (RFC 8058); the
  // page's own button posts the token. Anything else changes nothing.
  const token =
    form.get("List-Unsubscribe") === "One-Click" ? new URL(args.request.url).searchParams.get("token") : form.get("token");
  const read = await readToken(args, token);
  if (!("ok" in read)) return read;
  await unsubscribe(args.context.db, read.membershipId, read.topic);
  return { problem: null, done: topicLabel(read.topic) };
}

export default function Unsubscribe() {
  const t = useT();
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const problem = acted?.problem ?? loaded.problem;
  const done = acted && "done" in acted ? acted.done : null;
  return (
    <div className="page">
      <h1>{t("unsubscribe.title")}</h1>
      {problem ? (
        <p className="notice notice--error" role="alert">
          {t(problem)}
        </p>
      ) : done ? (
        <p className="notice notice--ok" role="status">
          {t("unsubscribe.done", { what: t(done) })}
        </p>
      ) : "token" in loaded ? (
        <>
          <p className="lead">{t("unsubscribe.lead", { what: t(loaded.topic) })}</p>
          <Form method="post" className="actions">
            <input type="hidden" name="token" value={loaded.token} />
            <button type="submit" className="button">
              {t("unsubscribe.confirm")}
            </button>
          </Form>
        </>
      ) : null}
      <p>
        <Link to="/account/notifications">{t("unsubscribe.settings")}</Link>
      </p>
    </div>
  );
}
