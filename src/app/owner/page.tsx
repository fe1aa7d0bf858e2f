// /owner: the console opens on its alerts, what an owner most needs to see; each section has its own address.
import { redirect } from "next/navigation";

export const dynamic = "force-dynamic";

export default function OwnerConsolePage() {
  redirect("/owner/alerts");
}
