// The Inngest client (production timer engine, HOLDFAST_TIMERS=inngest). The SDK reads its own
// settings from the environment: INNGEST_EVENT_KEY to publish, INNGEST_SIGNING_KEY to verify calls
// to /api/inngest, INNGEST_BASE_URL for a self-hosted server, INNGEST_DEV=1 for the dev server.
import { Inngest } from "inngest";

export const inngest = new Inngest({ id: "holdfast" });

/** Published by the outbox relay for every escrow transition (the outbox payload as data). */
export const ESCROW_CHANGED_EVENT = "holdfast/escrow.changed";

export interface EscrowChangedData {
  escrow_id: string;
  version: number;
  status: string;
  event: string;
  deadline: string | null;
  deadline_action: string | null;
}
