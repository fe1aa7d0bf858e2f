// A Stryker "ignorer": leaves the `note:` texts of the transition table (src/domain/escrow/transitions.ts)
// unmutated. Each note is one line of prose for the generated lifecycle docs; describe.test.ts already fails
// when the docs drift from the table, so mutating a note only proves the docs are regenerated, not that a
// rule holds. A `// Stryker disable next-line` comment cannot do this: each row is one line (the table is
// read like a spreadsheet), so it would also switch off the row's event name and `via`, which ARE rules on
// the wire.
import { PluginKind, declareValuePlugin } from "@stryker-mutator/api/plugin";

const TABLE_FILE = /src[\\/]domain[\\/]escrow[\\/]transitions\.ts$/;

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "transition-notes", {
    shouldIgnore(path) {
      const fileName = path.hub?.file?.opts?.filename ?? "";
      if (!TABLE_FILE.test(fileName)) return undefined;
      const parent = path.parentPath;
      if (
        parent?.isObjectProperty() &&
        parent.node.value === path.node &&
        !parent.node.computed &&
        parent.node.key.type === "Identifier" &&
        parent.node.key.name === "note"
      ) {
        return "A transition's note is docs prose; describe.test.ts pins the docs to the table.";
      }
      return undefined;
    },
  }),
];
