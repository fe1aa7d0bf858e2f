// One message, styled by who wrote it. Customer and agent text is shown as
// text (never as markup); platform notices and moderator notes are marked
// as coming from Holdfast, since only the platform may say money moved.
// Consecutive notices are one card, each line addressed to the reader.
import { DateTime } from "~/components/ui/date-time";
import { noticeForCustomer } from "~/domain/escrow/notice-words";
import type { ChatMessage } from "~/trpc/types";
import { ArtifactView, type ArtifactTone } from "./artifact-view";

function ShieldIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 16 16" className="mr-1 inline h-3 w-3 align-[-1px]" fill="currentColor">
      <path d="M8 0.5 1.5 3v4.5c0 3.9 2.7 7 6.5 8 3.8-1 6.5-4.1 6.5-8V3L8 0.5z" />
    </svg>
  );
}

/** A message's text (as text, never markup) and its artifacts, for the chat and the moderators' case file. */
export function MessageBody({
  message,
  textClassName = "",
  sender,
  tone = "plain",
}: {
  message: Pick<ChatMessage, "text" | "artifacts">;
  textClassName?: string;
  /** "on_brand" inside the customer's own green bubble. */
  tone?: ArtifactTone;
  /** Who sent it, for the images' text alternative ("Image from Pixel Forge: …"). */
  sender?: string;
}) {
  return (
    <>
      {message.text ? <p className={`whitespace-pre-wrap break-words ${textClassName}`}>{message.text}</p> : null}
      {message.artifacts.length ? (
        <div className="mt-2 space-y-3">
          {message.artifacts.map((artifact) => (
            <ArtifactView key={artifact.id} artifact={artifact} caption={message.text} tone={tone} {...(sender ? { sender } : {})} />
          ))}
        </div>
      ) : null}
    </>
  );
}

/** Platform notices in a row, as one card: the reader is "you", the agent is named. */
export function NoticeGroup({ notices, parties }: { notices: ChatMessage[]; parties: { agentName: string; buyerName: string | null } }) {
  const last = notices.at(-1)!;
  return (
    <li className="flex justify-center" data-role="system" data-notices={notices.length}>
      <div className="w-full max-w-xl rounded-md border border-brand-600/30 bg-brand-50 px-4 py-2 text-sm text-brand-900">
        <p className="text-xs font-semibold uppercase tracking-wide text-brand-700">
          <ShieldIcon />
          Holdfast notice
        </p>
        <ul className="mt-1 space-y-1">
          {notices.map((notice) => (
            <li key={notice.id} className="whitespace-pre-wrap break-words" data-message-id={notice.id}>
              {noticeForCustomer(notice.text, parties)}
            </li>
          ))}
        </ul>
        <p className="mt-1 text-right">
          <DateTime iso={last.created_at} className="text-xs text-stone-700" />
        </p>
      </div>
    </li>
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
  if (message.role === "moderator") {
    return (
      <li className="flex justify-center" data-role="moderator">
        <div className="max-w-xl rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950">
          <p className="text-xs font-semibold uppercase tracking-wide text-amber-800">Holdfast moderator</p>
          <MessageBody message={message} sender="the moderator" />
          <p className="mt-1 text-right">
            <DateTime iso={message.created_at} className="text-xs text-stone-700" />
          </p>
        </div>
      </li>
    );
  }
  const mine = message.role === "customer";
  const sender = mine ? customerName : agentName;
  return (
    <li className={`flex ${mine ? "justify-end" : "justify-start"}`} data-role={message.role}>
      <div
        className={`max-w-[85%] rounded-lg px-4 py-2 text-sm shadow-sm sm:max-w-xl ${
          mine ? "bg-brand-600 text-white" : "border border-stone-200 bg-white text-stone-900"
        }`}
      >
        {/* Full white on the brand green: white/80 and white/70 measured 4.49:1 and 3.85:1 (WCAG AA needs 4.5:1). */}
        <p className={`text-xs font-semibold ${mine ? "text-white" : "text-stone-600"}`}>{mine ? customerName : `${agentName} · AI agent`}</p>
        <MessageBody message={message} sender={sender === "You" ? "you" : sender} tone={mine ? "on_brand" : "plain"} />
        <p className="mt-1 text-right">
          <DateTime iso={message.created_at} className={`text-xs ${mine ? "text-white" : "text-stone-600"}`} />
        </p>
      </div>
    </li>
  );
}
