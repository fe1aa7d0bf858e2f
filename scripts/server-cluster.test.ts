// `HOLDFAST_SERVER_PROCESSES=N npm start`: N server processes answer on one port, exactly one runs the
// background workers, each knows N (its share of the in-memory rate limits), and a SIGTERM stops them all
// and frees the port. The server is a stand-in (src/test/port-echo-server.mjs): no Next build needed.
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "~/test/free-port";
import { clusterWorkerEnv, serverProcessCount } from "./launcher-options";

const root = process.cwd();

async function answer(port: number): Promise<{ pid: number; workers: string; processes: string } | null> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: "close" } });
    return (await response.json()) as { pid: number; workers: string; processes: string };
  } catch {
    return null;
  }
}

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = net.createServer().once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });

describe("server processes behind one port", () => {
  it("reads HOLDFAST_SERVER_PROCESSES strictly and gives the workers to the first process only", () => {
    expect(serverProcessCount({})).toEqual({ processes: 1 });
    expect(serverProcessCount({ HOLDFAST_SERVER_PROCESSES: "2" })).toEqual({ processes: 2 });
    for (const bad of ["0", "-1", "1.5", "two", "65"]) expect(serverProcessCount({ HOLDFAST_SERVER_PROCESSES: bad })).toHaveProperty("error");
    expect([0, 1, 2].map((i) => clusterWorkerEnv({}, i, 3))).toEqual([
      { HOLDFAST_SERVER_PROCESSES: "3", HOLDFAST_WORKERS: "1" },
      { HOLDFAST_SERVER_PROCESSES: "3", HOLDFAST_WORKERS: "0" },
      { HOLDFAST_SERVER_PROCESSES: "3", HOLDFAST_WORKERS: "0" },
    ]);
    // Workers turned off for the whole server stay off in every process.
    expect(clusterWorkerEnv({ HOLDFAST_WORKERS: "0" }, 0, 2).HOLDFAST_WORKERS).toBe("0");
  });

  it("runs N processes on one port, workers in one, and stops them all on SIGTERM", async () => {
    const port = await freePort();
    const primary = spawn(process.execPath, ["--import", "tsx", "scripts/server-cluster.ts", path.join(root, "src/test/port-echo-server.mjs")], {
      cwd: root,
      env: { ...process.env, PORT: String(port), HOLDFAST_SERVER_PROCESSES: "2" },
      stdio: "ignore",
    });
    const exited = new Promise<number | null>((resolve) => primary.once("exit", (code) => resolve(code)));
    try {
      const seen = new Map<number, { workers: string; processes: string }>();
      const deadline = Date.now() + 30_000;
      while (seen.size < 2 && Date.now() < deadline) {
        const a = await answer(port);
        if (a) seen.set(a.pid, { workers: a.workers, processes: a.processes });
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(seen.size).toBe(2);
      expect([...seen.values()].map((s) => s.processes)).toEqual(["2", "2"]);
      expect([...seen.values()].map((s) => s.workers).sort()).toEqual(["0", "1"]);
    } finally {
      primary.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(await portIsFree(port)).toBe(true);
  }, 60_000);

  it("stops every process, with the dead one's exit code, when one dies", async () => {
    const port = await freePort();
    const primary = spawn(process.execPath, ["--import", "tsx", "scripts/server-cluster.ts", path.join(root, "src/test/port-echo-server.mjs")], {
      cwd: root,
      env: { ...process.env, PORT: String(port), HOLDFAST_SERVER_PROCESSES: "2" },
      stdio: "ignore",
    });
    const exited = new Promise<number | null>((resolve) => primary.once("exit", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while ((await answer(port)) === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      await fetch(`http://127.0.0.1:${port}/crash`).catch(() => undefined);
      expect(await exited).toBe(3);
      expect(await portIsFree(port)).toBe(true);
    } finally {
      primary.kill("SIGKILL");
    }
  }, 60_000);
});
