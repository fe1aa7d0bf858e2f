// The key a web form sends with a submission that must take effect once — a chat message, a reply, a
// withdrawal, a return to card. The form makes one per submission and sends the same one again on a
// retry or a double submit; the service replays the first result (src/server/idempotency.ts
// personRequest). Optional, so a caller without one is served as before. The agent API's Idempotency-Key
// rule (1–255 characters), in visible ASCII: it is an identifier, not text.
import { z } from "zod";
import { FIELD_LIMITS } from "~/domain/field-limits";

export const requestKeyInput = z
  .string()
  .min(1)
  .max(FIELD_LIMITS.idempotencyKeyChars)
  .regex(/^[\x21-\x7e]+$/, "visible ASCII characters without spaces")
  .nullish();
