// In demo mode, a line under the header says that the money is test money and,
// when the demo's short windows are on, how long each one is — so a visitor
// knows why an order auto-releases after ten minutes.
import { durationWords } from "~/domain/escrow/messages";
import { env } from "~/env";

const A_DAY_S = 24 * 3600;

export function DemoBanner() {
  const e = env();
  if (!e.HOLDFAST_DEMO) return null;
  const short = e.HOLDFAST_REVIEW_WINDOW_S < A_DAY_S;
  return (
    // A landmark of its own (every piece of a page belongs to one, so screen-reader users can skip it),
    // and one line on a phone: the full list of windows only where it fits (sm and up).
    <aside aria-label="Demo mode" className="border-b border-amber-200 bg-amber-50">
      <p
        role="note"
        data-testid="demo-banner"
        className="px-4 py-1.5 text-center text-xs text-amber-900 max-sm:truncate"
      >
        Demo: test money only.
        {short ? (
          <>
            <span className="max-sm:hidden">
              {` Windows are shortened so you can watch the timers act: review ${durationWords(e.HOLDFAST_REVIEW_WINDOW_S)}, ` +
                `agent's answer to a dispute ${durationWords(e.HOLDFAST_RESPONSE_WINDOW_S)}, ` +
                `negotiation ${durationWords(e.HOLDFAST_NEGOTIATION_WINDOW_S)}, unaccepted offers ${durationWords(e.HOLDFAST_OFFER_TTL_S)}.`}
            </span>
            <span className="sm:hidden">{` Short timers: review ${durationWords(e.HOLDFAST_REVIEW_WINDOW_S)}.`}</span>
          </>
        ) : null}
      </p>
    </aside>
  );
}
