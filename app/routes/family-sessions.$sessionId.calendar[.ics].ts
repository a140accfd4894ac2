import type { LoaderFunctionArgs } from "@remix-run/node";
import { sessionsCalendar } from "~/calendar.server";
import { calendarSessions } from "~/models/family-sessions.server";
import { getProgram } from "~/models/program.server";
import { notFound, requirePermission } from "~/policy.server";

/**
 * One session as an .ics file, for whoever is part of it: the patient's therapist, the patient, and
 * an invited supporter while their link is live (the showing is logged as a disclosure).
 */
export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user, person } = await requirePermission(args, "calendar:own");
  const [session] = (await calendarSessions(db, user, args.params.sessionId ?? "")) ?? [];
  if (!session) throw notFound();
  const timeZone = (await getProgram(db, user.programId))?.timeZone ?? "UTC";
  return new Response(sessionsCalendar([session], timeZone, { discreet: person.discreet }), {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="${person.discreet ? "appointment" : "care-circle-meeting"}.ics"`,
      "Cache-Control": "private, no-store",
    },
  });
}
