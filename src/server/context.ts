// What every service needs: the database, the clock and the engine settings.
// Passed explicitly so tests can run the real engine on their own database
// with a clock they move.
import { getDb, type Db } from "./db/client";
import { engineConfigFromEnv, type EngineConfig } from "./config";

export interface EngineContext {
  db: Db;
  /** Current time. Everything the engine writes is stamped with this clock. */
  now: () => Date;
  config: EngineConfig;
}

export function defaultEngineContext(): EngineContext {
  return { db: getDb(), now: () => new Date(), config: engineConfigFromEnv() };
}
