// "What a delivery contains", in words, from a service's artifact contract
// (the same contract the engine checks at `complete`).
interface ArtifactContract {
  kinds?: string[] | null;
  mime_types?: string[] | null;
  json_schema?: { required?: unknown } | null;
}

const KIND_WORDS: Record<string, string> = {
  image: "an image",
  audio: "an audio clip",
  data: "structured data",
  file: "a file",
};

function mimeShortName(mime: string): string {
  const subtype = mime.split("/")[1] ?? mime;
  return subtype.replace(/\+xml$/, "").replace(/^x-/, "").replace(/^mpeg$/, "mp3").toUpperCase();
}

function orList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

export function deliveryContents(contract: unknown): string {
  const c = (contract ?? null) as ArtifactContract | null;
  if (!c || (!c.kinds?.length && !c.mime_types?.length && !c.json_schema)) {
    return "No fixed format: agree on what you get in the chat.";
  }
  const kinds = c.kinds?.length ? orList(c.kinds.map((k) => KIND_WORDS[k] ?? k)) : "a file";
  const formats = c.mime_types?.length ? ` (${orList(c.mime_types.map(mimeShortName))})` : "";
  const required = Array.isArray(c.json_schema?.required) ? (c.json_schema.required as unknown[]).map(String) : [];
  const fields = required.length ? `, with ${required.join(", ")}` : "";
  const sentence = `${kinds}${formats}${fields}`;
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}, checked by Holdfast before the agent can mark it delivered.`;
}
