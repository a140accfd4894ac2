import { data, redirect, type ActionFunctionArgs, type AppLoadContext, type LoaderFunctionArgs } from "@remix-run/node";
import * as z from "zod";
import { approvalQueue, decide, revokeLink } from "~/models/care-circle.server";
import { careTeamLink } from "~/models/access.server";
import { IllegalTransitionError } from "~/models/circle-state";
import { actorOf, notFound, requirePermission, type Permission } from "~/policy.server";
import type { CurrentSession } from "~/session.server";
import { formText, readForm } from "~/utils/form.server";

const reason = z
  .string({ error: "decision.reason.required" })
  .trim()
  .min(1, { error: "decision.reason.required" })
  .max(1000, { error: "decision.reason.tooLong" });

const decisionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve"), linkId: z.string().max(100) }),
  z.object({ intent: z.literal("refuse"), linkId: z.string().max(100), reason }),
  z.object({ intent: z.literal("safety"), linkId: z.string().max(100), reason }),
  z.object({ intent: z.literal("end"), linkId: z.string().max(100), reason, safety: z.literal("on").optional() }),
]);

/**
 * The care team's decisions on a link: approve, refuse with a reason the patient sees, flag a
 * safety concern (refuses; the note stays with the care team), or end an approved link. Only the
 * patient's own therapist or an admin of the program reaches the link; anyone else gets 404.
 */
export async function handleDecision(request: Request, context: AppLoadContext, session: CurrentSession, back: string) {
  const formData = await readForm(request);
  const parsed = decisionSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const linkId = formText(formData, "linkId");
    return data({ linkId, error: parsed.error.issues[0]?.message ?? "decision.reason.required" }, { status: 400 });
  }
  const decision = parsed.data;
  const link = await careTeamLink(context.db, session.user, decision.linkId);
  if (!link) throw notFound();
  const actor = actorOf(session, context);
  try {
    const done =
      decision.intent === "approve"
        ? await decide(context.db, actor, link, { kind: "approve" })
        : decision.intent === "refuse"
          ? await decide(context.db, actor, link, { kind: "refuse", reason: decision.reason })
          : decision.intent === "safety"
            ? await decide(context.db, actor, link, { kind: "safety", note: decision.reason })
            : await revokeLink(
                context.db,
                { actor, as: "care_team" },
                link,
                decision.safety ? { note: decision.reason } : undefined,
              );
    if (!done) return data({ linkId: link.id, error: "circle.changedMeanwhile" }, { status: 409 });
  } catch (error) {
    if (error instanceof IllegalTransitionError)
      return data({ linkId: link.id, error: "circle.notPossibleNow" }, { status: 409 });
    throw error;
  }
  return redirect(`${back}?decided=${decision.intent}`);
}

/** The approval queue's loader, for the area that owns the page. */
export async function approvalQueueLoader(args: LoaderFunctionArgs, permission: Permission) {
  const { user } = await requirePermission(args, permission);
  return { items: await approvalQueue(args.context.db, user) };
}

/** The approval queue's decisions, answered back on the page at `path`. */
export async function approvalQueueAction(args: ActionFunctionArgs, permission: Permission, path: string) {
  const session = await requirePermission(args, permission);
  return handleDecision(args.request, args.context, session, path);
}
