import { useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { z } from "zod";

/**
 * Conform's form for a Zod schema, validated in the browser exactly as the action validates it:
 * first when a field is left (or on submit), then on every keystroke once it has been checked.
 * Without JavaScript the same schema answers from the action.
 */
export function useSchemaForm<Schema extends z.ZodType<Record<string, unknown>>>(
  schema: Schema,
  options: {
    lastResult?: SubmissionResult<string[]> | null;
    defaultValue?: Parameters<typeof useForm<z.output<Schema>>>[0]["defaultValue"];
    shouldValidate?: "onBlur" | "onSubmit";
  } = {},
) {
  return useForm<z.output<Schema>>({
    lastResult: options.lastResult,
    defaultValue: options.defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: options.shouldValidate ?? "onBlur",
    shouldRevalidate: "onInput",
  });
}
