import { z } from "zod";
import { attentionReasons } from "~/vocabulary";

export const caseloadNameMax = 100;

/** The caseload's filters and page, as they travel in the URL (a GET form): a name fragment, never more. */
export const caseloadFilterSchema = z.object({
  name: z.string().trim().max(caseloadNameMax, { error: "validation.caseloadName.tooLong" }).optional(),
  attention: z.literal("on", { error: "validation.caseloadAttention.invalid" }).optional(),
  reason: z.enum(attentionReasons, { error: "validation.caseloadReason.invalid" }).optional(),
});

/** A page number from a link; anything else is the first page. */
export const caseloadPageSchema = z.coerce.number().int().min(1).max(100_000).catch(1);
