// Imports point one way (docs/ARCHITECTURE.md "Layers"): domain ← protocol views ← services ← jobs and
// transports. A cycle — between two files, or between two areas such as server/escrow and server/jobs —
// fails here, in CI, with the imports that close it.
import { describe, expect, it } from "vitest";
import { areaGraph, areaOf, cycles, edgesWithin, sourceImportGraph, type Graph } from "./import-graph";

/**
 * Cycles known and being taken apart (issue 19). Each entry names the whole strongly connected component
 * as the check prints it. Remove an entry when its cycle is gone (the check fails on a stale entry, so
 * the list only shrinks); never add one.
 */
const KNOWN_FILE_CYCLES: Record<string, string> = {};

const KNOWN_AREA_CYCLES: Record<string, string> = {};

/** For each area cycle, the file imports that cross between its areas: the lines to change. */
function explainAreaCycles(files: Graph, found: string[]): string {
  return found
    .map((cycle) => {
      const members = new Set(cycle.split(" ⇄ "));
      const crossing = [...files].flatMap(([from, targets]) =>
        [...targets]
          .filter((to) => areaOf(from) !== areaOf(to) && members.has(areaOf(from)) && members.has(areaOf(to)))
          .map((to) => `    ${from} → ${to}`),
      );
      return [`  ${cycle}`, ...crossing].join("\n");
    })
    .join("\n");
}

function explainFileCycles(files: Graph, found: string[]): string {
  return found.map((cycle) => [`  ${cycle}`, ...edgesWithin(files, cycle).map((e) => `    ${e}`)].join("\n")).join("\n");
}

describe("import cycles in src/", () => {
  const files = sourceImportGraph();
  const areas = areaGraph(files);

  it("reads the real graph (the check is not vacuous)", () => {
    expect(files.size).toBeGreaterThan(200);
    expect(files.get("server/escrow/run-command.ts")).toContain("domain/escrow/decide.ts");
    expect(areas.get("server/api")).toContain("server/escrow");
  });

  it("finds a cycle when one exists, file-level and area-level", () => {
    const sample: Graph = new Map([
      ["server/a/x.ts", new Set(["server/b/y.ts"])],
      ["server/b/y.ts", new Set(["server/b/z.ts"])],
      ["server/b/z.ts", new Set(["server/a/w.ts"])],
      ["server/a/w.ts", new Set<string>()],
    ]);
    expect(cycles(sample)).toEqual([]);
    expect(cycles(areaGraph(sample))).toEqual(["server/a ⇄ server/b"]);
    sample.get("server/a/w.ts")!.add("server/a/x.ts");
    expect(cycles(sample)).toEqual(["server/a/w.ts ⇄ server/a/x.ts ⇄ server/b/y.ts ⇄ server/b/z.ts"]);
  });

  it("no file imports itself back, apart from the cycles being taken apart", () => {
    const unexpected = cycles(files).filter((c) => !(c in KNOWN_FILE_CYCLES));
    expect(unexpected, `import cycles between files:\n${explainFileCycles(files, unexpected)}`).toEqual([]);
  });

  it("no area depends on another that depends back on it, apart from the cycles being taken apart", () => {
    const unexpected = cycles(areas).filter((c) => !(c in KNOWN_AREA_CYCLES));
    expect(unexpected, `import cycles between areas:\n${explainAreaCycles(files, unexpected)}`).toEqual([]);
  });

  it("the list of known cycles has no stale entry (it only shrinks)", () => {
    const present = new Set([...cycles(files), ...cycles(areas)]);
    const stale = [...Object.keys(KNOWN_FILE_CYCLES), ...Object.keys(KNOWN_AREA_CYCLES)].filter((c) => !present.has(c));
    expect(stale, "these cycles are gone or changed shape: remove or update their entries").toEqual([]);
  });

  it("the services fixed in issue 19 stay out of every cycle", () => {
    const inCycles = [...cycles(files), ...cycles(areas)].join(" ⇄ ").split(" ⇄ ");
    for (const area of ["server/conversations", "server/agent-api", "server/views", "server/auth", "server/api", "server/purchases"]) {
      expect(inCycles.filter((node) => node === area || node.startsWith(`${area}/`))).toEqual([]);
    }
  });
});
