import * as z from "zod";
import { calendarDateField, emailField, personNameField } from "~/validation";

export const enrolPatientSchema = z.object({
  name: personNameField,
  email: emailField,
  startDate: calendarDateField,
  plannedWeeks: z
    .number({ error: "validation.plannedWeeks.invalid" })
    .int({ error: "validation.plannedWeeks.invalid" })
    .min(1, { error: "validation.plannedWeeks.invalid" })
    .max(52, { error: "validation.plannedWeeks.invalid" }),
  therapistId: z.string({ error: "validation.therapist.required" }).max(100),
});
