import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { endEpisode } from "~/models/episode.server";
import { actorOf, notFound } from "~/policy.server";
import type { CurrentSession } from "~/session.server";
import * as z from "zod";
import { endEpisodeSchema } from "./episode";

/**
 * Ends the patient's episode with the reason chosen on the confirmation (the page or the dialog); the
 * caller has checked that the actor is the patient's care team. A missing or unknown reason comes
 * back to the field and nothing changes. Supporters whose link ended get the neutral "access changed" nudge.
 */
export async function handleEndEpisode(
  context: AppLoadContext,
  session: CurrentSession,
  formData: FormData,
  patientId: string,
  successPath: string,
) {
  const parsed = endEpisodeSchema.safeParse({ reason: formData.get("reason") ?? undefined });
  if (!parsed.success) return data({ reasonError: "validation.endReason.required" }, { status: 400 });
  const ended = await endEpisode(context.db, actorOf(session, context), patientId, parsed.data.reason);
  if (!ended) throw notFound();
  return redirect(`${successPath}?episodeEnded=1`);
}

/** Disabling an account: a therapist's open episodes go to the colleague chosen, if any. */
export const disableSchema = z.object({
  colleagueId: z.string().max(100).optional(),
});
