import * as z from "zod";
import { checkInKinds } from "~/vocabulary";
import { checkInTextMax, earlierCheckInsLimit } from "~/forms/limits";

const optionalText = z.string().trim().max(checkInTextMax, { error: "checkIn.text.tooLong" }).optional();

/**
 * A check-in or a slip. Each field is optional, but it must say something. The audience is a list
 * of link ids; the model checks each against a live consent that includes `progress`.
 */
export const checkInSchema = z
  .object({
    kind: z.enum(checkInKinds, { error: "checkIn.kind.unknown" }).default("check_in"),
    mood: z
      .number({ error: "checkIn.mood.range" })
      .int({ error: "checkIn.mood.range" })
      .min(1, { error: "checkIn.mood.range" })
      .max(5, { error: "checkIn.mood.range" })
      .optional(),
    craving: z
      .number({ error: "checkIn.craving.range" })
      .int({ error: "checkIn.craving.range" })
      .min(0, { error: "checkIn.craving.range" })
      .max(10, { error: "checkIn.craving.range" })
      .optional(),
    wins: optionalText,
    hard: optionalText,
    helpRequest: optionalText,
    audience: z.array(z.string().max(100), { error: "checkIn.audience.outside" }).max(50).default([]),
    sharedWithCareTeam: z.boolean().default(false),
  })
  .refine((value) => value.mood !== undefined || value.craving !== undefined || value.wins || value.hard || value.helpRequest, {
    error: "checkIn.empty",
  });

export type CheckInForm = z.infer<typeof checkInSchema>;

/** The earlier check-ins the patient picked to share with one supporter: at least one. */
export const earlierCheckInsSchema = z.object({
  checkIns: z
    .array(z.string().max(100), { error: "earlierCheckIns.pickOne" })
    .min(1, { error: "earlierCheckIns.pickOne" })
    .max(earlierCheckInsLimit, { error: "earlierCheckIns.pickOne" }),
});
