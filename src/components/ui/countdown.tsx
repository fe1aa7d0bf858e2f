"use client";
// "in 3 h 20 min" until a moment, ticking every second.
import { formatDuration } from "./format";
import { useNow } from "./use-now";

export function Countdown({ at }: { at: string }) {
  const now = useNow();
  const left = new Date(at).getTime() - now;
  return (
    <time dateTime={at} role="timer" aria-live="off" className="font-semibold tabular-nums" suppressHydrationWarning>
      {left > 0 ? `in ${formatDuration(left)}` : "now"}
    </time>
  );
}
