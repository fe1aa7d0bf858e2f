// Lifecycle load: N virtual users, each owning one seller agent and one customer, run whole escrow
// lifecycles back to back over real HTTP against the production server until the time is up:
//
//   agent     POST /api/agent/v1/escrows                      create_service   (offer, pending)
//   customer  POST /api/trpc/escrow.accept   (session cookie) accept           pending → active, funds held
//   agent     POST /api/agent/v1/artifacts                    upload_artifact  (a JSON data artifact)
//   agent     POST /api/agent/v1/conversations/{id}/messages  send_message     (the artifact, tied to the escrow)
//   agent     POST /api/agent/v1/escrows/{id}/complete        complete_service active → delivered
//   customer  POST /api/trpc/escrow.approve  (session cookie) approve          delivered → completed, released
//
// The agent side is the typed protocol client (src/client), each POST with its own Idempotency-Key;
// the customer side is the web app's tRPC endpoint with the session cookie and CSRF header the
// browser sends (one procedure per request, no batching, so each has its own latency).
import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import { HoldfastClient } from "../../src/client";
import type { AppRouter } from "../../src/server/api/root";
import { CSRF_HEADER, CSRF_HEADER_VALUE } from "../../src/server/auth/csrf";
import { sessionCookieName } from "../../src/server/auth/session";
import { PRICE_MINOR, type Seller } from "./stack";
import { Samples } from "./stats";

export const STEPS = ["create_service", "accept", "upload_artifact", "send_message", "complete_service", "approve"] as const;
export type Step = (typeof STEPS)[number];
/** Steps that are escrow state transitions through the engine (run-command.ts); create_service inserts the offer. */
export const TRANSITION_STEPS: Step[] = ["accept", "complete_service", "approve"];

export interface LifecycleResult {
  concurrency: number;
  seconds: number;
  lifecycles: number;
  requests: number;
  errors: number;
  firstErrors: string[];
  perStep: Record<Step, Samples>;
  lifecycle: Samples;
}

function customerClient(baseUrl: string, sessionToken: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${baseUrl}/api/trpc`,
        transformer: superjson,
        headers: () => ({
          cookie: `${sessionCookieName(false)}=${sessionToken}`,
          [CSRF_HEADER]: CSRF_HEADER_VALUE,
          origin: baseUrl,
        }),
      }),
    ],
  });
}

async function timed<T>(samples: Samples, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const value = await fn();
  samples.add(performance.now() - start);
  return value;
}

export async function runLifecycles(baseUrl: string, users: Seller[], seconds: number): Promise<LifecycleResult> {
  const perStep = Object.fromEntries(STEPS.map((s) => [s, new Samples()])) as Record<Step, Samples>;
  const lifecycle = new Samples();
  let lifecycles = 0;
  let errors = 0;
  const firstErrors: string[] = [];
  const started = performance.now();
  const endAt = started + seconds * 1000;

  async function virtualUser(user: Seller) {
    const agent = new HoldfastClient({ baseUrl, apiKey: user.apiKey });
    const customer = customerClient(baseUrl, user.sessionToken);
    let n = 0;
    while (performance.now() < endAt) {
      n++;
      const t0 = performance.now();
      try {
        const offer = await timed(perStep.create_service, () =>
          agent.createEscrow({
            conversation_id: user.conversationId,
            service_id: user.serviceId,
            title: "Market report",
            description: `Bench order ${n}`,
            amount: PRICE_MINOR,
            currency: "USD",
          }),
        );
        await timed(perStep.accept, () => customer.escrow.accept.mutate({ escrowId: offer.id }));
        const artifact = await timed(perStep.upload_artifact, () =>
          agent.uploadData({ name: "report.json", data: { summary: `Report ${n}`, competitors: [{ name: "Acme" }] } }),
        );
        await timed(perStep.send_message, () =>
          agent.sendMessage(user.conversationId, { text: "Here is your report.", artifact_ids: [artifact.id], escrow_id: offer.id }),
        );
        await timed(perStep.complete_service, () => agent.complete(offer.id));
        await timed(perStep.approve, () => customer.escrow.approve.mutate({ escrowId: offer.id }));
        lifecycle.add(performance.now() - t0);
        lifecycles++;
      } catch (error) {
        errors++;
        if (firstErrors.length < 5) firstErrors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
    }
  }

  await Promise.all(users.map((u) => virtualUser(u)));
  const elapsed = (performance.now() - started) / 1000;
  const requests = STEPS.reduce((sum, s) => sum + perStep[s].count, 0);
  return { concurrency: users.length, seconds: elapsed, lifecycles, requests, errors, firstErrors, perStep, lifecycle };
}
