import { getFormProps, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import type { z } from "zod";
import { sharingCategories, type SharingCategory } from "~/vocabulary";
import { ConsentDocument, type ConsentSummary } from "~/components/consent-document";
import { ErrorSummary } from "~/components/error-summary";
import { FieldError, TextAreaField, TextField } from "~/components/form";
import { useSchemaForm } from "~/components/schema-form";
import { useT } from "~/i18n/i18n";
import type { consentChoiceSchema } from "~/forms/consent";

export type ConsentPreview = { text: string; digest: string; summary: ConsentSummary };

type ConsentFieldName = "categories" | "purpose" | "expiryKind" | "expiresOn" | "signature" | "name" | "email" | "relationship";

type Defaults = {
  categories?: readonly SharingCategory[];
  purpose: string;
  expiryKind?: "date" | "episode_end";
  expiresOn?: string | null;
};

/**
 * The consent form, in two steps on one page: choose, then read the consent exactly as it will be
 * stored and sign it by typing your full name. Without scripts both steps are plain form posts.
 */
export function ConsentForm({
  schema,
  lastResult,
  preview,
  defaults,
  signLabel,
  patientName,
  extraFields,
}: {
  schema: z.ZodType<z.output<typeof consentChoiceSchema>>;
  lastResult?: SubmissionResult<string[]>;
  preview?: ConsentPreview | null;
  defaults: Defaults;
  signLabel: string;
  patientName: string;
  /** Fields before the consent choices (the invitation's recipient). */
  extraFields?: (fields: Record<ConsentFieldName, FieldMetadata<string>>) => ReactNode;
}) {
  const t = useT();
  const [form, anyFields] = useSchemaForm(schema, {
    lastResult,
    defaultValue: {
      categories: defaults.categories ? [...defaults.categories] : [],
      purpose: defaults.purpose,
      expiryKind: defaults.expiryKind ?? "episode_end",
      expiresOn: defaults.expiresOn ?? "",
    },
    shouldValidate: "onSubmit",
  });
  const fields = anyFields as unknown as Record<ConsentFieldName, FieldMetadata<string>>;
  const chosen = (fields.categories.value as unknown as string[] | string | undefined) ?? defaults.categories ?? [];
  const chosenList = Array.isArray(chosen) ? chosen : [chosen];
  const expiryKind = fields.expiryKind.value ?? defaults.expiryKind ?? "episode_end";
  return (
    <>
      <ErrorSummary
        id={form.errorId}
        submission={lastResult}
        formErrors={form.errors}
        fields={[
          fields.name,
          fields.email,
          fields.relationship,
          fields.categories,
          fields.purpose,
          fields.expiryKind,
          fields.expiresOn,
          fields.signature,
        ]}
      />
      <Form method="post" className="stack" {...getFormProps(form)}>
        {extraFields ? extraFields(fields) : null}
        <fieldset
          id={fields.categories.id}
          aria-describedby={fields.categories.errors?.length ? fields.categories.errorId : undefined}
        >
          <legend>{t("consent.categories.legend")}</legend>
          {sharingCategories.map((category) => (
            <label key={category} className="choice">
              <input
                type="checkbox"
                name={fields.categories.name}
                value={category}
                defaultChecked={chosenList.includes(category)}
                form={form.id}
              />
              <span>
                <strong>{t(`category.${category}.title`)}</strong>: {t(`category.${category}.description`)}
              </span>
            </label>
          ))}
          <FieldError field={fields.categories} />
        </fieldset>
        <TextAreaField field={fields.purpose} label={t("consent.purpose.label")} maxLength={500} />
        <fieldset id={fields.expiryKind.id}>
          <legend>{t("consent.expiry.legend")}</legend>
          <label className="choice">
            <input
              type="radio"
              name={fields.expiryKind.name}
              value="episode_end"
              defaultChecked={expiryKind === "episode_end"}
              form={form.id}
            />
            <span>{t("consent.expiry.episodeEnd")}</span>
          </label>
          <label className="choice">
            <input
              type="radio"
              name={fields.expiryKind.name}
              value="date"
              defaultChecked={expiryKind === "date"}
              form={form.id}
            />
            <span>{t("consent.expiry.date")}</span>
          </label>
          <FieldError field={fields.expiryKind} />
          <TextField
            field={fields.expiresOn}
            label={t("consent.expiresOn.label")}
            hint={t("consent.expiresOn.hint")}
            type="date"
          />
        </fieldset>

        {preview ? (
          <section aria-labelledby="consent-preview-heading" className="stack">
            <h2 id="consent-preview-heading">{t("consent.preview.heading")}</h2>
            <p>{t("consent.preview.lead")}</p>
            <ConsentDocument text={preview.text} summary={preview.summary} />
            <input type="hidden" name="previewDigest" value={preview.digest} />
            <TextField
              field={fields.signature}
              label={t("consent.signature.label")}
              hint={t("consent.signature.hint", { name: patientName })}
              autoComplete="off"
            />
            <div className="actions">
              <button type="submit" name="intent" value="sign" className="button">
                {signLabel}
              </button>
              <button type="submit" name="intent" value="review" className="button button--secondary">
                {t("consent.preview.refresh")}
              </button>
            </div>
          </section>
        ) : (
          <div className="actions">
            <button type="submit" name="intent" value="review" className="button">
              {t("consent.preview.submit")}
            </button>
          </div>
        )}
      </Form>
    </>
  );
}
