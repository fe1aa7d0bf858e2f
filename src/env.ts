// The validated environment. Every setting the server reads is declared here
// once, with its default; a bad value stops the process at start with a clear
// message instead of failing later mid-request. Imported by next.config.mjs.
import { z } from "zod";
import { parseCurrencySettings } from "./domain/currency";

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const HOUR_S = 3600;
const DAY_S = 24 * HOUR_S;

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** PostgreSQL; when unset the launcher starts the embedded server and sets it. */
  DATABASE_URL: z.string().url().optional(),
  HOLDFAST_EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  /** The web server's port (`npm start`, `next start`). */
  PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /**
   * Public base URL of the web app: every link Holdfast builds (sign-in mail, alerts, notices) and the
   * same-origin checks. Unset → NEXTAUTH_URL, else http://localhost:<PORT or 3000> (see `withBaseUrl`).
   */
  HOLDFAST_BASE_URL: z.string().url().optional(),
  /** next-auth's own name for the base URL; read only when HOLDFAST_BASE_URL is unset (then kept equal to it). */
  NEXTAUTH_URL: z.string().url().optional(),
  /** Platform fee on released amounts, in basis points (100 = 1%). */
  HOLDFAST_FEE_BPS: z.coerce.number().int().min(0).max(10000).default(0),
  /** ISO 4217 currencies amounts may be stated in (offers, service prices, limits, thresholds): `USD,EUR,JPY`. */
  HOLDFAST_CURRENCIES: z.string().default("USD"),
  /** Rates to the limits' currency, one major unit each: `EUR=1.08,GBP=1.27,JPY=0.0067`; every enabled currency but the base needs one. */
  HOLDFAST_FX_RATES: z.string().optional(),
  /** The currency the risk-tier limits are stated in (minor units); unset → the first of HOLDFAST_CURRENCIES. */
  HOLDFAST_LIMITS_CURRENCY: z.string().optional(),
  /** Owner alert when an offer naming a catalog service asks more than this percentage of the service's price. */
  HOLDFAST_CATALOG_PRICE_ALERT_PCT: z.coerce.number().int().min(100).max(100_000).default(150),
  /** The smallest sale (minor units of the limits' currency) that counts toward a risk tier (issue 17). */
  HOLDFAST_TIER_MIN_TICKET_MINOR: z.coerce.number().int().min(1).max(1_000_000_00).default(5_00),
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
  /** How long a moderator aims to take on a case in admin_review: shown to both parties while they wait (and the queue's target). */
  HOLDFAST_ADMIN_REVIEW_SLA_S: seconds(DAY_S),
  /** How long released money of a `new` / `restricted` agent is held before the owner can use it (0 = never). */
  HOLDFAST_PAYOUT_HOLD_NEW_S: z.coerce.number().int().min(0).default(3 * DAY_S),
  HOLDFAST_PAYOUT_HOLD_RESTRICTED_S: z.coerce.number().int().min(0).default(7 * DAY_S),
  /** Review window by amount (SPEC §6.1): `<max amount in minor units>=<seconds>,…,*=<seconds>`; unset → 1×, 1.5×, 2× HOLDFAST_REVIEW_WINDOW_S up to 50000, 250000, above. */
  HOLDFAST_REVIEW_WINDOW_TIERS: z.string().min(1).optional(),
  /** Reminders to the customer before auto-release, in seconds left: `86400,14400`; unset → HOLDFAST_REVIEW_WINDOW_S / 2 and / 12. */
  HOLDFAST_REVIEW_REMINDERS_S: z.string().optional(),
  /** escrow.due_soon goes to the agent this long before the due time (at most halfway from funding). */
  HOLDFAST_DUE_SOON_S: seconds(6 * HOUR_S),
  /** Timer engine: embedded (a scheduler inside the server) or inngest; unset → inngest when INNGEST_EVENT_KEY is set, else embedded. */
  HOLDFAST_TIMERS: z.enum(["embedded", "inngest"]).optional(),
  /** Background workers (timers, notification relay, payout holds, idempotency sweep, ledger check) in this server process: 0 for web-only processes when another process runs them. */
  HOLDFAST_WORKERS: z
    .enum(["0", "1", "true", "false"])
    .default("1")
    .transform((v) => v === "1" || v === "true"),
  /** Embedded scheduler: longest sleep between polls, and parallel timers per process. */
  HOLDFAST_SCHEDULER_MAX_SLEEP_S: seconds(30),
  HOLDFAST_SCHEDULER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** Backstop sweep of overdue deadlines (embedded: every this many seconds; Inngest: a cron every 5 minutes). */
  HOLDFAST_TIMER_SWEEP_S: seconds(300),
  /** Idempotency keys are deleted this many hours after first use; PROTOCOL.md promises at least 24. */
  HOLDFAST_IDEMPOTENCY_RETENTION_H: z.coerce
    .number()
    .int()
    .min(24, "must be at least 24 (PROTOCOL.md keeps idempotency keys at least 24 hours)")
    .max(24 * 365)
    .default(24),
  /** The background ledger check (the same check as `npm run ledger:check`): seconds between runs, 0 = off. */
  HOLDFAST_LEDGER_CHECK_INTERVAL_S: z.coerce.number().int().min(0).max(7 * DAY_S).default(300),
  /** Notifications: attempts before a notification is marked failed. */
  HOLDFAST_NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** Inngest (read by the Inngest SDK too): event key to publish, signing key for /api/inngest, self-hosted base URL. */
  INNGEST_EVENT_KEY: z.string().min(1).optional(),
  INNGEST_SIGNING_KEY: z.string().min(1).optional(),
  INNGEST_BASE_URL: z.string().url().optional(),
  /** Signs next-auth's CSRF and email-link tokens. Required in production unless HOLDFAST_DEMO (then generated once under the data directory): the server refuses to start without it. */
  NEXTAUTH_SECRET: z.string().min(32).optional(),
  /** SMTP server for sign-in links, e.g. smtp://user:pass@mail.example.com:587; unset → links are logged (development and demo only). */
  HOLDFAST_SMTP_URL: z.string().url().optional(),
  /** Sender of Holdfast's email. */
  HOLDFAST_EMAIL_FROM: z.string().min(3).default("Holdfast <no-reply@holdfast.localhost>"),
  /** Agent API: largest artifact upload, in bytes (413 payload_too_large above it). */
  HOLDFAST_MAX_ARTIFACT_BYTES: z.coerce.number().int().positive().default(25 * 1024 * 1024),
  /** Agent API: largest JSON request body, in bytes (artifact uploads use the artifact limit). */
  HOLDFAST_MAX_JSON_BODY_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  /** Where the local-disk artifact store keeps files (default: <HOLDFAST_DATA_DIR or .data>/artifacts). */
  HOLDFAST_ARTIFACT_DIR: z.string().min(1).optional(),
  /**
   * Reverse proxies in front of the server that append the client's address to X-Forwarded-For (0 = none:
   * the header is the client's to forge, so clients are known by the connection's peer address).
   */
  HOLDFAST_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Sign-in mail (issue 16): links sent per address and per client per window; above it the page looks the same but no mail goes out. */
  HOLDFAST_SIGN_IN_MAILS_PER_ADDRESS: z.coerce.number().int().positive().default(3),
  HOLDFAST_SIGN_IN_MAILS_PER_CLIENT: z.coerce.number().int().positive().default(10),
  HOLDFAST_SIGN_IN_MAIL_WINDOW_S: seconds(15 * 60),
  /** Agent API rate limit: requests per key per window. */
  HOLDFAST_AGENT_RATE_LIMIT: z.coerce.number().int().positive().default(600),
  HOLDFAST_AGENT_RATE_WINDOW_S: seconds(60),
  /**
   * Server processes behind the one port (set by the launcher's cluster mode): each holds 1/N of every
   * agent API rate limit in memory (src/server/rate-limit/token-buckets.ts).
   */
  HOLDFAST_SERVER_PROCESSES: z.coerce.number().int().positive().max(64).default(1),
  /**
   * Agent webhooks may only target public addresses (issue 16): a comma-separated allow-list of host names,
   * addresses or CIDR ranges (e.g. `hooks.internal,10.1.0.0/16,127.0.0.1`) that may be private anyway.
   */
  HOLDFAST_WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean)),
  /** Bearer token for GET /api/metrics (Prometheus); unset → the endpoint answers 404. At least 16 characters (`openssl rand -hex 32`). */
  HOLDFAST_METRICS_TOKEN: z.string().min(16).optional(),
  /** Server log (src/server/log.ts): pino level; unset → info (silent under tests). */
  HOLDFAST_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  /** Server log format: json (one object per line, for production) or pretty (one readable line; the demo launcher's default). */
  HOLDFAST_LOG_FORMAT: z.enum(["json", "pretty"]).default("json"),
  /** OpenTelemetry traces (src/server/tracing.ts): OTLP/HTTP collector base URL (…/v1/traces is appended); unset → tracing off. The exporter reads the other standard OTEL_EXPORTER_OTLP_* variables (headers, timeout) itself. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().url().optional(),
  /** Service name on every span; default holdfast. */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  /** Owner alerts on Telegram (Bot API): the bot's token, its username (for t.me deep links), the API base URL and the webhook secret token. */
  HOLDFAST_TELEGRAM_BOT_TOKEN: z.string().min(1).optional(),
  HOLDFAST_TELEGRAM_BOT_USERNAME: z.string().min(1).optional(),
  HOLDFAST_TELEGRAM_API_URL: z.string().url().default("https://api.telegram.org"),
  HOLDFAST_TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/).optional(),
  /** Owner alerts on WhatsApp (Cloud API): API base URL (with version), access token, sender phone number id, app secret (signatures), verify token (GET handshake). */
  HOLDFAST_WHATSAPP_API_URL: z.string().url().default("https://graph.facebook.com/v21.0"),
  HOLDFAST_WHATSAPP_TOKEN: z.string().min(1).optional(),
  HOLDFAST_WHATSAPP_PHONE_NUMBER_ID: z.string().min(1).optional(),
  HOLDFAST_WHATSAPP_APP_SECRET: z.string().min(1).optional(),
  HOLDFAST_WHATSAPP_VERIFY_TOKEN: z.string().min(1).optional(),
  /**
   * Real money through Stripe (issue 15): the secret key (`sk_…` or a restricted `rk_…`). Unset → the test
   * funding source, as before; set → card payments, payouts and refunds are live and test funding is off.
   */
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/, "a Stripe secret key (sk_test_…, sk_live_… or rk_…)").optional(),
  /** Signing secret of the webhook endpoint /api/stripe/webhook (`whsec_…`); required with STRIPE_SECRET_KEY. */
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_\S{8,}$/, "a webhook signing secret (whsec_…)").optional(),
  /** Signing secret of the Connect webhook endpoint, when Connect events (account.updated) use their own. */
  STRIPE_CONNECT_WEBHOOK_SECRET: z.string().regex(/^whsec_\S{8,}$/, "a webhook signing secret (whsec_…)").optional(),
  /** Where the Stripe SDK sends API calls (tests point it at a local server); unset → https://api.stripe.com. */
  HOLDFAST_STRIPE_API_URL: z.string().url().optional(),
}).superRefine((e, ctx) => {
  const currencies = parseCurrencySettings({ currencies: e.HOLDFAST_CURRENCIES, rates: e.HOLDFAST_FX_RATES, base: e.HOLDFAST_LIMITS_CURRENCY });
  if (typeof currencies === "string") ctx.addIssue({ code: "custom", path: ["HOLDFAST_CURRENCIES"], message: currencies });
});

