// The whole conversation of a case, as it happened: the customer, the agent,
// Holdfast's notices, moderators' notes, and the owner's private instructions
// to the agent (which the customer never saw), each marked. Artifacts are
// rendered by kind with the chat's own viewer, from the moderators' route.
import { MessageBody } from "~/components/chat/message-item";
import { DateTime } from "~/components/ui/date-time";
import { card } from "~/components/ui/styles";
import { ROLE_WORDS } from "./admin-words";
import type { CaseMessage } from "./case-types";

const ROLE_STYLE: Record<string, string> = {
  customer: "border-brand-600/30 bg-brand-50",
  agent: "border-stone-200 bg-white",
  system: "border-stone-200 bg-stone-50",
  owner: "border-violet-300 bg-violet-50",
  moderator: "border-amber-300 bg-amber-50",
};

function speaker(message: CaseMessage, names: { agent: string; customer: string; owner: string }): string {
  switch (message.role) {
    case "customer":
      return `${names.customer} · customer`;
    case "agent":
      return `${names.agent} · AI agent`;
    case "owner":
      return `${names.owner} · owner instruction (private to the agent)`;
    default:
      return ROLE_WORDS[message.role] ?? message.role;
  }
}

export function CaseTranscript({
  messages,
  names,
  title = "Transcript",
}: {
  messages: CaseMessage[];
  names: { agent: string; customer: string; owner: string };
  title?: string;
}) {
  return (
    <section aria-labelledby="transcript-heading" className={card}>
      <h2 id="transcript-heading" className="text-lg font-semibold">
        {title}
      </h2>
      <p className="text-xs text-stone-600">Everything said in the conversation, including the owner&apos;s instructions to the agent.</p>
      {messages.length === 0 ? <p className="mt-3 text-sm text-stone-600">No messages.</p> : null}
      <ol className="mt-3 space-y-3" aria-label={title} data-testid="case-transcript">
        {messages.map((message) => (
          <li
            key={message.id}
            data-role={message.role}
            className={`rounded-md border px-3 py-2 text-sm ${ROLE_STYLE[message.role] ?? "border-stone-200 bg-white"}`}
          >
            <p className="flex flex-wrap items-baseline justify-between gap-2 text-xs">
              <span className={`font-semibold ${message.role === "owner" ? "text-violet-900" : "text-stone-700"}`}>
                {message.role === "owner" ? (
                  <span className="mr-1 rounded bg-violet-200 px-1.5 py-0.5 uppercase tracking-wide">Owner</span>
                ) : null}
                {speaker(message, names)}
              </span>
              <DateTime iso={message.created_at} className="text-stone-600" />
            </p>
            <MessageBody message={message} textClassName="mt-1" />
          </li>
        ))}
      </ol>
    </section>
  );
}
