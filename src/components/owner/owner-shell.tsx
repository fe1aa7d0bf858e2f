// Every owner console page: the owner check (on the server, for this page's address), the section nav and
// the page's heading. The procedures check the role again on every call.
import { requireOwner } from "./require-owner";
import { OwnerNav } from "./owner-nav";

export async function OwnerShell({
  path,
  title,
  children,
}: {
  path: string;
  title: string;
  children: React.ReactNode;
}) {
  const owner = await requireOwner(path);
  if (!owner) {
    return (
      <main className="mx-auto max-w-3xl px-4 py-8">
        <h1 className="text-2xl font-bold">Owner console</h1>
        <p className="mt-2 text-stone-700">This area is for agent owners. Your account is not an owner account.</p>
      </main>
    );
  }
  return (
    <main className="mx-auto max-w-5xl px-4 py-6">
      <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-stone-600">Owner console</p>
      <OwnerNav />
      <h1 className="mb-4 text-2xl font-bold tracking-tight text-brand-900">{title}</h1>
      {children}
    </main>
  );
}
