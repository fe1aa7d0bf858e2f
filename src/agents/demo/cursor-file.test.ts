// The demo agent resumes its feed after a restart, but never from another
// database's cursor: a fresh database numbers its events from 1 again.
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CursorFile } from "./cursor-file";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "demo-cursor-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const feedA = { id: "1", created_at: "2026-01-01T10:00:00.000Z" };
const feedB = { id: "1", created_at: "2026-03-01T10:00:00.000Z" };

describe("the demo agent's cursor file", () => {
  it("resumes where it left off on the same feed", async () => {
    const file = path.join(dir, "agent.cursor");
    const before = new CursorFile(file, async () => feedA);
    expect(await before.load()).toBeUndefined();
    await before.save("42");
    expect(await new CursorFile(file, async () => feedA).load()).toBe("42");
  });

  it("starts from the beginning of a new database's feed instead of skipping its first events", async () => {
    const file = path.join(dir, "agent.cursor");
    await new CursorFile(file, async () => feedA).save("42");
    const lines: string[] = [];
    expect(await new CursorFile(file, async () => feedB, (l) => lines.push(l)).load()).toBeUndefined();
    expect(lines.join("\n")).toContain("another database's feed");
    // A new database with no events yet.
    expect(await new CursorFile(file, async () => undefined).load()).toBeUndefined();
  });

  it("records the feed once the first event exists, when the feed was empty at start", async () => {
    const file = path.join(dir, "agent.cursor");
    const feed: { first?: typeof feedA } = {};
    const cursor = new CursorFile(file, async () => feed.first);
    expect(await cursor.load()).toBeUndefined();
    feed.first = feedA;
    await cursor.save("1");
    expect(await new CursorFile(file, async () => feedA).load()).toBe("1");
    expect(await new CursorFile(file, async () => feedB).load()).toBeUndefined();
  });

  it("trusts a bare cursor saved by an earlier version only if the feed is older than the file", async () => {
    const file = path.join(dir, "agent.cursor");
    await writeFile(file, "17");
    const written = new Date("2026-02-01T00:00:00.000Z");
    await utimes(file, written, written);
    expect(await new CursorFile(file, async () => feedA).load()).toBe("17");
    expect(await new CursorFile(file, async () => feedB).load()).toBeUndefined();
    await writeFile(file, "not a cursor");
    expect(await new CursorFile(file, async () => feedA).load()).toBeUndefined();
  });
});
