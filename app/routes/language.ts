import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { languageChoiceSchema } from "~/forms/account.server";
import { languageCookieHeader } from "~/i18n/locale.server";
import { setLanguage } from "~/models/account.server";
import { optionalSession, safeRedirectPath } from "~/policy.server";
import { readForm } from "~/utils/form.server";

/**
 * The language switch in every page's footer: kept on the device (a cookie), and for a signed-in
 * person as their own choice, which their e-mails follow too. Then back to the page it was sent from.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const parsed = languageChoiceSchema.safeParse({ language: form.get("language") });
  if (!parsed.success) throw new Response("Bad Request", { status: 400 });
  const session = await optionalSession({ request, context });
  if (session) await setLanguage(context.db, session.person.id, parsed.data.language);
  return redirect(safeRedirectPath(form.get("back"), "/"), {
    headers: { "Set-Cookie": languageCookieHeader(parsed.data.language) },
  });
}

export function loader() {
  throw redirect("/");
}
