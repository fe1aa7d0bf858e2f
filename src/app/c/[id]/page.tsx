import { ChatRoom } from "~/components/chat/chat-room";
import type { OrderPolicy } from "~/components/escrow/order-policy";
import { env } from "~/env";
import { requireUser } from "~/server/auth/request-user";
import { currenciesOf, engineConfigFromEnv, reviewPolicyFromEnv } from "~/server/config";

export const dynamic = "force-dynamic";

/** The windows the customer is told about before acting (review window by amount, moderators' target). */
function orderPolicy(): OrderPolicy {
  const e = env();
  return {
    reviewTiers: reviewPolicyFromEnv(e).tiers,
    limitsCurrency: currenciesOf(engineConfigFromEnv()).base,
    adminReviewSlaS: e.HOLDFAST_ADMIN_REVIEW_SLA_S,
  };
}

export default async function ChatPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireUser(`/c/${id}`);
  return <ChatRoom conversationId={id} policy={orderPolicy()} />;
}
