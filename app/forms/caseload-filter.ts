import * as z from "zod";
import { attentionReasons } from "~/vocabulary";
import { caseloadNameMax } from "~/forms/limits";

/** The caseload's filters and page, as they travel in the URL (a GET form): a name fragment, never more. */
export const caseloadFilterSchema = z.object({
  name: z.string().trim().max(caseloadNameMax, { error: "validation.caseloadName.tooLong" }).optional(),
  attention: z.literal("on", { error: "validation.caseloadAttention.invalid" }).optional(),
  reason: z.enum(attentionReasons, { error: "validation.caseloadReason.invalid" }).optional(),
});
