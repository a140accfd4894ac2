import * as z from "zod";

/** The patient's actions on one link of their circle: resend or cancel an invitation, end sharing. */
export const circleLinkActionSchema = z.object({
  intent: z.enum(["resend", "cancel", "revoke"]),
  linkId: z.string().min(1).max(100),
});
