// Engine settings taken from the validated environment.
import type { TimeWindows } from "~/domain/escrow/decide";
import { env } from "~/env";

export interface EngineConfig {
  windows: TimeWindows;
  feeBps: number;
}

export function engineConfigFromEnv(): EngineConfig {
  const e = env();
  return {
    feeBps: e.HOLDFAST_FEE_BPS,
    windows: {
      offerTtlS: e.HOLDFAST_OFFER_TTL_S,
      deliveryGraceS: e.HOLDFAST_DELIVERY_GRACE_S,
      reviewWindowS: e.HOLDFAST_REVIEW_WINDOW_S,
      reviewExtensionS: e.HOLDFAST_REVIEW_EXTENSION_S,
      responseWindowS: e.HOLDFAST_RESPONSE_WINDOW_S,
      negotiationWindowS: e.HOLDFAST_NEGOTIATION_WINDOW_S,
    },
  };
}
