// The launcher's choices that depend only on its environment (scripts/holdfast.ts), kept pure so
// a test can check each rule without starting anything.
import net from "node:net";

export interface BindChoice {
  /** The address the web server listens on; null = Next.js's default (every interface). */
  host: string | null;
  /** One line for the start log: where it listens and why. */
  note: string;
}

/** A hostname or IP address, nothing else (no scheme, port, path or spaces). */
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * Where the web server listens. The demo signs anyone in as a moderator with one click, so it
 * listens on loopback only unless HOLDFAST_HOST says otherwise (0.0.0.0 opens it to the network);
 * outside the demo HOLDFAST_HOST is honoured when set, and Next.js's default applies otherwise.
 */
export function chooseBindHost(source: Record<string, string | undefined>, demo: boolean): BindChoice | { error: string } {
  const configured = source.HOLDFAST_HOST?.trim();
  if (configured) {
    const bare = configured.replace(/^\[(.*)\]$/, "$1");
    if (!net.isIP(bare) && !HOSTNAME.test(bare)) {
      return { error: `HOLDFAST_HOST must be an IP address or a host name (e.g. 127.0.0.1 or 0.0.0.0), not ${JSON.stringify(configured)}.` };
    }
    const open = bare === "0.0.0.0" || bare === "::";
    return {
      host: bare,
      note:
        demo && open
          ? `listening on every interface (HOLDFAST_HOST=${bare}): anyone who can reach this machine can sign in as the demo moderator.`
          : `listening on ${bare} (HOLDFAST_HOST).`,
    };
  }
  if (demo) {
    return {
      host: "127.0.0.1",
      note: "listening on 127.0.0.1 only: the demo's one-click accounts include a moderator. Set HOLDFAST_HOST=0.0.0.0 to open it to the network.",
    };
  }
  return { host: null, note: "listening on every interface (set HOLDFAST_HOST to choose one)." };
}

/** The URL this machine reaches the web server at, for the demo agent beside it. */
export function localServerUrl(host: string | null, port: string | number): string {
  if (host === null || host === "0.0.0.0" || host === "::") return `http://localhost:${port}`;
  return net.isIPv6(host) ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

/** How many server processes `npm start` runs behind its port (HOLDFAST_SERVER_PROCESSES, default 1). */
export function serverProcessCount(source: Record<string, string | undefined>): { processes: number } | { error: string } {
  const raw = source.HOLDFAST_SERVER_PROCESSES?.trim();
  if (!raw) return { processes: 1 };
  const processes = Number(raw);
  if (!/^\d+$/.test(raw) || processes < 1 || processes > 64) {
    return { error: `HOLDFAST_SERVER_PROCESSES must be a whole number from 1 to 64, not ${JSON.stringify(raw)}.` };
  }
  return { processes };
}

/**
 * The environment of server process `index` of `processes`: every one knows the count (each holds 1/N of
 * the in-memory rate limits); only the first runs the background workers, and only if they are on at all.
 */
export function clusterWorkerEnv(source: Record<string, string | undefined>, index: number, processes: number): Record<string, string> {
  const workersOn = !["0", "false"].includes(source.HOLDFAST_WORKERS ?? "1");
  return { HOLDFAST_SERVER_PROCESSES: String(processes), HOLDFAST_WORKERS: index === 0 && workersOn ? "1" : "0" };
}
