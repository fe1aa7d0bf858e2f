// Dead code does not stay: an exported declaration in src/ that nothing reads — not another file, not a
// test, not its own file — fails here. (A name read only in its own file may keep `export` for its
// tests or callers to come; one read nowhere is gone.) Word search over every TypeScript file the
// project compiles: a false "used" is possible (a common word), a false "dead" is not.
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { expect, it } from "vitest";
import { REPO_ROOT } from "./import-graph";

function exportedNames(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const names: string[] = [];
  for (const statement of source.statements) {
    const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
    if (!modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
    } else if ("name" in statement && statement.name && ts.isIdentifier(statement.name as ts.Node)) {
      names.push((statement.name as ts.Identifier).text);
    }
  }
  return names;
}

function deadExports(): string[] {
  const configFile = ts.readConfigFile(path.join(REPO_ROOT, "tsconfig.json"), (f) => ts.sys.readFile(f));
  const files = ts
    .parseJsonConfigFileContent(configFile.config, ts.sys, REPO_ROOT)
    .fileNames.filter((f) => !f.includes(`${path.sep}generated${path.sep}`) && !f.includes(`${path.sep}.next${path.sep}`));
  const texts = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));
  const src = path.join(REPO_ROOT, "src") + path.sep;
  // Next.js reads a route's and a page's exports by name (GET, metadata, default …): not ours to judge.
  // Test harnesses (src/test/) are judged by the tests that use them.
  const skipped = [path.join(src, "app") + path.sep, path.join(src, "test") + path.sep];
  const judged = files.filter((f) => f.startsWith(src) && !skipped.some((d) => f.startsWith(d)) && !/\.test\.tsx?$/.test(f));
  const dead: string[] = [];
  for (const file of judged) {
    const text = texts.get(file)!;
    for (const name of exportedNames(file, text)) {
      const word = new RegExp(`\\b${name}\\b`, "g");
      const ownUses = (text.match(word) ?? []).length - 1;
      const elsewhere = [...texts].some(([other, t]) => other !== file && new RegExp(`\\b${name}\\b`).test(t));
      if (ownUses === 0 && !elsewhere) dead.push(`${path.relative(REPO_ROOT, file)}: ${name}`);
    }
  }
  return dead.sort();
}

it("every export in src/ is read somewhere", () => {
  expect(deadExports()).toEqual([]);
});
