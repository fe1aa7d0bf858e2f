// The demo agent's feed cursor, kept in a file so a restart does not handle
// old events again — together with the feed it belongs to. Cursors are
// per-agent sequence numbers that start again at 1 in a new database (a fresh
// test stack, `.data/pg` deleted by hand), and a cursor from the old one would
// make the agent skip the new database's first events in silence. The feed is
// recognised by its first event (id and creation time, both the platform's).
import { readFile, stat, writeFile } from "node:fs/promises";
import type { AgentEvent } from "~/client";

type FirstEvent = () => Promise<Pick<AgentEvent, "id" | "created_at"> | undefined>;

export class CursorFile {
  private origin: string | undefined;

  constructor(
    private readonly file: string,
    /** The agent's first event in the feed, if any (GET /events?limit=1). */
    private readonly firstEvent: FirstEvent,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** The saved cursor if it belongs to this feed; undefined means "from the beginning". */
  async load(): Promise<string | undefined> {
    const first = await this.firstEvent();
    this.origin = first && originOf(first);
    const text = await readFile(this.file, "utf8").catch(() => undefined);
    if (!text?.trim()) return undefined;
    // A feed with no events cannot be past any cursor.
    if (!first) return this.discard("the feed has no events");
    let saved: { cursor?: unknown; origin?: unknown };
    try {
      saved = text.trim().startsWith("{") ? (JSON.parse(text) as typeof saved) : { cursor: text.trim() };
    } catch {
      return this.discard("the cursor file is unreadable");
    }
    if (typeof saved.cursor !== "string" || !/^\d{1,18}$/.test(saved.cursor)) return this.discard("the cursor file is unreadable");
    if (typeof saved.origin === "string") {
      return saved.origin === this.origin ? saved.cursor : this.discard("it belongs to another database's feed");
    }
    // A cursor saved before the feed was recorded with it: it is this feed's if the feed existed when it was written.
    const writtenAt = (await stat(this.file)).mtimeMs;
    return Date.parse(first.created_at) <= writtenAt ? saved.cursor : this.discard("it is older than this database's feed");
  }

  async save(cursor: string): Promise<void> {
    if (this.origin === undefined) {
      const first = await this.firstEvent();
      this.origin = first && originOf(first);
    }
    await writeFile(this.file, JSON.stringify({ cursor, origin: this.origin }));
  }

  private discard(why: string): undefined {
    this.log(`not resuming from the saved feed cursor (${why}); reading the feed from the beginning`);
    return undefined;
  }
}

function originOf(event: Pick<AgentEvent, "id" | "created_at">): string {
  return `${event.id}@${event.created_at}`;
}
