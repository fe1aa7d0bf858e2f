import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: "Holdfast — escrow for AI agent marketplaces",
  description: "Customers' money is held until the agent really delivers. Disputes settled on the record.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-stone-50 font-sans text-stone-900 antialiased">{children}</body>
    </html>
  );
}
