import type { LocaleInfo } from "~/i18n/i18n";
import { createHash } from "node:crypto";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type TypedResponse } from "@remix-run/node";
import type { z } from "zod";
import type { Database } from "#db/database";
import type { Relationship } from "~/vocabulary";
import { CircleRuleError } from "~/models/circle-link.server";
import { consentElements, patientContext, renderConsent, type ConsentChoice } from "~/models/consent.server";
import { consentChoiceSchema } from "./consent";

/** Ties a signature to the exact consent text the patient was shown. */
export function consentDigest(text: string) {
  return createHash("sha256").update(text).digest("base64url").slice(0, 32);
}

type Recipient = { name: string; email: string; relationship: Relationship };

/**
 * The two steps of every consent form. "review" answers with the consent text exactly as it would
 * be stored; "sign" checks that the patient signed that very text, then calls `sign`.
 * Rule errors from the model come back as messages at their field; nothing changes.
 */
export async function handleConsentForm<Schema extends typeof consentChoiceSchema | z.ZodType>(
  db: Database,
  options: {
    formData: FormData;
    schema: Schema;
    patientId: string;
    locale: LocaleInfo;
    recipientOf: (value: z.infer<Schema>) => Recipient;
    sign: (value: z.infer<Schema>, choice: ConsentChoice) => Promise<TypedResponse<never>> | TypedResponse<never>;
  },
) {
  const { formData, schema, patientId, locale } = options;
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return data({ result: submission.reply(), preview: null }, { status: 400 });
  const context = await patientContext(db, patientId);
  if (!context)
    return data({ result: submission.reply({ formErrors: ["circle.invite.noEpisode"] }), preview: null }, { status: 400 });

  const value = submission.value as z.infer<Schema> & z.infer<typeof consentChoiceSchema>;
  const choice: ConsentChoice = {
    categories: value.categories,
    purpose: value.purpose,
    expiryKind: value.expiryKind,
    expiresOn: value.expiryKind === "date" ? (value.expiresOn ?? null) : null,
    signature: value.signature ?? "",
  };
  // The text carries the name on the account as the signature line, so what the patient reads is
  // what is stored, but for that line; the signature they type is kept beside it. The digest is of
  // the text as it will be stored, so signing refuses a preview that no longer matches it.
  const elements = consentElements(context, options.recipientOf(value), { ...choice, signature: context.patientName });
  const preview = {
    text: renderConsent(elements, locale, "unsigned"),
    digest: consentDigest(renderConsent(elements, locale, "signed")),
    summary: {
      recipientName: elements.recipientName,
      categories: elements.categories,
      expiryKind: elements.expiryKind,
      expiresOn: elements.expiresOn,
    },
  };

  if (formData.get("intent") !== "sign") return { result: submission.reply(), preview };
  if (value.previewDigest !== preview.digest) {
    return data({ result: submission.reply({ formErrors: ["consent.preview.changed"] }), preview }, { status: 400 });
  }
  if (!choice.signature) {
    return data(
      { result: submission.reply({ fieldErrors: { signature: ["consent.signature.required"] } }), preview },
      { status: 400 },
    );
  }
  try {
    return await options.sign(value, choice);
  } catch (error) {
    if (error instanceof CircleRuleError) {
      const reply =
        error.field === "form"
          ? submission.reply({ formErrors: [error.messageKey] })
          : submission.reply({ fieldErrors: { [error.field]: [error.messageKey] } });
      return data({ result: reply, preview }, { status: 400 });
    }
    throw error;
  }
}
