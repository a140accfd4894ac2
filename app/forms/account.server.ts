import * as z from "zod";
import { languages } from "~/vocabulary";

/** Ending one of the person's signed-in sessions, every other one, or all of them. */
export const sessionActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("end-one"), sessionId: z.string().regex(/^[0-9a-f]{64}$/) }),
  z.object({ intent: z.literal("end-others") }),
  z.object({ intent: z.literal("end-all") }),
]);

/** The membership a person chooses to act as, and where to go next. */
export const membershipChoiceSchema = z.object({
  membershipId: z.string().max(100),
  redirectTo: z.string().max(2000).optional(),
});

/** Discreet mode: a checkbox, so it is sent as "on" or not at all. */
export const discreetModeSchema = z.object({ discreet: z.literal("on").optional() }).transform((form) => form.discreet === "on");

/** A language Care Circle speaks. */
export const languageChoiceSchema = z.object({ language: z.enum(languages) });
