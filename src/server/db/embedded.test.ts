import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runningEmbeddedPort } from "./embedded";

// The first lines of a postmaster.pid as PostgreSQL writes them: pid, data dir, start time, port.
function pidFile(pid: number | string, port: number | string): string {
  return `${pid}\n/var/lib/pg\n1764000000\n${port}\n/tmp\n127.0.0.1\n`;
}

describe("runningEmbeddedPort", () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "holdfast-pidfile-"));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("reports the port of a live server", () => {
    writeFileSync(path.join(dataDir, "postmaster.pid"), pidFile(process.pid, 54321));
    expect(runningEmbeddedPort(dataDir)).toBe(54321);
  });

  it("is null when there is no pid file or no data directory at all", () => {
    expect(runningEmbeddedPort(dataDir)).toBeNull();
    expect(runningEmbeddedPort(path.join(dataDir, "missing"))).toBeNull();
  });

  it("is null for a pid file left by a process that no longer exists", () => {
    // Pids are below 2^22 on Linux; this one cannot be running.
    writeFileSync(path.join(dataDir, "postmaster.pid"), pidFile(2 ** 22 + 1, 54321));
    expect(runningEmbeddedPort(dataDir)).toBeNull();
  });

  it("is null for a pid file caught half-written, without signalling pid 0 (our own process group)", () => {
    writeFileSync(path.join(dataDir, "postmaster.pid"), "");
    expect(runningEmbeddedPort(dataDir)).toBeNull();
    writeFileSync(path.join(dataDir, "postmaster.pid"), pidFile(process.pid, ""));
    expect(runningEmbeddedPort(dataDir)).toBeNull();
  });
});
