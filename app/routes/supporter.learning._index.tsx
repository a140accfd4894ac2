import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Part2Notice } from "~/components/circle";
import { AssignmentMeta, LearningProgressBar, LearningStatusBadge } from "~/components/learning";
import { useT } from "~/i18n/i18n";
import { capabilitiesFor } from "~/models/access.server";
import { supporterAssignments } from "~/models/assignments.server";
import { learningProgress } from "~/models/learning.server";
import { learningStatus, progressPercent } from "~/models/learning-status";
import { requirePermission } from "~/policy.server";
import { pageTitle } from "~/utils/meta";
import { requestLocale } from "~/i18n/locale.server";

export const meta = pageTitle("title.myLearning");

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user, person } = await requirePermission(args, "learning:own");
  const language = requestLocale(args.request, person).language;
  const asked = (await supporterAssignments(db, await capabilitiesFor(db, user, "education"), language)).map((group) => ({
    ...group,
    assignments: group.assignments.map(({ progress, ...assignment }) => ({
      ...assignment,
      percent: progressPercent(progress ?? undefined),
    })),
  }));
  const askedModules = new Set(asked.flatMap((group) => group.assignments.map((assignment) => assignment.moduleId)));
  const ownModules = [...(await learningProgress(db, [user.id])).values()]
    .filter((progress) => !askedModules.has(progress.moduleId))
    .map((progress) => ({
      slug: progress.slug,
      title: progress.title,
      status: learningStatus(progress, null, ""),
      percent: progressPercent(progress),
    }));
  return { asked, ownModules };
}

export default function MyLearning() {
  const t = useT();
  const { asked, ownModules } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t("learning.mine.title")}</h1>
      <p className="lead">{t("learning.mine.lead")}</p>
      <p>
        <Link to="/supporter/learning/library" className="button button--secondary">
          {t("learning.library.browse")}
        </Link>
      </p>
      <h2>{t("learning.mine.asked")}</h2>
      {asked.length === 0 ? <p>{t("learning.mine.askedNone")}</p> : null}
      {asked.map((group) => (
        <section key={group.linkId} aria-labelledby={`asked-${group.linkId}`}>
          <h3 id={`asked-${group.linkId}`}>{t("learning.mine.forPatient", { patient: group.patientName })}</h3>
          <ul className="list">
            {group.assignments.map((assignment) => (
              <li key={assignment.id}>
                <Link to={`/supporter/learning/${assignment.slug}`}>
                  <strong>{assignment.title}</strong>
                </Link>{" "}
                <LearningStatusBadge status={assignment.status} />
                <AssignmentMeta assignment={assignment} />
                <LearningProgressBar percent={assignment.percent} label={assignment.title} />
              </li>
            ))}
          </ul>
          <Part2Notice linkId={group.linkId} />
        </section>
      ))}
      <h2>{t("learning.mine.own")}</h2>
      {ownModules.length === 0 ? <p>{t("learning.mine.ownNone")}</p> : null}
      <ul className="list">
        {ownModules.map((module) => (
          <li key={module.slug}>
            <Link to={`/supporter/learning/${module.slug}`}>
              <strong>{module.title}</strong>
            </Link>{" "}
            <LearningStatusBadge status={module.status} />
            <LearningProgressBar percent={module.percent} label={module.title} />
          </li>
        ))}
      </ul>
    </div>
  );
}
