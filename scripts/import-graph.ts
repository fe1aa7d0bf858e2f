// The import graph of src/ (production files: no tests, no src/test/), read with the TypeScript
// compiler's own module resolution so `~/` paths resolve exactly as tsc resolves them. Type-only
// imports count: a type import is still a dependency a reader follows, and the layers are about
// which way dependencies point, not only about what runs (eslint's import/no-cycle covers those).
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export const REPO_ROOT = path.resolve(import.meta.dirname, "..");
const SRC = path.join(REPO_ROOT, "src");

export type Graph = Map<string, Set<string>>;

function isProductionSource(file: string): boolean {
  return (
    file.startsWith(SRC + path.sep) &&
    /\.(ts|tsx)$/.test(file) &&
    !/\.test\.tsx?$/.test(file) &&
    !file.startsWith(path.join(SRC, "test") + path.sep) &&
    !file.includes(`${path.sep}generated${path.sep}`)
  );
}

function moduleSpecifiers(source: ts.SourceFile): string[] {
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier) {
      if (ts.isStringLiteral(statement.moduleSpecifier)) specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers;
}

/** File → the src/ files it imports (paths relative to src/, forward slashes). */
export function sourceImportGraph(): Graph {
  const configFile = ts.readConfigFile(path.join(REPO_ROOT, "tsconfig.json"), (f) => ts.sys.readFile(f));
  const config = ts.parseJsonConfigFileContent(configFile.config, ts.sys, REPO_ROOT);
  const relative = (file: string) => path.relative(SRC, file).split(path.sep).join("/");
  const graph: Graph = new Map();
  for (const file of config.fileNames.filter(isProductionSource)) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const targets = new Set<string>();
    for (const specifier of moduleSpecifiers(source)) {
      const resolved = ts.resolveModuleName(specifier, file, config.options, ts.sys).resolvedModule;
      if (resolved && !resolved.isExternalLibraryImport && isProductionSource(resolved.resolvedFileName)) {
        targets.add(relative(resolved.resolvedFileName));
      }
    }
    graph.set(relative(file), targets);
  }
  return graph;
}

/**
 * The unit a file belongs to when we ask whether areas depend on each other one way: its folder two
 * levels down (`server/escrow`, `domain/escrow`, `components/chat`), or the file itself when it sits
 * directly in a top-level folder (`domain/money.ts`, `server/errors.ts`).
 */
export function areaOf(file: string): string {
  const parts = file.split("/");
  return parts.length > 2 ? parts.slice(0, 2).join("/") : file;
}

export function areaGraph(files: Graph): Graph {
  const areas: Graph = new Map();
  for (const [from, targets] of files) {
    const fromArea = areaOf(from);
    if (!areas.has(fromArea)) areas.set(fromArea, new Set());
    for (const to of targets) if (areaOf(to) !== fromArea) areas.get(fromArea)!.add(areaOf(to));
  }
  return areas;
}

/**
 * Every cycle, as a strongly connected component (Tarjan): the nodes that all reach each other, sorted,
 * joined with " ⇄ ". A component is one entry however many elementary cycles run through it.
 */
export function cycles(graph: Graph): string[] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort().join(" ⇄ "));
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found.sort();
}

/** The imports inside one cycle, `from → to`, so a failure says which lines to change. */
export function edgesWithin(graph: Graph, cycle: string): string[] {
  const members = new Set(cycle.split(" ⇄ "));
  const edges: string[] = [];
  for (const [from, targets] of graph) {
    if (!members.has(from)) continue;
    for (const to of targets) if (members.has(to)) edges.push(`${from} → ${to}`);
  }
  return edges.sort();
}
