import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FieldError, FormErrors, TextAreaField } from "~/components/form";
import { LearningProgressBar } from "~/components/learning";
import { StatusNotices, type StatusNotice } from "~/components/status-notices";
import { reflectionSchema } from "~/forms/learning";
import { useFormatLocale, useT } from "~/i18n/i18n";
import { capabilitiesFor } from "~/models/access.server";
import { isAssignedToSupporter } from "~/models/assignments.server";
import { LearningRuleError, nextUnreadSection, readerState, saveReflection, setPracticeDone } from "~/models/learning.server";
import { passMarkPercent, progressPercent } from "~/models/learning-status";
import { getProgram } from "~/models/program.server";
import { requireLibraryModule } from "~/policy.server";
import { formatInstant } from "~/utils/dates";
import { formText, readForm } from "~/utils/form.server";
import { reflectionMaxLength } from "~/forms/limits";
import { metaTranslator } from "~/utils/meta";

export const meta: MetaFunction<typeof loader> = ({ data: loaded, matches }) => [
  { title: `${loaded?.title ?? metaTranslator(matches)("title.module")} · Care Circle` },
];

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user, module } = await requireLibraryModule(args);
  const state = await readerState(db, user.id, module);
  const { version, record, readSections, attempts } = state;
  const passed = attempts.some((attempt) => attempt.passed);
  return {
    timeZone: (await getProgram(db, user.programId))?.timeZone ?? "UTC",
    slug: module.slug,
    versionId: version.id,
    title: version.title,
    summary: version.summary,
    readingMinutes: version.readingMinutes,
    sections: version.sections.map((section, position) => ({ heading: section.heading, read: readSections.has(position) })),
    nextSection: nextUnreadSection(state),
    started: record !== null,
    percent: progressPercent({
      sectionsRead: readSections.size,
      sectionsTotal: version.sections.length,
      passed,
      bestScore: null,
      attempts: attempts.length,
      completedAt: record?.completedAt ?? null,
    }),
    completedAt: record?.completedAt?.getTime() ?? null,
    attempts: attempts.map((attempt) => ({
      id: attempt.id,
      scorePercent: attempt.scorePercent,
      passed: attempt.passed,
      at: attempt.createdAt.getTime(),
    })),
    passed,
    reflectionPrompt: version.reflectionPrompt,
    reflection: record?.reflection ?? "",
    reflectionShared: record?.reflectionShared ?? false,
    mayShare: await isAssignedToSupporter(db, await capabilitiesFor(db, user, "education"), module.id),
    practice: version.practice,
    practiceDone: Boolean(record?.practiceDoneAt),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db } = args.context;
  const { user, module } = await requireLibraryModule(args);
  const formData = await readForm(args.request);
  const base = `/supporter/learning/${module.slug}`;
  try {
    if (formData.get("intent") === "practice") {
      await setPracticeDone(db, user.id, module, formText(formData, "versionId"), formData.get("done") === "yes");
      return redirect(`${base}?practice=1`);
    }
    const submission = parseWithZod(formData, { schema: reflectionSchema });
    if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
    const mayShare = await isAssignedToSupporter(db, await capabilitiesFor(db, user, "education"), module.id);
    try {
      await saveReflection(db, user.id, module, { ...submission.value, mayShare });
    } catch (error) {
      if (error instanceof LearningRuleError) {
        // Without a share box on the page, a refused share is a message for the whole form.
        const field = error.field === "share" && mayShare ? "share" : "";
        return data({ result: submission.reply({ fieldErrors: { [field]: [error.messageKey] } }) }, { status: 400 });
      }
      throw error;
    }
    return redirect(`${base}?reflection=1`);
  } catch (error) {
    if (error instanceof LearningRuleError) return redirect(`${base}?stale=1`);
    throw error;
  }
}

const notices: StatusNotice[] = [
  { param: "reflection", message: "learning.notice.reflection" },
  { param: "practice", message: "learning.notice.practice" },
  { param: "stale", message: "learning.version.mismatch", tone: "error" },
];

