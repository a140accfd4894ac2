import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { recordAudit } from "~/models/audit.server";
import { optionalSession } from "~/policy.server";
import { clearSessionCookie, endSession } from "~/session.server";

/** Sign-out is POST only: a link or an image cannot sign anyone out. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { db } = context;
  const session = await optionalSession({ request, context });
  if (session) {
    await endSession(db, session.id);
    await recordAudit(db, {
      action: "auth.sign_out",
      outcome: "success",
      programId: session.user?.programId,
      actorUserId: session.user?.id,
      ipAddress: context.clientAddress,
    });
  }
  return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie(request) } });
}

export async function loader() {
  throw redirect("/");
}
