"use client";
// One agent's catalog: add or edit a service (price, delivery time, artifact contract) and retire it.
// The contract is checked on the server with the engine's own parser; its problems are shown here.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorNote } from "~/components/ui/error-note";
import { formatMoney } from "~/components/ui/format";
import { moneyInputText, parseMoneyInput } from "~/components/ui/money-input";
import { buttonPrimary, buttonSecondary, inputField } from "~/components/ui/styles";
import { appError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";
import { useOwnerRefresh } from "./use-owner";

interface ServiceRow {
  id: string;
  title: string;
  description: string;
  priceMinor: number;
  currency: string;
  deliveryInHours: number;
  active: boolean;
  artifactContract: unknown;
  /** Another owner's agent that checks this service's deliveries (issue 18). */
  evaluator?: { handle: string; feePayer: string } | null;
}

const KINDS = ["image", "audio", "data", "file"] as const;

function contractOf(s: ServiceRow | null) {
  const c = (s?.artifactContract ?? null) as { kinds?: string[]; mime_types?: string[]; json_schema?: unknown } | null;
  return {
    kinds: c?.kinds ?? [],
    mimeTypes: (c?.mime_types ?? []).join(", "),
    schema: c?.json_schema ? JSON.stringify(c.json_schema, null, 2) : "",
  };
}

function ServiceForm({
  agentId,
  service,
  onDone,
}: {
  agentId: string;
  service: ServiceRow | null;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const refresh = useOwnerRefresh();
  const initial = contractOf(service);
  const [title, setTitle] = useState(service?.title ?? "");
  const [description, setDescription] = useState(service?.description ?? "");
  const [price, setPrice] = useState(service ? moneyInputText(service.priceMinor, "USD") : "");
  const [hours, setHours] = useState(String(service?.deliveryInHours ?? 24));
  const [kinds, setKinds] = useState<string[]>(initial.kinds);
  const [mimeTypes, setMimeTypes] = useState(initial.mimeTypes);
  const [schema, setSchema] = useState(initial.schema);
  const [evaluatorHandle, setEvaluatorHandle] = useState(service?.evaluator?.handle ?? "");
  const [feePayer, setFeePayer] = useState<"platform" | "seller">(service?.evaluator?.feePayer === "seller" ? "seller" : "platform");
  const [localError, setLocalError] = useState<string | null>(null);
  const save = useMutation(
    trpc.owner.saveService.mutationOptions({
      onSuccess: () => {
        void refresh();
        onDone();
      },
    }),
  );
  const id = service?.id ?? `new-${agentId}`;
  return (
    <form
      className="mt-2 grid gap-2 rounded-md bg-stone-50 p-3 text-sm sm:grid-cols-2"
      aria-label={service ? `Edit ${service.title}` : "New service"}
      onSubmit={(e) => {
        e.preventDefault();
        setLocalError(null);
        const amount = parseMoneyInput(price, "USD");
        if (amount === null || amount <= 0) return setLocalError("Enter a price such as 25 or 12.50.");
        let jsonSchema: unknown = null;
        if (schema.trim()) {
          try {
            jsonSchema = JSON.parse(schema);
          } catch {
            return setLocalError("The JSON Schema is not valid JSON.");
          }
        }
        const mimes = mimeTypes
          .split(",")
          .map((m) => m.trim())
          .filter(Boolean);
        const contract =
          kinds.length || mimes.length || jsonSchema
            ? {
                ...(kinds.length ? { kinds } : {}),
                ...(mimes.length ? { mime_types: mimes } : {}),
                json_schema: jsonSchema,
              }
            : null;
        save.mutate({
          agentId,
          serviceId: service?.id ?? null,
          title,
          description,
          price: amount,
          currency: "USD",
          deliveryInHours: Number(hours),
          active: service?.active ?? true,
          artifactContract: contract,
          evaluator: evaluatorHandle.trim() ? { handle: evaluatorHandle.trim(), feePayer } : null,
        });
      }}
    >
      <div>
        <label htmlFor={`${id}-title`} className="block font-medium">
          Service title
        </label>
        <input
          id={`${id}-title`}
          className={inputField}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          required
        />
      </div>
      <div className="flex gap-2">
        <div>
          <label htmlFor={`${id}-price`} className="block font-medium">
            Price (USD)
          </label>
          <input
            id={`${id}-price`}
            inputMode="decimal"
            className={`${inputField} w-28`}
            value={price}
            onChange={(e) => setPrice(e.target.value)}
            required
          />
        </div>
        <div>
          <label htmlFor={`${id}-hours`} className="block font-medium">
            Delivery (hours)
          </label>
          <input
            id={`${id}-hours`}
            type="number"
            min={1}
            className={`${inputField} w-24`}
            value={hours}
            onChange={(e) => setHours(e.target.value)}
            required
          />
        </div>
      </div>
      <div className="sm:col-span-2">
        <label htmlFor={`${id}-desc`} className="block font-medium">
          Description
        </label>
        <textarea
          id={`${id}-desc`}
          className={inputField}
          rows={2}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      <fieldset className="sm:col-span-2">
        <legend className="font-medium">Delivery must include (artifact contract)</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {KINDS.map((k) => (
            <label key={k} className="flex items-center gap-1">
              <input
                type="checkbox"
                checked={kinds.includes(k)}
                onChange={(e) => setKinds(e.target.checked ? [...kinds, k] : kinds.filter((x) => x !== k))}
              />
              {k}
            </label>
          ))}
        </div>
        <label htmlFor={`${id}-mimes`} className="mt-2 block">
          Allowed MIME types (comma-separated)
        </label>
        <input
          id={`${id}-mimes`}
          className={inputField}
          value={mimeTypes}
          onChange={(e) => setMimeTypes(e.target.value)}
          placeholder="image/png, image/*"
        />
        <label htmlFor={`${id}-schema`} className="mt-2 block">
          JSON Schema for data artifacts (optional)
        </label>
        <textarea
          id={`${id}-schema`}
          className={`${inputField} font-mono`}
          rows={3}
          value={schema}
          onChange={(e) => setSchema(e.target.value)}
        />
      </fieldset>
      <fieldset className="sm:col-span-2">
        <legend className="font-medium">Evaluator (optional)</legend>
        <p className="text-xs text-stone-600">
          Another owner&apos;s agent, opted in as an evaluator, checks each delivery and tells the customer pass or fail. A fail opens a dispute for
          the customer; a pass releases nothing early.
        </p>
        <div className="mt-1 flex flex-wrap items-end gap-3">
          <label className="flex flex-col">
            <span>Evaluator handle</span>
            <input className={`${inputField} w-48`} value={evaluatorHandle} onChange={(e) => setEvaluatorHandle(e.target.value)} placeholder="proofreader" aria-label="Evaluator handle" />
          </label>
          <label className="flex flex-col">
            <span>Its fee is paid by</span>
            <select className={inputField} value={feePayer} onChange={(e) => setFeePayer(e.target.value === "seller" ? "seller" : "platform")} aria-label="Evaluator fee paid by">
              <option value="platform">the platform, from its fee</option>
              <option value="seller">me, from my payout</option>
            </select>
          </label>
        </div>
      </fieldset>
      <div className="flex gap-2 sm:col-span-2">
        <button type="submit" className={buttonPrimary} disabled={save.isPending}>
          Save service
        </button>
        <button type="button" className={buttonSecondary} onClick={onDone}>
          Cancel
        </button>
      </div>
      {localError ? (
        <div className="sm:col-span-2">
          <ErrorNote>{localError}</ErrorNote>
        </div>
      ) : null}
      {save.error ? (
        <div className="sm:col-span-2">
          <ErrorNote>{appError(save.error).message}</ErrorNote>
        </div>
      ) : null}
    </form>
  );
}

export function ServicesEditor({
  agentId,
  handle,
  services,
}: {
  agentId: string;
  handle: string;
  services: ServiceRow[];
}) {
  const trpc = useTRPC();
  const refresh = useOwnerRefresh();
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const toggle = useMutation(trpc.owner.saveService.mutationOptions({ onSuccess: () => void refresh() }));
  return (
    <div className="mt-3">
      <h3 className="text-sm font-semibold">Catalog</h3>
      <ul className="mt-1 space-y-1 text-sm" aria-label={`Catalog of @${handle}`}>
        {services.map((s) => (
          <li key={s.id}>
            <div className="flex flex-wrap items-center gap-2">
              <span className={s.active ? "" : "text-stone-600 line-through"}>{s.title}</span>
              <span className="text-stone-600">
                {formatMoney(s.priceMinor, s.currency)} · {s.deliveryInHours} h
              </span>
              <button type="button" className="text-brand-700 underline" onClick={() => setEditing(s.id)}>
                Edit
              </button>
              <button
                type="button"
                className="text-stone-700 underline"
                onClick={() =>
                  toggle.mutate({
                    agentId,
                    serviceId: s.id,
                    title: s.title,
                    description: s.description,
                    price: s.priceMinor,
                    currency: s.currency,
                    deliveryInHours: s.deliveryInHours,
                    active: !s.active,
                    artifactContract: s.artifactContract ?? null,
                  })
                }
              >
                {s.active ? "Retire" : "Reactivate"}
              </button>
            </div>
            {editing === s.id ? <ServiceForm agentId={agentId} service={s} onDone={() => setEditing(null)} /> : null}
          </li>
        ))}
      </ul>
      {editing === "new" ? (
        <ServiceForm agentId={agentId} service={null} onDone={() => setEditing(null)} />
      ) : (
        <button type="button" className={`${buttonSecondary} mt-2`} onClick={() => setEditing("new")}>
          Add service
        </button>
      )}
    </div>
  );
}
