// Loaded by src/domain/vitest.domain.config.ts only inside Stryker's test runners (STRYKER_MUTATOR_WORKER
// is set): a property that fails has killed the mutant, so stop at the first counterexample instead of
// shrinking it. Shrinking a 60-step lifecycle took most of each mutant's time; it changes which mutants
// are killed not at all, only how fast.
import fc from "fast-check";

fc.configureGlobal({ endOnFailure: true });
