import * as z from "zod";
import { episodeEndReasons, episodeKinds } from "~/vocabulary";
import { calendarDateField } from "~/validation";

export const endEpisodeSchema = z.object({
  reason: z.enum(episodeEndReasons, { error: "validation.endReason.required" }),
});

export const startEpisodeSchema = z.object({
  kind: z.enum(episodeKinds, { error: "validation.episodeKind.required" }),
  startDate: calendarDateField,
  plannedWeeks: z
    .number({ error: "validation.plannedWeeks.invalid" })
    .int({ error: "validation.plannedWeeks.invalid" })
    .min(1, { error: "validation.plannedWeeks.invalid" })
    .max(52, { error: "validation.plannedWeeks.invalid" }),
  therapistId: z.string({ error: "validation.therapist.required" }).max(100),
});

export const reassignSchema = z.object({
  therapistId: z.string({ error: "validation.therapist.required" }).max(100),
});
