// A test run leaves a fresh clone clean (issue 16 item 20): the browser tests save their screenshots in
// an ignored folder, and only `npm run screenshots` writes docs/screenshots.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => path.join(dir, name));
}

it("the browser tests save screenshots in an ignored folder, never in docs/", () => {
  const fixture = readFileSync(path.join(ROOT, "e2e/fixtures/customer.ts"), "utf8");
  const dir = /export const SCREENSHOT_DIR = "([^"]+)"/.exec(fixture)?.[1];
  expect(dir).toBeDefined();
  // git ignores what lands there.
  const ignored = spawnSync("git", ["check-ignore", "-q", `${dir}/chat.png`], { cwd: ROOT });
  expect(ignored.status, `${dir} must be ignored by git`).toBe(0);
  // Every screenshot a spec takes goes there: none names a path of its own.
  for (const file of [...sources("e2e"), ...sources("e2e-demo")]) {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    expect(text, file).not.toMatch(/path: [`"']docs\//);
    for (const call of text.matchAll(/\.screenshot\(\{\s*path:\s*([^,]+),/g)) expect(call[1], file).toMatch(/^`\$\{SCREENSHOT_DIR\}\//);
  }
});
