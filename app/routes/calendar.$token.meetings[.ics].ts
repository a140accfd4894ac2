import type { LoaderFunctionArgs } from "@remix-run/node";
import { sessionsCalendar } from "~/calendar.server";
import { calendarFeed } from "~/models/family-sessions.server";
import { notFound } from "~/policy.server";

/**
 * A person's secret calendar feed, fetched by calendar programs without signing in: the token in the
 * address is the key. Unknown, revoked or replaced tokens, and a supporter with no live link, get 404.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const feed = await calendarFeed(context.db, params.token ?? "", context.clientAddress);
  if (!feed) throw notFound();
  return new Response(sessionsCalendar(feed.sessions, feed.timeZone, { discreet: feed.discreet }), {
    headers: { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, no-store" },
  });
}
