import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { useT } from "~/i18n/i18n";
import { moduleLibrary, setModuleHidden } from "~/models/module-library.server";
import { actorOf, notFound, requirePermission } from "~/policy.server";
import { readForm } from "~/utils/form.server";
import { moduleVisibilitySchema } from "~/forms/admin.server";
import { pageTitle } from "~/utils/meta";
import { requestLocale } from "~/i18n/locale.server";

export const meta = pageTitle("title.moduleLibrary");

export async function loader(args: LoaderFunctionArgs) {
  const { user, person } = await requirePermission(args, "program:modules");
  return { modules: await moduleLibrary(args.context.db, user.programId, requestLocale(args.request, person).language) };
}

export async function action(args: ActionFunctionArgs) {
  const session = await requirePermission(args, "program:modules");
  const parsed = moduleVisibilitySchema.safeParse(Object.fromEntries(await readForm(args.request)));
  if (!parsed.success) return data({ error: "admin.badRequest" }, { status: 400 });
  const { intent, slug } = parsed.data;
  const changed = await setModuleHidden(args.context.db, actorOf(session, args.context), slug, intent === "hide");
  if (!changed) throw notFound();
  return redirect(`/admin/modules?${intent === "hide" ? "hidden=1" : "shown=1"}`);
}

const notices: StatusNotice[] = [
  { param: "hidden", message: "modules.notice.hidden" },
  { param: "shown", message: "modules.notice.shown" },
];

export default function AdminModules() {
  const t = useT();
  const { modules } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p>
        <Link to="/admin">{t("nav.admin.home")}</Link>
      </p>
      <h1>{t("modules.title")}</h1>
      <StatusNotices notices={notices} />
      <p>{t("modules.lead")}</p>
      <ul className="list" aria-label={t("modules.title")}>
        {modules.map((module) => (
          <li key={module.moduleId}>
            <strong>{module.title}</strong>{" "}
            <span className={module.hidden ? "badge badge--danger" : "badge badge--ok"}>
              {t(module.hidden ? "modules.hidden" : "modules.shown")}
            </span>
            <Form method="post" className="actions">
              <input type="hidden" name="slug" value={module.slug} />
              <button type="submit" name="intent" value={module.hidden ? "show" : "hide"} className="button button--secondary">
                {t(module.hidden ? "modules.show" : "modules.hide")}
                <span className="visually-hidden"> {module.title}</span>
              </button>
            </Form>
          </li>
        ))}
      </ul>
    </div>
  );
}