export default function LearningModule() {
  const t = useT();
  const locale = useFormatLocale();
  const module = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    defaultValue: { reflection: module.reflection, share: module.reflectionShared ? "on" : undefined },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: reflectionSchema }),
    shouldValidate: "onSubmit",
  });
  const base = `/supporter/learning/${module.slug}`;
  return (
    <>
      <div className="page">
        <p>
          <Link to="/supporter/learning">{t("learning.mine.title")}</Link>
        </p>
        <h1>{module.title}</h1>
        <StatusNotices notices={notices} />
        <p className="lead">{module.summary}</p>
        <p className="meta">{t("learning.minutes", { count: module.readingMinutes })}</p>
        <LearningProgressBar percent={module.percent} label={module.title} />
        {module.completedAt ? (
          <p className="notice notice--ok">
            {t("learning.module.completedOn", { date: formatInstant(locale, module.timeZone, module.completedAt) })}
          </p>
        ) : null}
        <h2>{t("learning.module.sections")}</h2>
        <ol className="sections">
          {module.sections.map((section, position) => (
            <li key={section.heading}>
              <Link to={`${base}/sections/${position + 1}`}>{section.heading}</Link>
              {section.read ? <span className="meta"> · {t("learning.section.read")}</span> : null}
            </li>
          ))}
        </ol>
        {module.nextSection !== null ? (
          <p>
            <Link to={`${base}/sections/${module.nextSection + 1}`} className="button">
              {module.started ? t("learning.module.continue") : t("learning.module.start")}
            </Link>
          </p>
        ) : null}
      </div>
      <div className="page">
        <h2>{t("learning.check.title")}</h2>
        <p>{t("learning.check.lead", { percent: passMarkPercent })}</p>
        {module.attempts.length > 0 ? (
          <ul className="list" aria-label={t("learning.check.attempts")}>
            {module.attempts.map((attempt) => (
              <li key={attempt.id}>
                <Link to={`${base}/check?attempt=${attempt.id}`}>
                  {t(attempt.passed ? "learning.check.attemptPassed" : "learning.check.attemptNotYet", {
                    score: attempt.scorePercent,
                  })}
                </Link>
                <span className="meta"> · {formatInstant(locale, module.timeZone, attempt.at)}</span>
              </li>
            ))}
          </ul>
        ) : null}
        <p>
          <Link to={`${base}/check`} className={module.passed ? "button button--secondary" : "button"}>
            {module.attempts.length > 0 ? t("learning.check.retry") : t("learning.check.take")}
          </Link>
        </p>
      </div>
      <div className="page">
        <h2>{t("learning.practice.title")}</h2>
        <p className="prose">{module.practice}</p>
        <Form method="post" className="card-actions">
          <input type="hidden" name="versionId" value={module.versionId} />
          <input type="hidden" name="done" value={module.practiceDone ? "no" : "yes"} />
          <p className="meta">{module.practiceDone ? t("learning.practice.done") : t("learning.practice.notDone")}</p>
          <button type="submit" name="intent" value="practice" className="button button--secondary">
            {module.practiceDone ? t("learning.practice.undo") : t("learning.practice.markDone")}
          </button>
        </Form>
      </div>
      <div className="page">
        <h2>{t("learning.reflection.title")}</h2>
        <FormErrors errors={form.errors} id={form.errorId} />
        <Form method="post" className="stack" {...getFormProps(form)}>
          <input type="hidden" name="versionId" value={module.versionId} />
          <TextAreaField
            field={fields.reflection}
            label={module.reflectionPrompt}
            hint={t(module.mayShare ? "learning.reflection.hintShareable" : "learning.reflection.hintPrivate")}
            maxLength={reflectionMaxLength}
          />
          {module.mayShare ? (
            <div className="field">
              <label className="choice">
                <input
                  type="checkbox"
                  name={fields.share.name}
                  id={fields.share.id}
                  defaultChecked={module.reflectionShared}
                  aria-describedby={fields.share.errors?.length ? fields.share.errorId : undefined}
                />
                <span>{t("learning.reflection.share")}</span>
              </label>
              <FieldError field={fields.share} />
            </div>
          ) : null}
          <div className="actions">
            <button type="submit" name="intent" value="reflection" className="button">
              {t("learning.reflection.save")}
            </button>
          </div>
        </Form>
      </div>
    </>
  );
}
