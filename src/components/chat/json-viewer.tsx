// A structured-data artifact as a readable, collapsible tree (keys, strings,
// numbers in their own colours; objects and arrays fold).
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function Scalar({ value }: { value: Exclude<Json, Json[] | { [key: string]: Json }> }) {
  if (value === null) return <span className="text-stone-600">null</span>;
  if (typeof value === "string") return <span className="break-words text-emerald-800">“{value}”</span>;
  if (typeof value === "number") return <span className="text-sky-800">{value}</span>;
  return <span className="text-violet-800">{String(value)}</span>;
}

function Node({ name, value, depth }: { name: string | null; value: Json; depth: number }) {
  const label = name !== null ? <span className="font-medium text-stone-700">{name}: </span> : null;
  if (value === null || typeof value !== "object") {
    return (
      <div>
        {label}
        <Scalar value={value} />
      </div>
    );
  }
  const entries: [string, Json][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const summary = Array.isArray(value) ? `[${value.length} ${value.length === 1 ? "item" : "items"}]` : `{${entries.length} ${entries.length === 1 ? "field" : "fields"}}`;
  return (
    <details open={depth < 2}>
      <summary className="cursor-pointer select-none">
        {label}
        <span className="text-stone-600">{summary}</span>
      </summary>
      <div className="ml-4 border-l border-stone-200 pl-3">
        {entries.map(([key, child]) => (
          <Node key={key} name={key} value={child} depth={depth + 1} />
        ))}
      </div>
    </details>
  );
}

export function JsonViewer({ data, label }: { data: unknown; label: string }) {
  return (
    <div role="group" aria-label={label} className="max-h-96 overflow-auto rounded-md bg-stone-50 p-3 font-mono text-xs leading-relaxed">
      <Node name={null} value={data as Json} depth={0} />
    </div>
  );
}
