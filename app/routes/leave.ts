import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { env } from "~/env.server";
import { recordAudit } from "~/models/audit.server";
import { optionalSession } from "~/policy.server";
import { clearSessionCookie, endSession } from "~/session.server";

/**
 * "Leave quickly" (decision 021). With JavaScript the page sends a beacon here (POST) and replaces
 * itself with the neutral site; without it, the control is a plain link here (GET), which signs the
 * person out and sends them on. A link from another site may not sign anyone out: it is only sent on.
 */
async function leave({ request, context }: LoaderFunctionArgs | ActionFunctionArgs) {
  const fetchSite = request.headers.get("Sec-Fetch-Site");
  const fromThisSite = fetchSite === null || fetchSite === "same-origin" || fetchSite === "none";
  const session = fromThisSite ? await optionalSession({ request, context }) : null;
  if (!session) return false;
  await endSession(context.db, session.id);
  await recordAudit(context.db, {
    action: "auth.left_quickly",
    outcome: "success",
    programId: session.user?.programId,
    actorUserId: session.user?.id,
    ipAddress: context.clientAddress,
  });
  return true;
}

export async function loader(args: LoaderFunctionArgs) {
  const signedOut = await leave(args);
  return redirect(env().LEAVE_QUICKLY_URL, {
    status: 303,
    headers: signedOut ? { "Set-Cookie": clearSessionCookie(args.request) } : undefined,
  });
}

/** The beacon's request: nobody reads the answer. */
export async function action(args: ActionFunctionArgs) {
  const signedOut = await leave(args);
  return new Response(null, {
    status: 204,
    headers: signedOut ? { "Set-Cookie": clearSessionCookie(args.request) } : undefined,
  });
}
