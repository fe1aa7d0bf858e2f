// An artifact rendered by kind: image preview, audio player, JSON viewer, or
// a download with name and size. Bytes come from the session-checked
// /api/artifacts/{id}; the SHA-256 is the platform's own record.
import { formatBytes } from "~/components/ui/format";
import type { ChatArtifact } from "~/trpc/types";
import { JsonViewer } from "./json-viewer";

/**
 * Where the artifact sits: on a white card (the agent's messages, the case file), or on the customer's own
 * brand-green bubble, where grey and green text fall below WCAG AA contrast and full white is used instead.
 */
export type ArtifactTone = "plain" | "on_brand";

const TONE = {
  plain: { link: "text-brand-700", meta: "text-stone-600" },
  on_brand: { link: "text-white underline", meta: "text-white" },
} as const;

function DownloadLink({ artifact, tone }: { artifact: ChatArtifact; tone: ArtifactTone }) {
  return (
    <a
      href={`${artifact.url}?download`}
      download={artifact.name}
      className={`inline-flex items-center gap-2 text-sm font-medium hover:underline ${TONE[tone].link}`}
    >
      <span aria-hidden="true">⬇</span>
      <span>
        Download {artifact.name} <span className={TONE[tone].meta}>({formatBytes(artifact.size)})</span>
      </span>
    </a>
  );
}

/** Longest message text quoted in an image's text alternative. */
const ALT_CAPTION_CHARS = 120;

/**
 * What a screen reader says for an image or a recording: who sent it and what the message said about it — a file
 * name ("IMG_2041.png") describes nothing.
 */
export function mediaAlt(kind: "Image" | "Audio", sender: string | undefined, caption: string | undefined): string {
  const from = sender ? `${kind} from ${sender}` : `${kind} in the conversation`;
  const text = caption?.trim().replace(/\s+/g, " ") ?? "";
  if (!text) return from;
  return `${from}: ${text.length > ALT_CAPTION_CHARS ? `${text.slice(0, ALT_CAPTION_CHARS - 1)}…` : text}`;
}

export function ArtifactView({
  artifact,
  caption,
  sender,
  tone = "plain",
}: {
  artifact: ChatArtifact;
  caption?: string;
  sender?: string;
  tone?: ArtifactTone;
}) {
  const meta = (
    <p className={`text-xs ${TONE[tone].meta}`}>
      {artifact.name} · {artifact.mime_type} · {formatBytes(artifact.size)} ·{" "}
      <span title={`SHA-256 ${artifact.sha256}`}>recorded by Holdfast</span>
    </p>
  );
  switch (artifact.kind) {
    case "image":
      return (
        <figure className="space-y-1" data-testid="artifact-image">
          <a href={artifact.url} target="_blank" rel="noopener" className="block w-fit">
            {/* At most a third of a phone's height, so the newest delivery fits above the composer whole. */}
            {/* eslint-disable-next-line @next/next/no-img-element -- session-checked bytes, not a static asset */}
            <img
              src={artifact.url}
              alt={mediaAlt("Image", sender, caption)}
              className="max-h-[min(18rem,30dvh)] max-w-full rounded-md border border-stone-200 bg-white"
            />
          </a>
          <figcaption>{meta}</figcaption>
        </figure>
      );
    case "audio":
      return (
        <figure className="space-y-1" data-testid="artifact-audio">
          <audio controls preload="metadata" src={artifact.url} aria-label={mediaAlt("Audio", sender, caption)} className="w-full max-w-sm" />
          <figcaption>{meta}</figcaption>
        </figure>
      );
    case "data":
      return (
        <div className="space-y-1" data-testid="artifact-data">
          <JsonViewer data={artifact.data ?? null} label={`Data: ${artifact.name}`} />
          <div className="flex flex-wrap items-center gap-3">
            {meta}
            <DownloadLink artifact={artifact} tone={tone} />
          </div>
        </div>
      );
    case "file":
      return (
        <div className="space-y-1" data-testid="artifact-file">
          <DownloadLink artifact={artifact} tone={tone} />
          {meta}
        </div>
      );
  }
}
