import * as z from "zod";
import { attendanceStatuses } from "~/vocabulary";
import { isHttpsUrl } from "~/forms/family-session";
import { isCalendarDate, isClockTime } from "~/utils/dates";
import { maxSessionMinutes, minSessionMinutes } from "~/forms/limits";

/** A weekly group: a day, a wall-clock start in the program's time zone, a length, and a place or an https link. */
export const groupSchema = z
  .object({
    name: z
      .string({ error: "schedule.validation.nameRequired" })
      .trim()
      .min(1, { error: "schedule.validation.nameRequired" })
      .max(100, { error: "schedule.validation.nameTooLong" }),
    weekday: z
      .number({ error: "schedule.validation.dayRequired" })
      .int({ error: "schedule.validation.dayRequired" })
      .min(1, { error: "schedule.validation.dayRequired" })
      .max(7, { error: "schedule.validation.dayRequired" }),
    startTime: z.string({ error: "familySessions.validation.timeRequired" }).refine(isClockTime, {
      error: "familySessions.validation.timeInvalid",
    }),
    durationMinutes: z
      .number({ error: "schedule.validation.length" })
      .int({ error: "schedule.validation.length" })
      .min(minSessionMinutes, { error: "schedule.validation.length" })
      .max(maxSessionMinutes, { error: "schedule.validation.length" }),
    location: z.string().trim().max(200, { error: "familySessions.validation.locationTooLong" }).optional(),
    videoUrl: z
      .string()
      .trim()
      .max(500, { error: "familySessions.validation.videoUrlTooLong" })
      .refine(isHttpsUrl, { error: "familySessions.validation.videoUrlHttps" })
      .optional(),
  })
  .superRefine((value, context) => {
    if (!value.location && !value.videoUrl) {
      context.addIssue({ code: "custom", path: ["location"], message: "familySessions.validation.placeRequired" });
    }
  });

export type GroupInput = z.output<typeof groupSchema>;

/** One of the therapist's patients to enrol in a group, or whose enrolment ends. */
export const enrolmentSchema = z.object({
  patientId: z
    .string({ error: "schedule.validation.patientRequired" })
    .max(100, { error: "schedule.validation.patientRequired" }),
});

/** One meeting of a group: its date, and what each patient's attendance was (patients left unmarked are not recorded). */
export const meetingSchema = z
  .object({
    date: z.string({ error: "validation.date.required" }).refine(isCalendarDate, { error: "validation.date.invalid" }),
    attendance: z.record(z.string().max(100), z.enum(attendanceStatuses)).optional(),
  })
  // A form with nobody marked would record nothing: said so rather than answered "saved".
  .refine((value) => Object.keys(value.attendance ?? {}).length > 0, { error: "schedule.validation.nobodyMarked" });

export type MeetingInput = z.output<typeof meetingSchema>;
