// Stripe's request encoding, for the local stand-in (src/test/fake-stripe.ts): bodies are
// application/x-www-form-urlencoded with nested keys (`metadata[order]=1`, `line_items[0][quantity]=1`),
// the shape the official SDK writes. Parsed back into objects; numeric keys make arrays.

export type FormValue = string | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

/** `a[b][0][c]=v` → `{ a: { b: [ { c: "v" } ] } }`. Throws on a key that mixes shapes. */
export function parseStripeForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!match) throw new Error(`malformed parameter name ${rawKey}`);
    const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
    let node: FormObject | FormValue[] = root;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      const last = i === path.length - 1;
      const key: string | number = Array.isArray(node) ? (segment === "" ? node.length : Number(segment)) : segment;
      if (Array.isArray(node) && !Number.isInteger(key)) throw new Error(`malformed parameter name ${rawKey}`);
      const container = node as Record<string | number, FormValue>;
      if (last) {
        container[key] = value;
        break;
      }
      const nextIsIndex = /^\d*$/.test(path[i + 1]!);
      const existing: FormValue | undefined = container[key];
      if (existing === undefined) container[key] = nextIsIndex ? [] : {};
      else if (typeof existing === "string") throw new Error(`parameter ${rawKey} is both a value and an object`);
      node = container[key] as FormObject | FormValue[];
    }
  }
  return root;
}

/**
 * Allowed parameters per endpoint, as Stripe checks them: anything else is 400 `parameter_unknown`.
 * `true` allows any value (metadata, nested hashes we do not inspect); a nested spec checks deeper.
 */
export type ParamSpec = { [key: string]: true | ParamSpec };

/** The first parameter path the spec does not allow, Stripe-style (`payment_intent_data[foo]`), or null. */
export function unknownParameter(params: FormObject, spec: ParamSpec, prefix = ""): string | null {
  for (const [key, value] of Object.entries(params)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    const allowed = spec[key];
    if (allowed === undefined) return name;
    if (allowed === true) continue;
    const items = Array.isArray(value) ? value : [value];
    for (const [index, item] of items.entries()) {
      if (typeof item === "string") return name;
      if (Array.isArray(item)) return name;
      const found = unknownParameter(item, allowed, Array.isArray(value) ? `${name}[${index}]` : name);
      if (found) return found;
    }
  }
  return null;
}

export function stringParam(params: FormObject, key: string): string | undefined {
  const value = params[key];
  return typeof value === "string" ? value : undefined;
}

export function objectParam(params: FormObject, key: string): FormObject | undefined {
  const value = params[key];
  return value && typeof value === "object" && !Array.isArray(value) ? value : undefined;
}

/** Metadata is a flat hash of strings in Stripe. */
export function metadataParam(params: FormObject, key = "metadata"): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(objectParam(params, key) ?? {})) if (typeof v === "string") out[k] = v;
  return out;
}

export function listParam(params: FormObject, key: string): string[] {
  const value = params[key];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return typeof value === "string" ? [value] : [];
}
