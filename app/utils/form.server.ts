/** A text field of a form, or "" when it is missing or is a file: a form field never becomes "[object File]". */
export function formText(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

/** The request's form, or a 400 when the body cannot be read as one (bad input never becomes a 500). */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new Response("Bad Request", { status: 400 });
  }
}
