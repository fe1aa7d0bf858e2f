// A Stryker "ignorer": leaves docs prose in the domain's tables unmutated — the `note:` texts of the
// transition table (src/domain/escrow/transitions.ts) and of the alert and reminder rules
// (side-effects.ts), and the `who:` of each artifact grant (artifact-access.ts). Each is one line of prose
// for the docs (the lifecycle table is generated from them, and scripts/docs.test.ts fails when the docs
// drift; no code reads an alert's note or a grant's `who`), so mutating one only proves the docs are
// regenerated, not that a rule holds. A `// Stryker disable next-line` comment cannot do this: each row is
// one line (the tables are read like a spreadsheet), so it would also switch off the row's event name,
// `via`, status or notices, which ARE rules.
import { PluginKind, declareValuePlugin } from "@stryker-mutator/api/plugin";

/** File → the property names whose string values are docs prose there. */
const PROSE_KEYS = [
  { file: /src[\\/]domain[\\/]escrow[\\/]transitions\.ts$/, keys: ["note"] },
  { file: /src[\\/]domain[\\/]escrow[\\/]side-effects\.ts$/, keys: ["note"] },
  { file: /src[\\/]domain[\\/]artifact-access\.ts$/, keys: ["who"] },
  // What each evaluator verdict does, in words: read by nobody (VERDICT_EFFECTS' opensDispute is the rule).
  { file: /src[\\/]domain[\\/]evaluator\.ts$/, keys: ["note"] },
];

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "transition-notes", {
    shouldIgnore(path) {
      const fileName = path.hub?.file?.opts?.filename ?? "";
      const keys = PROSE_KEYS.find((entry) => entry.file.test(fileName))?.keys;
      if (!keys) return undefined;
      const parent = path.parentPath;
      if (
        parent?.isObjectProperty() &&
        parent.node.value === path.node &&
        !parent.node.computed &&
        parent.node.key.type === "Identifier" &&
        keys.includes(parent.node.key.name)
      ) {
        return `A table's ${parent.node.key.name} is docs prose, not a rule; scripts/docs.test.ts pins the generated docs.`;
      }
      return undefined;
    },
  }),
];
