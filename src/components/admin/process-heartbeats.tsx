// Worker heartbeats per server process on /admin/ops: each process's workers with their last beat. A
// process none of whose workers beat for two minutes is marked as stopped (it died, or it hangs); its rows
// stay until pruned, so a crash is visible rather than silently gone.
import { formatDateTime, formatDuration } from "~/components/ui/format";
import { card } from "~/components/ui/styles";
import type { ProcessHeartbeatsView } from "~/trpc/types";

export function ProcessHeartbeats({ processes, at }: { processes: ProcessHeartbeatsView[]; at: Date }) {
  const ago = (d: Date) => `${formatDuration(at.getTime() - d.getTime())} ago`;
  return (
    <section aria-labelledby="processes-heading" className={card}>
      <h2 id="processes-heading" className="text-lg font-semibold">
        Server processes and their workers
      </h2>
      {processes.length === 0 ? (
        <p className="mt-2 text-sm text-stone-600">No worker has reported yet.</p>
      ) : (
        <ul className="mt-2 space-y-3 text-sm" data-testid="processes">
          {processes.map((p) => (
            <li key={p.processId} className={p.silent ? "rounded bg-red-50 p-2" : "p-2"}>
              <p>
                <strong>{p.host}</strong> pid {p.pid}{" "}
                <span className="text-xs text-stone-600">started {formatDateTime(p.startedAt.toISOString())}</span>
                {p.silent ? (
                  <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-800">
                    stopped: last heard {ago(p.lastBeatAt)}
                  </span>
                ) : null}
              </p>
              <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-stone-700">
                {p.workers.map((w) => (
                  <li key={w.worker}>
                    {w.worker}: {ago(w.beatAt)}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
