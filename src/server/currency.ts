// The deployment's currencies at the edges: every place an amount and a currency come in (offers,
// service prices, purchase limits, the alert threshold, test funding) refuses a currency that is not
// enabled, with a 400 validation_error that names the enabled ones. Conversion is domain/currency.ts.
import { isEnabledCurrency } from "~/domain/currency";
import { currenciesOf, type EngineConfig } from "./config";
import { invalid } from "./errors";

/** Throws 400 validation_error at `path` unless `currency` is one of the enabled currencies. */
export function requireEnabledCurrency(config: EngineConfig, currency: string, path = "currency"): void {
  const settings = currenciesOf(config);
  if (isEnabledCurrency(settings, currency)) return;
  throw invalid(path, `${JSON.stringify(currency).slice(0, 40)} is not a currency this deployment accepts; use one of: ${settings.enabled.join(", ")}`);
}

/** The currency the tier limits are stated in. */
export function limitsCurrency(config: EngineConfig): string {
  return currenciesOf(config).base;
}
