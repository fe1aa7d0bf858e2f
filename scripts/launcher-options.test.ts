// Where `npm start` listens: the demo (one-click moderator sign-in) on loopback unless the operator
// says otherwise; the start log says which.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chooseBindHost, localServerUrl } from "./launcher-options";

describe("the launcher's bind host", () => {
  it("is loopback in demo mode unless HOLDFAST_HOST says otherwise, and the log says so", () => {
    const choice = chooseBindHost({}, true);
    expect(choice).toMatchObject({ host: "127.0.0.1" });
    expect("note" in choice && choice.note).toMatch(/127\.0\.0\.1 only.*HOLDFAST_HOST=0\.0\.0\.0/);
    const open = chooseBindHost({ HOLDFAST_HOST: "0.0.0.0" }, true);
    expect(open).toMatchObject({ host: "0.0.0.0" });
    expect("note" in open && open.note).toMatch(/every interface.*demo moderator/);
    expect(chooseBindHost({ HOLDFAST_HOST: "::1" }, true)).toMatchObject({ host: "::1" });
    expect(chooseBindHost({ HOLDFAST_HOST: "[::]" }, true)).toMatchObject({ host: "::" });
    expect(chooseBindHost({ HOLDFAST_HOST: "  " }, true)).toMatchObject({ host: "127.0.0.1" });
  });

  it("outside the demo is Next.js's default unless HOLDFAST_HOST is set", () => {
    expect(chooseBindHost({}, false)).toMatchObject({ host: null });
    expect(chooseBindHost({ HOLDFAST_HOST: "10.0.0.5" }, false)).toMatchObject({ host: "10.0.0.5" });
    expect(chooseBindHost({ HOLDFAST_HOST: "app.internal" }, false)).toMatchObject({ host: "app.internal" });
  });

  it("refuses a HOLDFAST_HOST that is not a host", () => {
    for (const bad of ["http://0.0.0.0", "0.0.0.0:3000", "a b", "-x", "host/path", "$(id)"]) {
      expect(chooseBindHost({ HOLDFAST_HOST: bad }, true), bad).toMatchObject({ error: expect.stringMatching(/HOLDFAST_HOST/) });
    }
  });

  it("gives the demo agent a URL that reaches the server where it listens", () => {
    expect(localServerUrl("127.0.0.1", 3000)).toBe("http://127.0.0.1:3000");
    expect(localServerUrl(null, 3000)).toBe("http://localhost:3000");
    expect(localServerUrl("0.0.0.0", "3100")).toBe("http://localhost:3100");
    expect(localServerUrl("::1", 3000)).toBe("http://[::1]:3000");
  });
});

describe("the launcher's start checks", () => {
  it("refuses a production start without NEXTAUTH_SECRET in one clear line, before touching a database", () => {
    const env: Record<string, string | undefined> = { ...process.env, DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none" };
    for (const name of ["NODE_ENV", "NEXTAUTH_SECRET", "HOLDFAST_DEMO", "HOLDFAST_BASE_URL", "NEXTAUTH_URL"]) delete env[name];
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/holdfast.ts", "start"], {
      cwd: path.resolve(import.meta.dirname, ".."),
      env: env as NodeJS.ProcessEnv,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/NEXTAUTH_SECRET: required in production/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).not.toMatch(/migration|building/);
  });
});
