import { z } from "zod";

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
