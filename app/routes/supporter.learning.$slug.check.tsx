import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useT, type MessageKey } from "~/i18n/i18n";
import { attemptResult, LearningRuleError, readerState, submitAttempt } from "~/models/learning.server";
import { passMarkPercent } from "~/models/learning-status";
import { questionsForBrowser } from "~/models/module-library.server";
import { notFound, requireLibraryModule } from "~/policy.server";
import { formText, readForm } from "~/utils/form.server";
import { metaTranslator } from "~/utils/meta";

export const meta: MetaFunction<typeof loader> = ({ data: loaded, matches }) => {
  const knowledgeCheck = metaTranslator(matches)("title.knowledgeCheck");
  return [{ title: loaded ? `${knowledgeCheck} · ${loaded.title} · Care Circle` : `${knowledgeCheck} · Care Circle` }];
};

/**
 * The knowledge check. Before an attempt the page carries the questions and options only; the
 * explanations come back with the scored attempt (`?attempt=`), and only for that supporter.
 */
export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const { user, module } = await requireLibraryModule(args);
  const attemptId = new URL(args.request.url).searchParams.get("attempt");
  if (attemptId !== null) {
    const result = await attemptResult(db, user.id, attemptId);
    if (!result || result.slug !== module.slug) throw notFound();
    return { kind: "result" as const, title: result.title, slug: module.slug, result };
  }
  const { version } = await readerState(db, user.id, module);
  return {
    kind: "questions" as const,
    title: version.title,
    slug: module.slug,
    versionId: version.id,
    questions: questionsForBrowser(version.quiz),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user, module } = await requireLibraryModule(args);
  const formData = await readForm(args.request);
  const answers: Record<string, string> = {};
  for (const name of new Set(formData.keys())) {
    if (name !== "versionId") answers[name] = formText(formData, name).slice(0, 100);
  }
  try {
    const outcome = await submitAttempt(args.context.db, user.id, module, formText(formData, "versionId"), answers);
    if (!outcome.ok) return data({ formError: null, errors: outcome.errors, answers }, { status: 400 });
    return redirect(`/supporter/learning/${module.slug}/check?attempt=${outcome.attemptId}`);
  } catch (error) {
    if (error instanceof LearningRuleError) return data({ formError: error.messageKey, errors: {}, answers }, { status: 400 });
    throw error;
  }
}

export default function KnowledgeCheck() {
  const page = useLoaderData<typeof loader>();
  const base = `/supporter/learning/${page.slug}`;
  return (
    <div className="page">
      <p>
        <Link to={base}>{page.title}</Link>
      </p>
      {page.kind === "result" ? <AttemptResult result={page.result} base={base} /> : <Questions page={page} />}
    </div>
  );
}

function Questions({ page }: { page: Extract<ReturnType<typeof useLoaderData<typeof loader>>, { kind: "questions" }> }) {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string> = actionData?.errors ?? {};
  return (
    <>
      <h1>{t("learning.check.title")}</h1>
      <p className="lead">{t("learning.check.lead", { percent: passMarkPercent })}</p>
      {actionData?.formError ? (
        <p className="notice notice--error" role="alert">
          {t(actionData.formError as MessageKey)}
        </p>
      ) : null}
      {Object.keys(errors).length > 0 ? (
        <p className="notice notice--error" role="alert">
          {t("learning.check.fix")}
        </p>
      ) : null}
      <Form method="post" className="stack">
        <input type="hidden" name="versionId" value={page.versionId} />
        {page.questions.map((question, number) => {
          const error = errors[question.id];
          return (
            <fieldset key={question.id} className="question" aria-describedby={error ? `${question.id}-error` : undefined}>
              <legend>
                {t("learning.check.questionNumber", { number: number + 1 })} {question.question}
              </legend>
              {question.options.map((option) => (
                <label key={option.id} className="choice">
                  <input
                    type="radio"
                    name={question.id}
                    value={option.id}
                    defaultChecked={actionData?.answers[question.id] === option.id}
                  />
                  <span>{option.text}</span>
                </label>
              ))}
              {error ? (
                <p className="error" id={`${question.id}-error`}>
                  {t(error as MessageKey)}
                </p>
              ) : null}
            </fieldset>
          );
        })}
        <div className="actions">
          <button type="submit" className="button">
            {t("learning.check.submit")}
          </button>
        </div>
      </Form>
    </>
  );
}

function AttemptResult({ result, base }: { result: NonNullable<Awaited<ReturnType<typeof attemptResult>>>; base: string }) {
  const t = useT();
  return (
    <>
      <h1>{t("learning.check.resultTitle")}</h1>
      <p className={result.passed ? "notice notice--ok" : "notice"} role="status">
        {t(result.passed ? "learning.check.passed" : "learning.check.notYet", {
          correct: result.correct,
          total: result.total,
          score: result.scorePercent,
          percent: passMarkPercent,
        })}
      </p>
      <ol className="list">
        {result.answers.map((answer) => (
          <li key={answer.questionId}>
            <p>
              <strong>{answer.question}</strong>
            </p>
            <p>
              {t("learning.check.yourAnswer")} {answer.chosen}
            </p>
            <p className={answer.isCorrect ? "badge badge--ok" : "badge badge--danger"}>
              {t(answer.isCorrect ? "learning.check.right" : "learning.check.wrong")}
            </p>
            <p>{answer.explanation}</p>
          </li>
        ))}
      </ol>
      <p className="actions">
        {result.passed ? null : (
          <Link to={`${base}/check`} className="button">
            {t("learning.check.retry")}
          </Link>
        )}
        <Link to={base} className={result.passed ? "button" : "button button--secondary"}>
          {t("learning.check.backToModule")}
        </Link>
      </p>
    </>
  );
}
