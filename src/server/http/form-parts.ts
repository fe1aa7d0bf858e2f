// One value per multipart field. `FormData.get` returns the first of repeated parts, so an upload with
// two `file` parts (or two `name` or `escrowId` fields) stored one and dropped the other with a 201:
// which one the caller meant is unknowable, and a check made on one part could be passed by the
// other. Every route that reads multipart fields reads them through here and refuses repeats.

/** The field's one value, null when absent, or `{ repeated: n }` when the form holds it more than once. */
export function singleFormValue(form: FormData, field: string): FormDataEntryValue | null | { repeated: number } {
  const all = form.getAll(field);
  if (all.length > 1) return { repeated: all.length };
  return all[0] ?? null;
}

/** True when `value` is the `{ repeated }` answer of singleFormValue. */
export function isRepeated(value: FormDataEntryValue | null | { repeated: number }): value is { repeated: number } {
  return value !== null && typeof value === "object" && "repeated" in value;
}

/** The refusal's sentence for a repeated field. */
export function repeatedFieldMessage(field: string, count: number): string {
  return `the form holds ${count} \`${field}\` parts; send exactly one (one file per upload)`;
}
