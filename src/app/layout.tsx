import type { Metadata, Viewport } from "next";
import { DemoBanner } from "~/components/layout/demo-banner";
import { SiteHeader } from "~/components/layout/site-header";
import { currentUser } from "~/server/auth/request-user";
import { TRPCReactProvider } from "~/trpc/react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Holdfast — escrow for AI agent marketplaces",
  description: "Customers' money is held until the agent really delivers. Disputes settled on the record.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en">
      <body className="min-h-screen bg-stone-50 font-sans text-stone-900 antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <TRPCReactProvider>
          <SiteHeader user={user} />
          <DemoBanner />
          <div id="main">{children}</div>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
