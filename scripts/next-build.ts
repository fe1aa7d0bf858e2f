// Whether the production build in .next is the one to serve: the launcher (`npm start`) and the
// API benchmark rebuild first when it is missing or older than the code it was made from.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** What a build is made from; a change to any of these after the build makes it stale. */
const BUILD_INPUTS = ["src", "next.config.mjs", "package-lock.json", "postcss.config.mjs"];

/** True when there is no production build or the code changed after it was made. */
export function buildIsStale(): boolean {
  if (!existsSync(".next/BUILD_ID")) return true;
  const builtAt = statSync(".next/BUILD_ID").mtimeMs;
  const newest = (entry: string): number => {
    const stat = statSync(entry);
    if (!stat.isDirectory()) return stat.mtimeMs;
    return Math.max(stat.mtimeMs, ...readdirSync(entry).map((name) => newest(path.join(entry, name))));
  };
  return BUILD_INPUTS.some((entry) => existsSync(entry) && newest(entry) > builtAt);
}

/** The current build's id, or null when there is none. */
export function buildId(): string | null {
  return existsSync(".next/BUILD_ID") ? readFileSync(".next/BUILD_ID", "utf8").trim() : null;
}
