import * as z from "zod";
import { isCalendarDate } from "~/utils/dates";
import { auditActions } from "~/vocabulary";

/**
 * The audit trail's filters, as they travel in the URL: opaque ids, action names and dates only, never a
 * name or an address. Whether the person belongs to the program is the server's question (audit-filter.server.ts).
 */
export const auditFilterSchema = z
  .object({
    person: z.string().max(100, { error: "validation.auditPerson.invalid" }).optional(),
    action: z.enum(auditActions, { error: "validation.auditAction.invalid" }).optional(),
    from: z.string().refine(isCalendarDate, { error: "validation.date.invalid" }).optional(),
    to: z.string().refine(isCalendarDate, { error: "validation.date.invalid" }).optional(),
  })
  .refine(
    (value) => !value.from || !value.to || !isCalendarDate(value.from) || !isCalendarDate(value.to) || value.to >= value.from,
    {
      error: "validation.auditRange.order",
      path: ["to"],
    },
  );

export type AuditFilterInput = z.output<typeof auditFilterSchema>;
