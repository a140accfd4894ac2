import * as z from "zod";
import { isCalendarDate } from "~/utils/dates";
import { passwordMaxLength, passwordMinLength } from "~/forms/limits";

/**
 * Schemas shared by the browser (instant feedback) and the server (the decision). Messages are
 * translation keys, translated where they are shown.
 */

export const emailField = z
  .string({ error: "validation.email.required" })
  .trim()
  .max(254, { error: "validation.email.invalid" })
  .pipe(z.email({ error: "validation.email.invalid" }));

export const newPasswordField = z
  .string({ error: "validation.password.required" })
  .min(passwordMinLength, { error: "validation.password.tooShort" })
  .max(passwordMaxLength, { error: "validation.password.tooLong" });

export const currentPasswordField = z
  .string({ error: "validation.password.required" })
  .max(passwordMaxLength, { error: "validation.password.tooLong" });

export const personNameField = z
  .string({ error: "validation.name.required" })
  .trim()
  .min(1, { error: "validation.name.required" })
  .max(120, { error: "validation.name.tooLong" });

export const calendarDateField = z
  .string({ error: "validation.date.required" })
  .refine(isCalendarDate, { error: "validation.date.invalid" });

export const tokenField = z.string({ error: "validation.token.missing" }).max(200);

/** A new password typed twice. */
export const passwordPairSchema = z
  .object({ password: newPasswordField, confirmPassword: z.string({ error: "validation.password.required" }) })
  .refine((value) => value.password === value.confirmPassword, {
    error: "validation.password.mismatch",
    path: ["confirmPassword"],
  });
