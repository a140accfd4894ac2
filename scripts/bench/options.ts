import type * as z from "zod";

/** A command's options checked against `schema`; on a bad value, every problem is printed and the command stops (exit 2). */
export function commandOptions<Schema extends z.ZodType>(schema: Schema, values: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) console.error(issue.message);
  process.exit(2);
}
