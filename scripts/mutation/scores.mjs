// Prints the mutation score per file from Stryker's JSON reports (npm run test:mutation:scores), and with
// `--write` records the files measured into docs/MUTATION.md's score table (rows of other files are kept),
// with a last row for all of src/domain summed over the table's rows; it also names src/domain files that
// have no row yet.
//   node scripts/mutation/scores.mjs [--write] [--machine "2 cores, shared"]
// Reads reports/mutation/mutation.json (full runs) and reports/mutation/files/*/mutation.json (runs with
// --mutate <file>); for each source file the newest report wins.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
const REPORTS = path.join(ROOT, "reports/mutation");
const DOC = path.join(ROOT, "docs/MUTATION.md");
const START = "<!-- mutation-scores:start -->";
const END = "<!-- mutation-scores:end -->";

function reportPaths() {
  const paths = [path.join(REPORTS, "mutation.json")];
  const perFile = path.join(REPORTS, "files");
  if (existsSync(perFile)) {
    for (const name of readdirSync(perFile)) paths.push(path.join(perFile, name, "mutation.json"));
  }
  return paths.filter((file) => existsSync(file));
}

/** file → { counts, measuredAt } from the newest report that covers it. */
function newestResults() {
  const byFile = new Map();
  for (const reportPath of reportPaths()) {
    const measuredAt = statSync(reportPath).mtime;
    const report = JSON.parse(readFileSync(reportPath, "utf8"));
    for (const [file, { mutants }] of Object.entries(report.files)) {
      const relative = path.isAbsolute(file) ? path.relative(ROOT, file) : file;
      const known = byFile.get(relative);
      if (known && known.measuredAt >= measuredAt) continue;
      const counts = {
        Killed: 0,
        Survived: 0,
        Timeout: 0,
        NoCoverage: 0,
        CompileError: 0,
        RuntimeError: 0,
        Ignored: 0,
      };
      for (const mutant of mutants) counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
      byFile.set(relative, { counts, measuredAt });
    }
  }
  return byFile;
}

/** Stryker's definition: detected (killed + timeout) over valid mutants (compile and runtime errors and
 * ignored mutants are not counted). */
function score({ Killed, Survived, Timeout, NoCoverage }) {
  const valid = Killed + Survived + Timeout + NoCoverage;
  return valid === 0 ? null : ((Killed + Timeout) / valid) * 100;
}

function row(file, { counts, measuredAt }, machine) {
  const value = score(counts);
  const shown = value === null ? "n/a" : `${value.toFixed(1)} %`;
  const date = measuredAt.toISOString().slice(0, 10);
  return `| ${file} | ${shown} | ${counts.Killed + counts.Timeout} | ${counts.Survived} | ${counts.NoCoverage} | ${counts.Ignored} | ${date} | ${machine} |`;
}

const args = process.argv.slice(2);
const machineAt = args.indexOf("--machine");
const machine = machineAt >= 0 ? args[machineAt + 1] : `${os.cpus().length} cores, shared`;
const results = newestResults();
if (results.size === 0) {
  console.error("No Stryker report under reports/mutation/ — run npm run test:mutation first.");
  if (process.argv.includes("--write")) process.exit(1);
}
const rows = [...results.entries()]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([file, result]) => row(file, result, machine));
const header = [
  "| File | Score | Detected | Survived | No coverage | Ignored | Measured | Machine |",
  "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
];
console.log([...header, ...rows].join("\n"));

let total = { Killed: 0, Survived: 0, Timeout: 0, NoCoverage: 0 };
for (const { counts } of results.values()) for (const key of Object.keys(total)) total[key] += counts[key];
console.log(`\nAll files above: ${score(total)?.toFixed(1) ?? "n/a"} %`);

/** The table's file rows: those kept from docs/MUTATION.md (files not in these reports) and the new ones. */
function tableRows(doc) {
  const from = doc.indexOf(START);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error(`docs/MUTATION.md has no ${START} … ${END} section`);
  const kept = doc
    .slice(from + START.length, to)
    .split("\n")
    .filter((line) => line.startsWith("| src/"))
    .filter((line) => !results.has(line.split("|")[1].trim()));
  return { from, to, table: [...kept, ...rows].sort((a, b) => a.split("|")[1].trim().localeCompare(b.split("|")[1].trim())) };
}

/**
 * The overall score of src/domain (issue 23's target: ≥ 90 %) from the table's counts — every file's newest
 * measurement, whether from these reports or recorded earlier — as one last row of the table.
 */
function overallRow(table) {
  const sum = { Killed: 0, Survived: 0, Timeout: 0, NoCoverage: 0, Ignored: 0 };
  let measuredFrom = null;
  let measuredTo = null;
  for (const line of table) {
    const cells = line.split("|").map((cell) => cell.trim());
    // | file | score | detected | survived | no coverage | ignored | measured | machine |
    sum.Killed += Number(cells[3]);
    sum.Survived += Number(cells[4]);
    sum.NoCoverage += Number(cells[5]);
    sum.Ignored += Number(cells[6]);
    if (measuredFrom === null || cells[7] < measuredFrom) measuredFrom = cells[7];
    if (measuredTo === null || cells[7] > measuredTo) measuredTo = cells[7];
  }
  const value = score(sum);
  const dates = measuredFrom === measuredTo ? measuredFrom : `${measuredFrom} – ${measuredTo}`;
  return `| **src/domain, all ${table.length} files above** | **${value === null ? "n/a" : `${value.toFixed(1)} %`}** | ${sum.Killed} | ${sum.Survived} | ${sum.NoCoverage} | ${sum.Ignored} | ${dates} | ${machine} |`;
}

/** Source files of src/domain that the table has no row for (never measured). */
function unmeasured(table) {
  const listed = new Set(table.map((line) => line.split("|")[1].trim()));
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return walk(full);
      return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.startsWith("vitest.") ? [path.relative(ROOT, full)] : [];
    });
  return walk(path.join(ROOT, "src/domain")).filter((file) => !listed.has(file)).sort();
}

{
  const { table } = tableRows(readFileSync(DOC, "utf8"));
  console.log(`\nWith the rows kept in docs/MUTATION.md:\n${overallRow(table)}`);
  const missing = unmeasured(table);
  if (missing.length > 0) console.log(`Never measured (no row): ${missing.join(", ")}`);
}

if (args.includes("--write")) {
  const doc = readFileSync(DOC, "utf8");
  const { from, to, table } = tableRows(doc);
  const next = `${doc.slice(0, from + START.length)}\n${[...header, ...table, overallRow(table)].join("\n")}\n${doc.slice(to)}`;
  writeFileSync(DOC, next);
  console.log(`\nRecorded ${rows.length} file(s) in docs/MUTATION.md.`);
}
