import * as z from "zod";
import { supportNeeds } from "~/vocabulary";

export const planItemSchema = z.object({
  intent: z.literal("add"),
  need: z.enum(supportNeeds, { error: "plan.need.required" }),
  details: z.string().trim().max(500, { error: "plan.details.tooLong" }).optional(),
  ask: z.array(z.string().max(100), { error: "plan.ask.outside" }).max(50).default([]),
});