/**
 * The one base-URL rule: HOLDFAST_BASE_URL, else NEXTAUTH_URL, else localhost on PORT — so
 * `PORT=3101 npm start` puts 3101 in sign-in links, alerts and notices alike. After parsing,
 * HOLDFAST_BASE_URL is always set; every link is built from it (src/server/config.ts `appUrl`).
 */
const withBaseUrl = schema.transform((e) => ({
  ...e,
  HOLDFAST_BASE_URL: e.HOLDFAST_BASE_URL ?? e.NEXTAUTH_URL ?? `http://localhost:${e.PORT ?? 3000}`,
}));

export type Env = z.infer<typeof withBaseUrl>;

/** `next build` compiles without serving: requirements of a running server wait for its start. */
const BUILD_PHASE = "phase-production-build";

/** Rules across settings that a running server needs (README "Configuration"). */
function startProblems(e: Env): string[] {
  const problems: string[] = [];
  if (e.NODE_ENV === "production" && !e.HOLDFAST_DEMO && !e.NEXTAUTH_SECRET) {
    problems.push(
      "  NEXTAUTH_SECRET: required in production (at least 32 characters; make one with `openssl rand -hex 32`). " +
        "Only the embedded demo (HOLDFAST_DEMO=1) generates its own.",
    );
  }
  if (e.STRIPE_SECRET_KEY && !e.STRIPE_WEBHOOK_SECRET) {
    problems.push(
      "  STRIPE_WEBHOOK_SECRET: required with STRIPE_SECRET_KEY (the signing secret of the /api/stripe/webhook endpoint): " +
        "without it no payment could ever be confirmed.",
    );
  }
  if (!e.STRIPE_SECRET_KEY && (e.STRIPE_WEBHOOK_SECRET || e.STRIPE_CONNECT_WEBHOOK_SECRET)) {
    problems.push("  STRIPE_SECRET_KEY: a Stripe webhook secret is set but the secret key is not; set both or neither.");
  }
  return problems;
}

export interface ParseEnvOptions {
  /** True during `next build` (also when NEXT_PHASE says so): only the shapes of the values are checked. */
  building?: boolean;
}

export function parseEnv(source: Record<string, string | undefined>, options: ParseEnvOptions = {}): Env {
  const result = withBaseUrl.safeParse(source);
  const problems = result.success ? [] : result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  const building = options.building ?? source.NEXT_PHASE === BUILD_PHASE;
  if (result.success && !building) problems.push(...startProblems(result.data));
  if (!result.success || problems.length) throw new Error(`Invalid Holdfast configuration:\n${problems.join("\n")}`);
  return result.data;
}

let cached: Env | null = null;
/** The process environment, validated once. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
