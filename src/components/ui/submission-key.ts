"use client";
// One request key per submission (src/server/api/request-key.ts): the same key goes with every send of
// the same content — a double click, a retry after a lost answer — so the server acts once; new content,
// or the next submission after one succeeded, gets a new key. Made with getRandomValues, which browsers
// offer on plain http too (randomUUID needs a secure context).
import { useCallback, useRef } from "react";

function newKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * `key` for a submission of `content` (anything that identifies what is being sent). `settled` after each
 * answer: a new key once the server has answered — done, refused, or failed and undone — and the same key
 * again only when no answer came (the request may or may not have arrived: sending it again is safe).
 */
export function useSubmissionKey(content: string): { key: () => string; settled: (error?: unknown) => void } {
  const current = useRef<{ content: string; key: string } | null>(null);
  const key = useCallback(() => {
    if (current.current?.content !== content) current.current = { content, key: newKey() };
    return current.current.key;
  }, [content]);
  const settled = useCallback((error?: unknown) => {
    if (error === undefined || answeredByServer(error)) current.current = null;
  }, []);
  return { key, settled };
}

/** A tRPC error the server sent (it carries the HTTP status), as opposed to a request that got no answer. */
function answeredByServer(error: unknown): boolean {
  return typeof (error as { data?: { httpStatus?: unknown } } | null)?.data?.httpStatus === "number";
}
