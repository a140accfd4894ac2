import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { optionalSession, roleHome } from "~/policy.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await optionalSession(request);
  throw redirect(session ? roleHome[session.user.role] : "/login");
}
