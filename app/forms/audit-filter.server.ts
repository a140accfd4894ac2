import { parseWithZod } from "@conform-to/zod/v4";
import type { Database } from "#db/database";
import { isProgramMembership, type AuditFilter } from "~/models/audit.server";
import { getProgram } from "~/models/program.server";
import type { CurrentSession } from "~/session.server";
import { addDays, startOfDayIn } from "~/utils/dates";
import { auditFilterSchema, type AuditFilterInput } from "./audit-filter";

/** The filters again as a query string, in a fixed order and without empty fields, for links that keep them. */
function filterQuery(value: AuditFilterInput) {
  const query = new URLSearchParams();
  for (const key of ["person", "action", "from", "to"] as const) {
    const field = value[key];
    if (field) query.set(key, field);
  }
  return query.toString();
}

/**
 * The admin's filters from the URL, checked: `filter` is null when any field is wrong, so that nothing
 * is ever shown filtered otherwise than asked. A person id of another program (or of no one) is simply
 * invalid here; it is never looked up anywhere else. Dates are whole days in the program's time zone.
 */
export async function readAuditFilter(db: Database, user: CurrentSession["user"], url: URL) {
  const timeZone = (await getProgram(db, user.programId))?.timeZone ?? "UTC";
  const submission = parseWithZod(url.searchParams, { schema: auditFilterSchema });
  // Checked even when another field is wrong, so that every mistake is shown at once.
  const person = url.searchParams.get("person") ?? "";
  const strangePerson = person !== "" && (person.length > 100 || !(await isProgramMembership(db, user.programId, person)));
  if (submission.status !== "success" || strangePerson) {
    const fieldErrors = strangePerson ? { person: ["validation.auditPerson.invalid"] } : undefined;
    return { timeZone, result: submission.reply({ fieldErrors }), filter: null, query: "" };
  }
  const { action, from, to } = submission.value;
  const filter: AuditFilter = {
    actorId: submission.value.person,
    action,
    from: from ? startOfDayIn(timeZone, from) : undefined,
    until: to ? startOfDayIn(timeZone, addDays(to, 1)) : undefined,
  };
  return { timeZone, result: null, filter, query: filterQuery(submission.value) };
}
