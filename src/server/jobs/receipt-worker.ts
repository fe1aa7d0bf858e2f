// The receipt worker (issue 18; kept with the other loops so receipts/ does not depend on jobs/): seals the escrows' new audit rows every few seconds, so receipts exist even for escrows
// nobody asks about (on-demand sealing covers the rest: the receipts endpoint, webhooks, bundles).
import { getDb } from "../db/client";
import { pollingLoop, type Worker } from "./polling-loop";
import { sealPendingReceipts } from "../receipts/sealer";

const globalForSealer = globalThis as unknown as { holdfastReceiptWorker?: Worker };

export function startReceiptWorker(everyMs = 3_000): Worker {
  if (globalForSealer.holdfastReceiptWorker) return globalForSealer.holdfastReceiptWorker;
  let watermark = 0n;
  const worker = pollingLoop(
    "receipts",
    async () => {
      const round = await sealPendingReceipts(getDb(), watermark);
      watermark = round.sealedThrough;
      return round.written;
    },
    { everyMs, db: getDb() },
  );
  globalForSealer.holdfastReceiptWorker = worker;
  return worker;
}
