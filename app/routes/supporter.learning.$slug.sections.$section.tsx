import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { LearningProgressBar } from "~/components/learning";
import { useT } from "~/i18n/i18n";
import { LearningRuleError, markSectionRead, nextUnreadSection, readerState, type ReaderState } from "~/models/learning.server";
import { renderSection } from "~/models/module-library.server";
import { notFound, requireLibraryModule } from "~/policy.server";
import { formText, readForm } from "~/utils/form.server";
import { metaTranslator } from "~/utils/meta";

export const meta: MetaFunction<typeof loader> = ({ data: loaded, matches }) => [
  {
    title: loaded
      ? `${loaded.heading} · ${loaded.title} · Care Circle`
      : `${metaTranslator(matches)("title.module")} · Care Circle`,
  },
];

/** Sections are numbered from 1 in the address; anything else is not a section of this module. */
function sectionIndex(param: string | undefined, total = Infinity) {
  const number = /^[1-9][0-9]{0,2}$/.test(param ?? "") ? Number(param) : 0;
  if (number < 1 || number > total) throw notFound();
  return number - 1;
}

export async function loader(args: LoaderFunctionArgs) {
  const { user, module } = await requireLibraryModule(args);
  const state = await readerState(args.context.db, user.id, module);
  const { version, readSections } = state;
  const index = sectionIndex(args.params.section, version.sections.length);
  const section = version.sections[index]!;
  return {
    slug: module.slug,
    versionId: version.id,
    title: version.title,
    heading: section.heading,
    html: renderSection(section),
    number: index + 1,
    total: version.sections.length,
    read: readSections.has(index),
    percent: Math.round((readSections.size / version.sections.length) * 100),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user, module } = await requireLibraryModule(args);
  const index = sectionIndex(args.params.section);
  const formData = await readForm(args.request);
  const base = `/supporter/learning/${module.slug}`;
  let after: ReaderState;
  try {
    after = await markSectionRead(args.context.db, user.id, module, formText(formData, "versionId"), index);
  } catch (error) {
    if (!(error instanceof LearningRuleError)) throw error;
    if (error.field === "section") throw notFound();
    return redirect(`${base}?stale=1`);
  }
  if (index + 1 < after.version.sections.length) return redirect(`${base}/sections/${index + 2}`);
  const unread = nextUnreadSection(after);
  if (unread !== null) return redirect(`${base}/sections/${unread + 1}`);
  return redirect(after.attempts.some((attempt) => attempt.passed) ? base : `${base}/check`);
}

export default function ModuleSection() {
  const t = useT();
  const section = useLoaderData<typeof loader>();
  const base = `/supporter/learning/${section.slug}`;
  const isLast = section.number === section.total;
  return (
    <article className="page module-section">
      <p>
        <Link to={base}>{section.title}</Link>
      </p>
      <p className="meta">{t("learning.section.position", { number: section.number, total: section.total })}</p>
      <LearningProgressBar percent={section.percent} label={section.title} />
      <h1>{section.heading}</h1>
      {/* Rendered on the server from the module's Markdown, with raw HTML escaped. */}
      <div className="module-text" dangerouslySetInnerHTML={{ __html: section.html }} />
      <Form method="post" className="actions">
        <input type="hidden" name="versionId" value={section.versionId} />
        {section.number > 1 ? (
          <Link to={`${base}/sections/${section.number - 1}`} className="button button--secondary">
            {t("learning.section.previous")}
          </Link>
        ) : null}
        <button type="submit" className="button">
          {isLast ? t("learning.section.finish") : t("learning.section.next")}
        </button>
      </Form>
    </article>
  );
}
