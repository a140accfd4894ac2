import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { useT } from "~/i18n/i18n";
import { activeMemberships } from "~/models/account.server";
import { landingFor, notFound, requirePerson } from "~/policy.server";
import { actAs } from "~/session.server";
import { readForm } from "~/utils/form.server";
import { membershipChoiceSchema } from "~/forms/account.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("title.chooseYourRole");

/**
 * A person with several memberships (a patient here, a supporter there) chooses which one acts.
 * Only their own active memberships are listed or accepted; everything after follows that choice.
 */
export async function loader(args: LoaderFunctionArgs) {
  const session = await requirePerson(args);
  return {
    acting: session.user?.id ?? null,
    memberships: (await activeMemberships(args.context.db, session.person.id)).map(({ id, role, name, programName }) => ({
      id,
      role,
      name,
      programName,
    })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const session = await requirePerson(args);
  const parsed = membershipChoiceSchema.safeParse(Object.fromEntries(await readForm(args.request)));
  if (!parsed.success) throw notFound();
  const { db } = args.context;
  const chosen = (await activeMemberships(db, session.person.id)).find(
    (membership) => membership.id === parsed.data.membershipId,
  );
  if (!chosen || !(await actAs(db, { id: session.id, personId: session.person.id }, chosen.id))) throw notFound();
  return redirect(landingFor(chosen.role, parsed.data.redirectTo));
}

export default function ChooseRole() {
  const t = useT();
  const { acting, memberships } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("roles.title")}</h1>
      <p className="lead">{t("roles.lead")}</p>
      <ul className="list" aria-label={t("roles.title")}>
        {memberships.map((membership) => (
          <li key={membership.id}>
            <Form method="post" className="role-choice">
              <input type="hidden" name="membershipId" value={membership.id} />
              <RedirectTo />
              <p>
                <strong>{t(`role.${membership.role}`)}</strong> · {membership.programName}
              </p>
              <p className="meta">{t("roles.as", { name: membership.name })}</p>
              {membership.id === acting ? (
                <p className="meta">{t("roles.current")}</p>
              ) : (
                <button type="submit" className="button">
                  {t("roles.choose")}
                  <span className="visually-hidden">
                    {" "}
                    {t(`role.${membership.role}`)}, {membership.programName}
                  </span>
                </button>
              )}
            </Form>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Carries the page the person was going to, so that choosing takes them on there. */
function RedirectTo() {
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get("redirectTo");
  return redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null;
}
