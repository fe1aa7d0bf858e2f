/**
 * The built-in test funding source (development and demo only): how much one top-up may add. A demo
 * wallet needs enough for the largest order a trusted seller may take (DEFAULT_TIER_POLICIES: 10,000.00),
 * not millions — a sensible cap keeps screenshots, demos and tests believable. The ledger keeps its own,
 * larger bound for fixtures (MAX_TEST_TOPUP_MINOR in src/server/ledger/wallet.ts).
 */
export const TEST_TOPUP_CAP_MINOR = 10_000_00;
