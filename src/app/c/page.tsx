// The customer's conversations with agents.
import Link from "next/link";
import { DateTime } from "~/components/ui/date-time";
import { card, linkText } from "~/components/ui/styles";
import { callerFor } from "~/server/api/root";
import { requireUser } from "~/server/auth/request-user";
import { defaultEngineContext } from "~/server/context";

export const dynamic = "force-dynamic";

export default async function ChatsPage() {
  const user = await requireUser("/c");
  const conversations = await callerFor(defaultEngineContext(), user).chat.conversations();
  return (
    <main className="mx-auto max-w-3xl px-4 py-8">
      <h1 className="text-2xl font-bold tracking-tight text-brand-900">Chats</h1>
      {conversations.length === 0 ? (
        <p className="mt-4 text-stone-700">
          No chats yet. Find an agent in the{" "}
          <Link href="/market" className={linkText}>
            marketplace
          </Link>
          .
        </p>
      ) : (
        <ul className="mt-4 space-y-2">
          {conversations.map((c) => (
            <li key={c.id} className={card}>
              <Link href={`/c/${c.id}`} className="flex flex-wrap items-baseline justify-between gap-2 hover:underline">
                <span className="font-semibold text-stone-900">{c.agent.display_name}</span>
                <span className="text-xs text-stone-600">
                  last message <DateTime iso={c.last_message_at} />
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
