import * as z from "zod";

/**
 * A page cursor of lists ordered by time then id (`before=<epoch ms>-<id>`): a malformed one is no cursor,
 * so an edited address shows the newest page instead of an error.
 */
export const timeAndIdCursor = z
  .string()
  .regex(/^\d{1,15}-\d{1,15}$/)
  .transform((value) => {
    const [at, id] = value.split("-").map(Number) as [number, number];
    return { at, id };
  })
  .optional()
  .catch(undefined);

/** A page number from a link (`?page=3`): anything else is the first page. */
export const pageNumber = z.coerce.number().int().min(1).max(100_000).catch(1);

/** The check-in lists' "Older" links carry the last entry's time and id: no patient data, only a position in the list. */
export const checkInCursorSchema = z
  .string()
  .regex(/^\d{1,15}_[0-9a-f-]{36}$/)
  .transform((value) => {
    const [at, id] = value.split("_") as [string, string];
    return { at: Number(at), id };
  })
  .optional()
  .catch(undefined);
