/** A text field of a form, or "" when it is missing or is a file: a form field never becomes "[object File]". */
export function formText(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

/**
 * The request's form, or a 400 when the body cannot be read as one (bad input never becomes a 500). Text
 * values lose any NUL character: no one types it, and SQLite's text functions stop at it, so a value
 * of NULs would pass the form's checks as text and fail the database's as empty.
 */
export async function readForm(request: Request): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new Response("Bad Request", { status: 400 });
  }
  const cleaned = new FormData();
  for (const [name, value] of form) cleaned.append(name, typeof value === "string" ? value.replaceAll("\0", "") : value);
  return cleaned;
}
