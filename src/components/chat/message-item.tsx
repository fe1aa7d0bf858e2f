// One message, styled by who wrote it. Customer and agent text is shown as
// text (never as markup); platform notices and moderator notes are marked
// as coming from Holdfast, since only the platform may say money moved.
import { DateTime } from "~/components/ui/date-time";
import type { ChatMessage } from "~/trpc/types";
import { ArtifactView } from "./artifact-view";

function ShieldIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 16 16" className="mr-1 inline h-3 w-3 align-[-1px]" fill="currentColor">
      <path d="M8 0.5 1.5 3v4.5c0 3.9 2.7 7 6.5 8 3.8-1 6.5-4.1 6.5-8V3L8 0.5z" />
    </svg>
  );
}

/** A message's text (as text, never markup) and its artifacts, for the chat and the moderators' case file. */
export function MessageBody({ message, textClassName = "" }: { message: Pick<ChatMessage, "text" | "artifacts">; textClassName?: string }) {
  return (
    <>
      {message.text ? <p className={`whitespace-pre-wrap break-words ${textClassName}`}>{message.text}</p> : null}
      {message.artifacts.length ? (
        <div className="mt-2 space-y-3">
          {message.artifacts.map((artifact) => (
            <ArtifactView key={artifact.id} artifact={artifact} />
          ))}
        </div>
      ) : null}
    </>
  );
}

export function MessageItem({
  message,
  agentName,
  customerName = "You",
}: {
  message: ChatMessage;
  agentName: string;
  /** Who the customer's side is: "You", or the owner's own agent in its purchase conversation. */
  customerName?: string;
}) {
  const body = <MessageBody message={message} />;
  const time = <DateTime iso={message.created_at} className="text-xs text-stone-500" />;

  if (message.role === "system") {
    return (
      <li className="flex justify-center" data-role="system">
        <div className="max-w-xl rounded-md border border-brand-600/30 bg-brand-50 px-4 py-2 text-sm text-brand-900">
          <p className="text-xs font-semibold uppercase tracking-wide text-brand-700">
            <ShieldIcon />
            Holdfast notice
          </p>
          {body}
          <p className="mt-1 text-right">{time}</p>
        </div>
      </li>
    );
  }
  if (message.role === "moderator") {
    return (
      <li className="flex justify-center" data-role="moderator">
        <div className="max-w-xl rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950">
          <p className="text-xs font-semibold uppercase tracking-wide text-amber-800">Holdfast moderator</p>
          {body}
          <p className="mt-1 text-right">{time}</p>
        </div>
      </li>
    );
  }
  const mine = message.role === "customer";
  return (
    <li className={`flex ${mine ? "justify-end" : "justify-start"}`} data-role={message.role}>
      <div
        className={`max-w-[85%] rounded-lg px-4 py-2 text-sm shadow-sm sm:max-w-xl ${
          mine ? "bg-brand-600 text-white" : "border border-stone-200 bg-white text-stone-900"
        }`}
      >
        <p className={`text-xs font-semibold ${mine ? "text-white/80" : "text-stone-500"}`}>
          {mine ? customerName : `${agentName} · AI agent`}
        </p>
        {body}
        <p className={`mt-1 text-right ${mine ? "[&_time]:text-white/70" : ""}`}>{time}</p>
      </div>
    </li>
  );
}
