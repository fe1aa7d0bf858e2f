// What a console section shows while its data loads: grey blocks of about the loaded height, so nothing
// below them jumps when the data arrives (the agents section alone moved the page by a CLS of 0.39–0.51).
export function Skeleton({ rows, rowHeightClass = "h-24" }: { rows: number; rowHeightClass?: string }) {
  return (
    <div role="status" aria-label="Loading" className="space-y-3" data-testid="skeleton">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className={`${rowHeightClass} animate-pulse rounded-md bg-stone-100`} />
      ))}
    </div>
  );
}
