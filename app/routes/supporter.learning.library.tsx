import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LearningStatusBadge } from "~/components/learning";
import { useT } from "~/i18n/i18n";
import { learningProgress } from "~/models/learning.server";
import { learningStatus } from "~/models/learning-status";
import { moduleLibrary } from "~/models/module-library.server";
import { requirePermission } from "~/policy.server";
import { pageTitle } from "~/utils/meta";
import { requestLocale } from "~/i18n/locale.server";

export const meta = pageTitle("title.moduleLibrary");

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user, person } = await requirePermission(args, "learning:own");
  const progress = await learningProgress(db, [user.id]);
  return {
    modules: (await moduleLibrary(db, user.programId, requestLocale(args.request, person).language)).map((module) => {
      const mine = progress.get(`${user.id}:${module.moduleId}`);
      return {
        slug: module.slug,
        title: module.title,
        summary: module.summary,
        readingMinutes: module.readingMinutes,
        status: mine ? learningStatus(mine, null, "") : null,
      };
    }),
  };
}

export default function ModuleLibrary() {
  const t = useT();
  const { modules } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p>
        <Link to="/supporter/learning">{t("learning.mine.title")}</Link>
      </p>
      <h1>{t("learning.library.title")}</h1>
      <p className="lead">{t("learning.library.lead")}</p>
      <ol className="list" aria-label={t("learning.library.title")}>
        {modules.map((module) => (
          <li key={module.slug}>
            <h2 className="card-title">
              <Link to={`/supporter/learning/${module.slug}`}>{module.title}</Link>
            </h2>
            <p>{module.summary}</p>
            <p className="meta">
              {t("learning.minutes", { count: module.readingMinutes })}
              {module.status ? (
                <>
                  {" · "}
                  <LearningStatusBadge status={module.status} />
                </>
              ) : null}
            </p>
          </li>
        ))}
      </ol>
    </div>
  );
}
