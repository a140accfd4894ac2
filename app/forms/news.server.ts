import { redirect } from "@remix-run/node";
import * as z from "zod";
import { markNewsSeen } from "~/models/news.server";
import { readForm } from "~/utils/form.server";
import type { Database } from "#db/database";

const seenSchema = z.object({ intent: z.literal("seen"), until: z.coerce.number().int().positive() });

/**
 * "Mark as seen" on a home: everything up to the newest line the person was shown. A time in the future
 * is held to now, so a forged form cannot hide what has not happened yet. Anything else is a bad request.
 */
export async function handleSeenForm(db: Database, membershipId: string, request: Request, home: string) {
  const parsed = seenSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response("Bad Request", { status: 400 });
  await markNewsSeen(db, membershipId, new Date(Math.min(parsed.data.until, Date.now())));
  return redirect(home);
}
