import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { env } from "~/env.server";
import { useFormatLocale, useT } from "~/i18n/i18n";
import { listOutbox } from "~/mail.server";
import { getProgram } from "~/models/program.server";
import { notFound, requirePermission } from "~/policy.server";
import { formatInstant } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.developmentMailbox");

/** Mail kept instead of sent, for development and the demo. In production this page does not exist. */
export async function loader(args: LoaderFunctionArgs) {
  if (!env().mailboxEnabled) throw notFound();
  const { db } = args.context;
  const { user } = await requirePermission(args, "mailbox:read");
  return {
    timeZone: (await getProgram(db, user.programId))?.timeZone ?? "UTC",
    messages: await listOutbox(db, user.programId),
  };
}

export default function Mailbox() {
  const t = useT();
  const locale = useFormatLocale();
  const { messages, timeZone } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("mailbox.title")}</h1>
      <p className="lead">{t("mailbox.lead")}</p>
      {messages.length === 0 ? <p>{t("mailbox.empty")}</p> : null}
      <ul className="list">
        {messages.map((message) => (
          <li key={message.id}>
            <article aria-labelledby={`mail-${message.id}`}>
              <h2 id={`mail-${message.id}`}>{message.subject}</h2>
              <p className="meta">
                {t("mailbox.to", { address: message.toAddress })} · {formatInstant(locale, timeZone, message.createdAt)}
              </p>
              <pre className="mail">{message.textBody}</pre>
            </article>
          </li>
        ))}
      </ul>
    </div>
  );
}
