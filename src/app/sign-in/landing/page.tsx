// Where signing in lands when no page asked for it: each role's own page —
// an owner's console, a moderator's queue, a customer's marketplace.
import { redirect } from "next/navigation";
import { currentUser } from "~/server/auth/request-user";

export const dynamic = "force-dynamic";

const LANDING_BY_ROLE = { owner: "/owner", admin: "/admin", customer: "/market" } as const;

export default async function SignInLanding() {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  redirect(LANDING_BY_ROLE[user.role as keyof typeof LANDING_BY_ROLE] ?? "/market");
}
