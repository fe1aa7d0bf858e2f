// The payment provider could not do what was asked (down, refused, misconfigured). Transports answer
// 503 with this message; what Holdfast had written first is compensated before it is thrown (or, when
// the provider never answered, kept reserved until asking again with the same key settles it).
export class PaymentProviderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PaymentProviderError";
  }
}

