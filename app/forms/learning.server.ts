import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect } from "@remix-run/node";
import type { Database } from "#db/database";
import { assignModuleSchema, suggestModuleSchema } from "~/forms/learning";
import { AssignmentRuleError, assignModule, type Assigner } from "~/models/assignments.server";

/**
 * The therapist's "assign" and the patient's "suggest": the same rule (supporters who share
 * `education`), one form each. Each supporter asked gets the neutral "new message" e-mail.
 */
export async function handleAssignment(
  db: Database,
  formData: FormData,
  assigner: Assigner,
  patientId: string,
  redirectTo: string,
) {
  const schema = assigner.role === "therapist" ? assignModuleSchema : suggestModuleSchema;
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const dueOn = "dueOn" in submission.value && typeof submission.value.dueOn === "string" ? submission.value.dueOn : null;
  let supporterIds: string[];
  try {
    supporterIds = await assignModule(db, assigner, patientId, {
      slug: submission.value.slug,
      target: submission.value.target,
      dueOn,
    });
  } catch (error) {
    if (error instanceof AssignmentRuleError) {
      return data({ result: submission.reply({ fieldErrors: { [error.field]: [error.messageKey] } }) }, { status: 400 });
    }
    throw error;
  }
  return redirect(`${redirectTo}?assigned=${supporterIds.length}`);
}
