import { parseWithZod } from "@conform-to/zod/v4";
import { data, type TypedResponse } from "@remix-run/node";
import { CheckInRuleError, type CheckInInput } from "~/models/check-in.server";
import * as z from "zod";
import { replyMessageMax } from "~/forms/limits";
import { replyPresets } from "~/vocabulary";
import { checkInSchema } from "./check-in";

/**
 * Parses a check-in form and hands it to `save`. Bad input, or an audience outside the patient's
 * circle, comes back as messages at the field, and nothing is saved.
 */
export async function handleCheckInForm(formData: FormData, save: (input: CheckInInput) => Promise<TypedResponse<never>>) {
  const submission = parseWithZod(formData, { schema: checkInSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const value = submission.value;
  try {
    return await save({
      kind: value.kind,
      mood: value.mood ?? null,
      craving: value.craving ?? null,
      wins: value.wins || null,
      hard: value.hard || null,
      helpRequest: value.helpRequest || null,
      audience: value.audience,
      sharedWithCareTeam: value.sharedWithCareTeam,
    });
  } catch (error) {
    if (error instanceof CheckInRuleError) {
      return data({ result: submission.reply({ fieldErrors: { [error.field]: [error.messageKey] } }) }, { status: 400 });
    }
    throw error;
  }
}

/** `?reply=<check-in id>` on the updates page: the check-in whose reply form is open; anything else opens none. */
export const replyParamSchema = z.uuid().optional().catch(undefined);

/** A supporter's reply to a shared check-in: one of the preset replies or a short message, not both. */
export const replySchema = z
  .object({
    checkInId: z.string({ error: "reply.notFound" }).max(100),
    preset: z.enum(replyPresets, { error: "reply.preset.unknown" }).optional(),
    message: z.string().trim().max(replyMessageMax, { error: "reply.message.tooLong" }).optional(),
  })
  .refine((value) => value.preset || value.message, { error: "reply.empty", path: ["message"] })
  .refine((value) => !(value.preset && value.message), { error: "reply.both", path: ["message"] });
