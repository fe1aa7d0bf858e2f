// Mutation testing of the pure domain (issue 23): `npm run test:mutation`; one file:
// `npm run test:mutation -- --mutate src/domain/money.ts`. Scores per file: docs/MUTATION.md.

// A run over a subset (`--mutate <file>`) keeps its own incremental state and reports under
// reports/mutation/files/<name>/: Stryker rewrites the incremental file with only the mutants of the
// current run, so sharing one file would make the next full run start from nothing.
// scripts/mutation/scores.mjs reads the newest result per file from all of them.
function reportDirectory() {
  const at = process.argv.findIndex((arg) => arg === "--mutate" || arg === "-m");
  const subset = at >= 0 ? process.argv[at + 1] : undefined;
  if (!subset) return "reports/mutation";
  const name = subset
    .replace(/^src\/domain\//, "")
    .replace(/:.*$/, "")
    .replace(/[^A-Za-z0-9.-]+/g, "_");
  return `reports/mutation/files/${name}`;
}
const reports = reportDirectory();

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  packageManager: "npm",
  testRunner: "vitest",
  // The domain's own config: pure tests, no PostgreSQL global setup.
  vitest: { configFile: "src/domain/vitest.domain.config.ts" },
  checkers: ["typescript"],
  // A tsconfig of the domain alone, so each mutant is type-checked in a small program.
  tsconfigFile: "tsconfig.stryker.json",
  mutate: [
    "src/domain/**/*.ts",
    "!src/domain/**/*.test.ts",
    "!src/domain/vitest.domain.config.ts",
  ],
  // The transition table's `note:` texts are docs prose (see the plugin for why not a disable comment).
  plugins: ["@stryker-mutator/*", "./scripts/mutation/ignore-transition-notes.mjs"],
  ignorers: ["transition-notes"],
  // Static mutants (module-level tables: TRANSITIONS' event names and `via` values) are the slow ones —
  // each re-runs every test — but they are the wire names, so they stay in.
  ignoreStatic: false,
  coverageAnalysis: "perTest",
  // The machine has 2 cores shared with other work.
  concurrency: 2,
  // Re-checks only mutants whose code or covering tests changed since the last run.
  incremental: true,
  incrementalFile: `${reports}/stryker-incremental.json`,
  reporters: ["html", "json", "clear-text", "progress"],
  htmlReporter: { fileName: `${reports}/index.html` },
  jsonReporter: { fileName: `${reports}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
  // The property test runs 2,000 lifecycles (≈ 5 s here); give a mutant room before calling it a timeout.
  timeoutMS: 15000,
};
export default config;
