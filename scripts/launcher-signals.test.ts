// `npm start` stops completely however it is stopped (issue 16 item 17): SIGTERM to npm, SIGTERM to
// the launcher, Ctrl-C (SIGINT to the terminal's process group) and the terminal closing (SIGHUP to
// it). Each case starts a real `npm start` on fresh data and free ports, waits for the app and the
// demo agent, sends the signal, and then requires every process of the tree gone — launcher, web
// server, demo agent, PostgreSQL — both ports closed, and no stack trace in the output. While it
// runs, the demo must not be reachable on a non-loopback address (item 16), and the health, readiness
// and metrics addresses the start log prints answer (issue 21). And a launcher killed
// outright (SIGKILL) leaves nothing behind either: its children and PostgreSQL's keeper notice.
//
// Needs the production build (`next build`; `npm test` makes it before the unit tests): built here
// first when it is missing or stale, which takes minutes.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "~/test/free-port";
import { buildIsStale } from "./next-build";

const ROOT = path.resolve(import.meta.dirname, "..");

interface Proc {
  pid: number;
  ppid: number;
  state: string;
  cmdline: string;
}

function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state = "", ppid = "0"] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
    return { pid, ppid: Number(ppid), state, cmdline };
  } catch {
    return null; // gone
  }
}

/** Every live process under `root` (children, grandchildren…), by /proc. */
function processTree(root: number): Proc[] {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((p): p is Proc => p !== null);
  const tree: Proc[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const p of all) {
      if (p.ppid === parent) {
        tree.push(p);
        queue.push(p.pid);
      }
    }
  }
  return tree;
}

const alive = (pid: number) => {
  const p = readProc(pid);
  return p !== null && p.state !== "Z";
};

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2_000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, output: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}. Output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** An address of this machine other than loopback, if it has one. */
function nonLoopbackAddress(): string | null {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return null;
}

/** A clean environment: none of the test runner's settings (NODE_ENV=test, its database) leak into the stack. */
function stackEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(NODE_ENV|DATABASE_URL|PORT|HOLDFAST_|NEXTAUTH_|VITEST|TEST_|E2E_|NEXT_)/.test(name)) continue;
    env[name] = value;
  }
  // NODE_ENV is left out on purpose: `next start` sets production itself.
  return { ...env, ...extra } as NodeJS.ProcessEnv;
}

let running: { npm: ChildProcess; tree: Proc[]; dataDir: string } | null = null;

beforeAll(() => {
  if (!buildIsStale()) return;
  const build = spawnSync("npx", ["--no-install", "next", "build"], { cwd: ROOT, stdio: "inherit" });
  if (build.status !== 0) throw new Error("next build failed");
}, 900_000);

afterEach(() => {
  if (!running) return;
  for (const p of running.tree) if (alive(p.pid)) process.kill(p.pid, "SIGKILL");
  if (running.npm.exitCode === null && running.npm.signalCode === null) running.npm.kill("SIGKILL");
  rmSync(running.dataDir, { recursive: true, force: true });
  running = null;
});

type Target = "npm" | "launcher" | "group";

async function startAndStop(signal: NodeJS.Signals, target: Target) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "holdfast-signals-"));
  const webPort = await freePort();
  const pgPort = await freePort();
  // detached: npm leads a process group of its own, as a shell's foreground job does.
  const npm = spawn("npm", ["start"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: stackEnv({
      PORT: String(webPort),
      HOLDFAST_DATA_DIR: dataDir,
      HOLDFAST_FRESH_DATA: "1",
      HOLDFAST_EMBEDDED_PG_PORT: String(pgPort),
    }),
  });
  running = { npm, tree: [], dataDir };
  let stdout = "";
  let stderr = "";
  npm.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  npm.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const output = () => `--- stdout\n${stdout}\n--- stderr\n${stderr}`;
  const npmExited = new Promise<void>((resolve) => npm.once("exit", () => resolve()));

  await waitFor("the app to answer", async () => (await fetch(`http://127.0.0.1:${webPort}/`).catch(() => null))?.status === 200, 180_000, output);
  await waitFor("the demo agent", () => /\[demo-agent [a-z-]+\] selling as/.test(stdout), 60_000, output);

  const tree = processTree(npm.pid!);
  running.tree = tree;
  const role = (pattern: RegExp) => tree.find((p) => pattern.test(p.cmdline));
  const launcher = role(/scripts\/holdfast\.ts start/);
  expect(launcher, JSON.stringify(tree, null, 1)).toBeDefined();
  expect(role(/next/), "the web server").toBeDefined();
  expect(role(/agents\/demo\/main\.ts/), "the demo agent").toBeDefined();
  expect(role(/postgres-keeper\.ts/), "PostgreSQL's keeper").toBeDefined();
  expect(role(/postgres .*-D/), "PostgreSQL").toBeDefined();
  expect(await portOpen("127.0.0.1", pgPort)).toBe(true);

  // Item 16: the demo listens on loopback only, and says so.
  expect(stdout).toContain("listening on 127.0.0.1 only");
  const lan = nonLoopbackAddress();
  if (lan) expect(await portOpen(lan, webPort), `port ${webPort} on ${lan}`).toBe(false);

  // Issue 21: the start log names where probes and scrapers look, and each address answers as it says.
  const probes = /health (\S+), readiness (\S+), metrics (\S+) \(off: set HOLDFAST_METRICS_TOKEN/.exec(stdout);
  expect(probes, output()).not.toBeNull();
  const [, health, readiness, metrics] = probes!;
  expect(health).toBe(`http://127.0.0.1:${webPort}/api/health`);
  expect((await fetch(health!)).status).toBe(200);
  expect((await fetch(readiness!)).status).toBe(200);
  expect((await fetch(metrics!)).status, "metrics without HOLDFAST_METRICS_TOKEN").toBe(404);

  if (target === "npm") process.kill(npm.pid!, signal);
  else if (target === "launcher") process.kill(launcher!.pid, signal);
  else process.kill(-npm.pid!, signal);

  await waitFor("every process of the tree to end", () => tree.every((p) => !alive(p.pid)), 60_000, () => {
    const left = tree.filter((p) => alive(p.pid)).map((p) => `${p.pid} ${p.cmdline}`);
    return `still running:\n${left.join("\n")}\n${output()}`;
  });
  await npmExited;
  expect(await portOpen("127.0.0.1", webPort), "the web port").toBe(false);
  expect(await portOpen("127.0.0.1", pgPort), "the PostgreSQL port").toBe(false);
  // No stack trace anywhere (a Ctrl-C used to print two from Prisma).
  expect(`${stdout}\n${stderr}`).not.toMatch(/^\s+at .+[:(]\d+:\d+\)?$/m);
  expect(stderr).not.toMatch(/PrismaClient|Error:/);
}

describe("`npm start` stops completely", { timeout: 400_000 }, () => {
  it("on SIGTERM to the npm process", () => startAndStop("SIGTERM", "npm"));
  it("on SIGTERM to the launcher", () => startAndStop("SIGTERM", "launcher"));
  it("on Ctrl-C (SIGINT to the process group)", () => startAndStop("SIGINT", "group"));
  it("when the terminal closes (SIGHUP to the process group)", () => startAndStop("SIGHUP", "group"));
  // No chance to stop anything: the children and PostgreSQL's keeper notice the launcher is gone.
  it("when the launcher is killed outright (SIGKILL)", () => startAndStop("SIGKILL", "launcher"));
});
