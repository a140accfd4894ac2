import * as z from "zod";
import { isCalendarDate } from "~/utils/dates";
import { reflectionMaxLength } from "~/forms/limits";

/** Module slugs and ids in forms are short; anything longer is tampering, refused with a message. */
const slugField = z.string({ error: "learning.assign.moduleRequired" }).max(100, { error: "learning.assign.unknownModule" });

/** The patient suggests a module to one of their supporters, or to all who share `education`. */
export const suggestModuleSchema = z.object({
  slug: slugField,
  target: z.string({ error: "learning.assign.targetRequired" }).max(100, { error: "learning.assign.unknownSupporter" }),
});

/** The therapist asks, with an optional due date. */
export const assignModuleSchema = suggestModuleSchema.extend({
  dueOn: z.string().refine(isCalendarDate, { error: "validation.date.invalid" }).optional(),
});

export const reflectionSchema = z.object({
  intent: z.literal("reflection"),
  versionId: z.string({ error: "learning.version.mismatch" }).max(100, { error: "learning.version.mismatch" }),
  reflection: z.string().trim().max(reflectionMaxLength, { error: "learning.reflection.tooLong" }).default(""),
  share: z.boolean().default(false),
});
