import * as z from "zod";

/** Hiding a module of the library from the program, or showing it again. */
export const moduleVisibilitySchema = z.object({ intent: z.enum(["hide", "show"]), slug: z.string().min(1).max(200) });

/** The admin's actions on an account of the program: resend its activation, enable it again. */
export const accountActionSchema = z.object({
  intent: z.enum(["resend-activation", "enable"]),
  userId: z.string().min(1).max(100),
});
