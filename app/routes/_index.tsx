import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { chooseMembershipPath, optionalSession, roleHome } from "~/policy.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await optionalSession({ request, context });
  if (!session) throw redirect("/login");
  throw redirect(session.user ? roleHome[session.user.role] : chooseMembershipPath());
}
