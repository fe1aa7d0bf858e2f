// The payment provider could not do what was asked (down, refused, misconfigured). Transports answer
// 503 with this message; what Holdfast had written first is compensated before it is thrown.
export class PaymentProviderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PaymentProviderError";
  }
}

/** Stripe keys are off: card payments, payouts and refunds do not exist in this deployment. */
export class PaymentsNotConfiguredError extends Error {
  constructor() {
    super("Card payments are not configured on this deployment.");
    this.name = "PaymentsNotConfiguredError";
  }
}
