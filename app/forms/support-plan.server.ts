import * as z from "zod";

/** A supporter's answer to a support-plan item asked of them. */
export const supportPlanAnswerSchema = z.object({ itemId: z.string().max(100), intent: z.enum(["accepted", "declined"]) });
