import { ChatRoom } from "~/components/chat/chat-room";
import { requireUser } from "~/server/auth/request-user";

export const dynamic = "force-dynamic";

export default async function ChatPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireUser(`/c/${id}`);
  return <ChatRoom conversationId={id} />;
}
