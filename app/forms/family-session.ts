import * as z from "zod";
import { isCalendarDate, isClockTime, minutesOfClockTime } from "~/utils/dates";
import { maxInvitees, maxSessionMinutes, minSessionMinutes } from "~/forms/limits";

export function isHttpsUrl(value: string) {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

/** When and where: the parts a change may touch. Times are wall-clock times in the program's time zone. */
const timeFields = {
  date: z.string({ error: "validation.date.required" }).refine(isCalendarDate, { error: "validation.date.invalid" }),
  startTime: z.string({ error: "familySessions.validation.timeRequired" }).refine(isClockTime, {
    error: "familySessions.validation.timeInvalid",
  }),
  endTime: z.string({ error: "familySessions.validation.timeRequired" }).refine(isClockTime, {
    error: "familySessions.validation.timeInvalid",
  }),
  location: z.string().trim().max(200, { error: "familySessions.validation.locationTooLong" }).optional(),
  videoUrl: z
    .string()
    .trim()
    .max(500, { error: "familySessions.validation.videoUrlTooLong" })
    .refine(isHttpsUrl, { error: "familySessions.validation.videoUrlHttps" })
    .optional(),
};

/** An end after the start, a length the program allows, and somewhere to meet: a place or a video link. */
function checkTimeAndPlace(
  value: { startTime: string; endTime: string; location?: string; videoUrl?: string },
  context: z.RefinementCtx,
) {
  if (isClockTime(value.startTime) && isClockTime(value.endTime)) {
    const minutes = minutesOfClockTime(value.endTime) - minutesOfClockTime(value.startTime);
    if (minutes <= 0)
      context.addIssue({ code: "custom", path: ["endTime"], message: "familySessions.validation.endBeforeStart" });
    else if (minutes < minSessionMinutes || minutes > maxSessionMinutes) {
      context.addIssue({ code: "custom", path: ["endTime"], message: "familySessions.validation.length" });
    }
  }
  if (!value.location && !value.videoUrl) {
    context.addIssue({ code: "custom", path: ["location"], message: "familySessions.validation.placeRequired" });
  }
}

export const sessionTimeSchema = z.object(timeFields).superRefine(checkTimeAndPlace);

/** The therapist proposes: when, where, and whom of the patient's circle to invite. */
export const proposeSessionSchema = z
  .object({
    ...timeFields,
    invitees: z
      .array(z.string().max(100, { error: "familySessions.validation.inviteeUnknown" }), {
        error: "familySessions.validation.inviteesRequired",
      })
      .min(1, { error: "familySessions.validation.inviteesRequired" })
      .max(maxInvitees, { error: "familySessions.validation.tooManyInvitees" }),
  })
  .superRefine(checkTimeAndPlace);

export type SessionTime = z.output<typeof sessionTimeSchema>;
