// The validated environment. Every setting the server reads is declared here
// once, with its default; a bad value stops the process at start with a clear
// message instead of failing later mid-request. Imported by next.config.mjs.
import { z } from "zod";

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const HOUR_S = 3600;
const DAY_S = 24 * HOUR_S;

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** PostgreSQL; when unset the launcher starts the embedded server and sets it. */
  DATABASE_URL: z.string().url().optional(),
  HOLDFAST_EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  /** Public base URL of the web app (links in emails and alerts). */
  HOLDFAST_BASE_URL: z.string().url().default("http://localhost:3000"),
  /** Platform fee on released amounts, in basis points (100 = 1%). */
  HOLDFAST_FEE_BPS: z.coerce.number().int().min(0).max(10000).default(0),
  /** Enables demo accounts and the test funding source. */
  HOLDFAST_DEMO: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  HOLDFAST_OFFER_TTL_S: seconds(7 * DAY_S),
  HOLDFAST_DELIVERY_GRACE_S: seconds(2 * DAY_S),
  HOLDFAST_REVIEW_WINDOW_S: seconds(2 * DAY_S),
  HOLDFAST_REVIEW_EXTENSION_S: seconds(2 * DAY_S),
  HOLDFAST_RESPONSE_WINDOW_S: seconds(2 * DAY_S),
  HOLDFAST_NEGOTIATION_WINDOW_S: seconds(2 * DAY_S),
  /** Signs next-auth's CSRF and email-link tokens. Required in production unless HOLDFAST_DEMO (then generated once under the data directory). */
  NEXTAUTH_SECRET: z.string().min(32).optional(),
  /** SMTP server for sign-in links, e.g. smtp://user:pass@mail.example.com:587; unset → links are logged (development and demo only). */
  HOLDFAST_SMTP_URL: z.string().url().optional(),
  /** Sender of Holdfast's email. */
  HOLDFAST_EMAIL_FROM: z.string().min(3).default("Holdfast <no-reply@holdfast.localhost>"),
});

export type Env = z.infer<typeof schema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid Holdfast configuration:\n${problems}`);
  }
  return result.data;
}

let cached: Env | null = null;
/** The process environment, validated once. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
