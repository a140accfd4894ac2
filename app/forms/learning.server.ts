import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect } from "@remix-run/node";
import { assignModuleSchema, suggestModuleSchema } from "~/forms/learning";
import { findMember } from "~/models/account.server";
import { AssignmentRuleError, assignModule, type Assigner } from "~/models/assignments.server";
import { notifyCircleChange } from "~/mail.server";

/**
 * The therapist's "assign" and the patient's "suggest": the same rule (supporters who share
 * `education`), one form each. Each supporter asked gets the neutral "new message" e-mail.
 */
export async function handleAssignment(formData: FormData, assigner: Assigner, patientId: string, redirectTo: string) {
  const schema = assigner.role === "therapist" ? assignModuleSchema : suggestModuleSchema;
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const dueOn = "dueOn" in submission.value && typeof submission.value.dueOn === "string" ? submission.value.dueOn : null;
  let supporterIds: string[];
  try {
    supporterIds = assignModule(assigner, patientId, { slug: submission.value.slug, target: submission.value.target, dueOn });
  } catch (error) {
    if (error instanceof AssignmentRuleError) {
      return data({ result: submission.reply({ fieldErrors: { [error.field]: [error.messageKey] } }) }, { status: 400 });
    }
    throw error;
  }
  for (const supporterId of supporterIds) {
    const supporter = findMember(supporterId);
    if (supporter) await notifyCircleChange({ programId: assigner.programId, email: supporter.email, name: supporter.name }, "update");
  }
  return redirect(`${redirectTo}?assigned=${supporterIds.length}`);
}
