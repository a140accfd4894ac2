import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { FormErrors, SelectField, TextField } from "~/components/form";
import { assignModuleSchema, suggestModuleSchema } from "~/forms/learning";
import { useT } from "~/i18n/i18n";

type Props = {
  as: "therapist" | "patient";
  modules: { slug: string; title: string; readingMinutes: number }[];
  supporters: { linkId: string; name: string }[];
  lastResult: SubmissionResult<string[]> | undefined;
};

/** Choose a module and who should take it: one supporter, or all who share education. */
export function AssignModuleForm({ as, modules, supporters, lastResult }: Props) {
  const t = useT();
  const schema = as === "therapist" ? assignModuleSchema : suggestModuleSchema;
  const [form, fields] = useForm<{ slug: string; target: string; dueOn?: string }>({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
  });
  return (
    <>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" className="stack" {...getFormProps(form)}>
        <SelectField field={fields.slug} label={t("learning.assign.module")}>
          <option value="">{t("learning.assign.chooseModule")}</option>
          {modules.map((module) => (
            <option key={module.slug} value={module.slug}>
              {t("learning.assign.moduleOption", { title: module.title, count: module.readingMinutes })}
            </option>
          ))}
        </SelectField>
        <SelectField field={fields.target} label={t("learning.assign.target")}>
          <option value="">{t("learning.assign.chooseTarget")}</option>
          {supporters.length > 1 ? (
            <option value="all">{t("learning.assign.everyone", { count: supporters.length })}</option>
          ) : null}
          {supporters.map((supporter) => (
            <option key={supporter.linkId} value={supporter.linkId}>
              {supporter.name}
            </option>
          ))}
        </SelectField>
        {as === "therapist" ? (
          <TextField field={fields.dueOn} type="date" label={t("learning.assign.dueOn")} hint={t("learning.assign.dueOnHint")} />
        ) : null}
        <div className="actions">
          <button type="submit" className="button">
            {t(as === "therapist" ? "learning.assign.submit" : "learning.suggest.submit")}
          </button>
        </div>
      </Form>
    </>
  );
}
