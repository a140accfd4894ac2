import { getInputProps, getSelectProps, type FieldMetadata } from "@conform-to/react";
import type { TOptions } from "i18next";
import type { ReactNode } from "react";
import { useT, type MessageKey } from "~/i18n/i18n";

type FieldProps = {
  field: FieldMetadata<string | number | undefined>;
  label: string;
  hint?: string;
};

function describedBy(field: FieldMetadata<unknown>, hint?: string) {
  const ids = [hint ? field.descriptionId : null, field.errors?.length ? field.errorId : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

/** The first error of a field, translated (schemas carry translation keys). */
export function FieldError({ field }: { field: FieldMetadata<unknown> }) {
  const t = useT();
  const [error] = field.errors ?? [];
  return error ? (
    <p id={field.errorId} className="error">
      {t(error as MessageKey)}
    </p>
  ) : null;
}

/** A control with its label, its hint and its first error, tied together for assistive technology. */
function FieldFrame({ field, label, hint, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      {hint ? (
        <p id={field.descriptionId} className="hint">
          {hint}
        </p>
      ) : null}
      {children}
      <FieldError field={field} />
    </div>
  );
}

export function TextField({
  field,
  label,
  hint,
  type = "text",
  autoComplete,
}: FieldProps & { type?: "text" | "email" | "password" | "date" | "time" | "url" | "number"; autoComplete?: string }) {
  return (
    <FieldFrame field={field} label={label} hint={hint}>
      <input
        {...getInputProps(field, { type, ariaAttributes: false })}
        aria-invalid={field.errors?.length ? true : undefined}
        aria-describedby={describedBy(field, hint)}
        autoComplete={autoComplete}
      />
    </FieldFrame>
  );
}

export function TextAreaField({ field, label, hint, maxLength }: FieldProps & { maxLength: number }) {
  return (
    <FieldFrame field={field} label={label} hint={hint}>
      <textarea
        id={field.id}
        name={field.name}
        form={field.formId}
        defaultValue={field.initialValue}
        maxLength={maxLength}
        aria-invalid={field.errors?.length ? true : undefined}
        aria-describedby={describedBy(field, hint)}
      />
    </FieldFrame>
  );
}

/** What a single select shows: a form posted with the field twice comes back as a list, and the select shows its first. */
export function oneValue(value: string | number | readonly string[] | undefined) {
  return typeof value === "object" ? value[0] : value;
}

export function SelectField({ field, label, hint, children }: FieldProps & { children: ReactNode }) {
  const { defaultValue, ...props } = getSelectProps(field, { ariaAttributes: false });
  return (
    <FieldFrame field={field} label={label} hint={hint}>
      <select
        {...props}
        defaultValue={oneValue(defaultValue)}
        aria-invalid={field.errors?.length ? true : undefined}
        aria-describedby={describedBy(field, hint)}
      >
        {children}
      </select>
    </FieldFrame>
  );
}

/** Errors about the whole form (wrong credentials, a link that no longer works), with the values their messages take. */
export function FormErrors({ errors, id, values }: { errors?: string[]; id: string; values?: TOptions }) {
  const t = useT();
  if (!errors?.length) return null;
  return (
    <div id={id} className="notice notice--error" role="alert">
      {errors.map((error) => (
        <p key={error}>{t(error as MessageKey, values)}</p>
      ))}
    </div>
  );
}
