import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form, Link } from "@remix-run/react";
import * as z from "zod";
import { SelectField, TextField } from "~/components/form";
import { useSchemaForm } from "~/components/schema-form";
import { emailField } from "~/validation";
import { auditFilterSchema } from "~/forms/audit-filter";
import { useT, type MessageKey } from "~/i18n/i18n";
import { auditActions, roles, type Role } from "~/vocabulary";

type Person = { id: string; name: string; role: Role };

/**
 * The audit trail's filters: a GET form, so that the filtered view is a plain URL (ids, actions and
 * dates only) that works without JavaScript and survives paging.
 */
export function AuditFilterForm({
  people,
  values,
  lastResult,
  timeZone,
}: {
  people: Person[];
  values: Record<string, string>;
  lastResult: SubmissionResult<string[]> | null;
  timeZone: string;
}) {
  const t = useT();
  const [form, fields] = useSchemaForm(auditFilterSchema, { lastResult, defaultValue: values, shouldValidate: "onSubmit" });
  const datesHint = t("audit.filter.dates.hint", { timeZone });
  return (
    <section aria-labelledby="audit-filter-title">
      <h2 id="audit-filter-title">{t("audit.filter.title")}</h2>
      <Form method="get" className="stack" {...getFormProps(form)}>
        <SelectField field={fields.person} label={t("audit.filter.person")} hint={t("audit.filter.person.hint")}>
          <option value="">{t("audit.filter.person.any")}</option>
          {roles
            .filter((role) => people.some((person) => person.role === role))
            .map((role) => (
              <optgroup key={role} label={t(`role.${role}` as MessageKey)}>
                {people
                  .filter((person) => person.role === role)
                  .map((person) => (
                    <option key={person.id} value={person.id}>
                      {`${person.name} (${t(`role.${role}` as MessageKey)})`}
                    </option>
                  ))}
              </optgroup>
            ))}
        </SelectField>
        <SelectField field={fields.action} label={t("audit.filter.action")}>
          <option value="">{t("audit.filter.action.any")}</option>
          {auditActions.map((action) => (
            <option key={action} value={action}>
              {t(`audit.action.${action}` as MessageKey)}
            </option>
          ))}
        </SelectField>
        <TextField field={fields.from} label={t("audit.filter.from")} type="date" hint={datesHint} />
        <TextField field={fields.to} label={t("audit.filter.to")} type="date" hint={datesHint} />
        <div className="actions">
          <button type="submit" className="button">
            {t("audit.filter.submit")}
          </button>
          <Link to="/admin/audit">{t("audit.filter.clear")}</Link>
        </div>
      </Form>
    </section>
  );
}

export const personLookupSchema = z.object({ email: emailField });

/** Finds a person the select does not list by their e-mail address, posted so that it stays out of every URL. */
export function AuditPersonLookup({ lastResult, matches }: { lastResult: SubmissionResult<string[]> | null; matches: Person[] }) {
  const t = useT();
  const [form, fields] = useSchemaForm(personLookupSchema, { lastResult });
  return (
    <section aria-labelledby="audit-lookup-title">
      <h2 id="audit-lookup-title">{t("audit.lookup.title")}</h2>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <TextField field={fields.email} label={t("field.email")} type="email" autoComplete="off" />
        <div className="actions">
          <button type="submit" className="button button--secondary">
            {t("audit.lookup.submit")}
          </button>
        </div>
      </Form>
      {matches.length > 1 ? (
        <>
          <p>{t("audit.lookup.several")}</p>
          <ul>
            {matches.map((person) => (
              <li key={person.id}>
                <Link to={`/admin/audit?person=${person.id}`}>
                  {`${person.name} (${t(`role.${person.role}` as MessageKey)})`}
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
