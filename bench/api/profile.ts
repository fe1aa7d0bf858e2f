// Where the web server's CPU goes: reads the V8 CPU profiles `node --cpu-prof` wrote (bench/api/run.ts
// --cpu-prof DIR) and prints self time by package (node_modules/<name>, Node's own internals, our code
// under src/) and the heaviest functions. Self time, not total: each sample counts once, for the
// function on top of the stack.
//
//   npx tsx bench/api/profile.ts DIR [--top 30]
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { table } from "./stats";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The package a script URL belongs to: `next`, `@prisma/client`, `node:internal`, `src/server/…`. */
export function packageOf(url: string): string {
  if (url === "") return "(native / V8)";
  if (url.startsWith("node:")) return "node (built-in)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  // Next bundles the app and its compiled dependencies into .next/server chunks.
  const chunk = url.indexOf(".next/server/");
  if (chunk >= 0) return `.next/server (bundled app + deps)`;
  const src = url.indexOf("/src/");
  if (src >= 0) return url.slice(src + 1).split("/").slice(0, 3).join("/");
  return url.replace(/^file:\/\//, "");
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  byPackage: [string, number][];
  byFunction: [string, number][];
}

export function summarizeCpuProfiles(dir: string): ProfileSummary {
  const selfUs = new Map<string, number>();
  const fnUs = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const delta = profile.timeDeltas[i] ?? 0;
      const node = byId.get(id);
      if (!node) return;
      const { functionName, url, lineNumber } = node.callFrame;
      totalUs += delta;
      if (functionName === "(idle)") idleUs += delta;
      const pkg = functionName === "(idle)" ? "(idle)" : functionName === "(garbage collector)" ? "(garbage collector)" : packageOf(url);
      selfUs.set(pkg, (selfUs.get(pkg) ?? 0) + delta);
      const fn = `${functionName || "(anonymous)"} ${url ? `${url.split("/").slice(-2).join("/")}:${lineNumber + 1}` : ""}`.trim();
      fnUs.set(fn, (fnUs.get(fn) ?? 0) + delta);
    });
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, us]) => [k, us / 1000] as [string, number]);
  return { totalMs: totalUs / 1000, idleMs: idleUs / 1000, byPackage: sorted(selfUs), byFunction: sorted(fnUs) };
}

export function printProfileSummary(summary: ProfileSummary, top: number, requests?: number): void {
  const busyMs = summary.totalMs - summary.idleMs;
  const pct = (msec: number) => `${((100 * msec) / Math.max(busyMs, 1)).toFixed(1)} %`;
  console.log(`CPU profile: ${(busyMs / 1000).toFixed(1)} s busy of ${(summary.totalMs / 1000).toFixed(1)} s sampled` +
    (requests ? `; ${(busyMs / requests).toFixed(2)} ms of CPU per request over ${requests} requests` : ""));
  console.log("");
  console.log("Self time by package (share of busy time)");
  console.log(table(["package", "ms", "share"], summary.byPackage.filter(([k]) => k !== "(idle)").slice(0, top).map(([k, msec]) => [k, msec.toFixed(0), pct(msec)])));
  console.log("");
  console.log("Heaviest functions (self time)");
  console.log(table(["function", "ms", "share"], summary.byFunction.filter(([k]) => !k.startsWith("(idle)")).slice(0, top).map(([k, msec]) => [k.slice(0, 110), msec.toFixed(0), pct(msec)])));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values, positionals } = parseArgs({ options: { top: { type: "string", default: "30" } }, allowPositionals: true });
  const dir = positionals[0];
  if (!dir) {
    console.error("usage: npx tsx bench/api/profile.ts DIR [--top 30]");
    process.exit(2);
  }
  printProfileSummary(summarizeCpuProfiles(dir), Number(values.top));
}
