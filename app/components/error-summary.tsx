import type { FieldMetadata } from "@conform-to/react";
import { useEffect, useId, useRef, type MouseEvent } from "react";
import { useT, type MessageKey } from "~/i18n/i18n";

/** Moves the focus to the field a summary link names: the control itself, or a group's first control. */
function focusField(event: MouseEvent<HTMLAnchorElement>, id: string) {
  const target = document.getElementById(id);
  const control = target?.matches("input, select, textarea") ? target : target?.querySelector("input, select, textarea");
  if (!(control instanceof HTMLElement)) return;
  event.preventDefault();
  control.focus();
  target!.scrollIntoView({ block: "center" });
}

/**
 * What went wrong with a submitted form, at its top (the GOV.UK error summary): the form's own errors,
 * then a link to each field in error, in the form's order. It takes the focus when it appears, through
 * `autofocus` without JavaScript and again on each new submission with it. A field group needs its
 * `id` (Conform's `field.id`) on its fieldset for the link to land.
 */
export function ErrorSummary({
  id,
  submission,
  formErrors,
  fields,
}: {
  /** The form's error id (Conform's `form.errorId`), which the form points to as its description. */
  id: string;
  /** The last submission's result: a new one, even with the same errors, takes the focus again. */
  submission: unknown;
  formErrors?: string[];
  fields: FieldMetadata<unknown>[];
}) {
  const t = useT();
  const headingId = useId();
  const summary = useRef<HTMLDivElement>(null);
  const inError = fields.filter((field) => field.errors?.length);
  const hasErrors = Boolean(formErrors?.length) || inError.length > 0;
  useEffect(() => {
    if (hasErrors) summary.current?.focus();
  }, [submission, hasErrors]);
  if (!hasErrors) return null;
  return (
    // The summary is where a person lands after a failed submission; without scripts only autofocus gets them there.
    // eslint-disable-next-line jsx-a11y/no-autofocus
    <div id={id} ref={summary} className="error-summary" role="alert" aria-labelledby={headingId} tabIndex={-1} autoFocus>
      <h2 id={headingId}>{t("form.errorSummary.title")}</h2>
      <ul>
        {(formErrors ?? []).map((error) => (
          <li key={error}>{t(error as MessageKey)}</li>
        ))}
        {inError.map((field) => (
          <li key={field.id}>
            <a href={`#${field.id}`} onClick={(event) => focusField(event, field.id)}>
              {t(field.errors![0] as MessageKey)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
