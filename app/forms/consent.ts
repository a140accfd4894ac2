import * as z from "zod";
import { relationships, sharingCategories, type SharingCategory } from "~/vocabulary";
import { calendarDateField, emailField, personNameField } from "~/validation";

const isSharingCategory = (value: string): value is SharingCategory => (sharingCategories as readonly string[]).includes(value);

/** The patient's choices in a consent; `signature` is asked for only once they have read the preview. */
export const consentChoiceSchema = z
  .object({
    // Checked as a whole (not item by item) so that an unknown category is reported at the checkbox group.
    categories: z
      .array(z.string(), { error: "consent.categories.required" })
      .min(1, { error: "consent.categories.required" })
      .refine((values) => values.every(isSharingCategory), { error: "consent.categories.unknown" })
      .transform((values) => values as SharingCategory[]),
    purpose: z
      .string({ error: "consent.purpose.required" })
      .trim()
      .min(1, { error: "consent.purpose.required" })
      .max(500, { error: "consent.purpose.tooLong" }),
    expiryKind: z.enum(["date", "episode_end"], { error: "consent.expiry.required" }),
    expiresOn: calendarDateField.optional(),
    signature: z.string().trim().max(120, { error: "validation.name.tooLong" }).optional(),
    previewDigest: z.string().max(100).optional(),
  })
  .refine((value) => value.expiryKind !== "date" || value.expiresOn, {
    error: "consent.expiresOn.required",
    path: ["expiresOn"],
  });

export const invitationSchema = consentChoiceSchema.and(
  z.object({
    name: personNameField,
    email: emailField,
    relationship: z.enum(relationships, { error: "circle.relationship.required" }),
  }),
);
