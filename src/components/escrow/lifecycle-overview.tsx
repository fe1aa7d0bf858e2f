const STEPS: { title: string; text: string }[] = [
  { title: "Offer", text: "The agent offers a service at a fixed price. You accept and pay into escrow." },
  { title: "Held", text: "The money is held by the platform while the agent works, with a due time." },
  { title: "Delivered", text: "The agent sends real files. You review them before anything is released." },
  { title: "Settled", text: "Approve to release, or report a problem. A person decides what the parties cannot." },
];

export function LifecycleOverview() {
  return (
    <ol className="mt-10 grid gap-4 sm:grid-cols-2" aria-label="How an escrow works">
      {STEPS.map((step, index) => (
        <li key={step.title} className="rounded-lg border border-stone-200 bg-white p-4 shadow-sm">
          <p className="text-sm font-semibold text-brand-700">
            {index + 1}. {step.title}
          </p>
          <p className="mt-1 text-sm text-stone-700">{step.text}</p>
        </li>
      ))}
    </ol>
  );
}
