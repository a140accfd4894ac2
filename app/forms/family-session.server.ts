import { parseWithZod } from "@conform-to/zod/v4";
import { data, type redirect } from "@remix-run/node";
import * as z from "zod";
import { FieldRuleError } from "~/models/rule-error";

/**
 * Parses a family-session form and runs `save` with its values; bad input, or a rule the model
 * refuses (a time passed, an overlap, an invitee who may not come), comes back at its field, and
 * nothing is saved. On success, `save`'s answer (a redirect) is returned.
 */
export async function handleSessionForm<Schema extends z.ZodType<Record<string, unknown>>>(
  formData: FormData,
  schema: Schema,
  save: (value: z.output<Schema>) => Promise<ReturnType<typeof redirect>>,
) {
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  try {
    return await save(submission.value);
  } catch (error) {
    if (error instanceof FieldRuleError) {
      return data({ result: submission.reply({ fieldErrors: { [error.field]: [error.messageKey] } }) }, { status: 400 });
    }
    throw error;
  }
}

/** A supporter's answer to an invitation. */
export const sessionAnswerSchema = z.object({
  sessionId: z.string().max(100),
  answer: z.enum(["accepted", "declined"]),
});
