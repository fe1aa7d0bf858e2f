"use client";
// The customer's moves that need input: a dispute's reason, a split's refund,
// a statement for the moderator.
import { FIELD_LIMITS } from "~/domain/field-limits";
import { useState } from "react";
import { formatMoney } from "~/components/ui/format";
import { parseMoneyInput } from "~/components/ui/money-input";
import { buttonDanger, buttonPrimary, buttonSecondary, inputField } from "~/components/ui/styles";
import type { EscrowView } from "~/trpc/types";
import { CSRF_HEADER, CSRF_HEADER_VALUE } from "~/server/auth/csrf";
import { FieldForm } from "./confirm";
import type { useEscrowCommands } from "./use-escrow-command";

type Commands = ReturnType<typeof useEscrowCommands>;

export function DisputeForm({ escrow, commands }: { escrow: EscrowView; commands: Commands }) {
  const [reason, setReason] = useState("");
  return (
    <FieldForm
      openLabel="Report a problem"
      openClassName={buttonDanger}
      formClassName="bg-red-50/50"
      fieldId={`reason-${escrow.id}`}
      label={
        <>
          What is wrong with the delivery? <span className="text-red-700">(required)</span>
        </>
      }
      help={`The money stays held. ${escrow.agent.display_name} must defend the delivery or refund you; if they stay silent, a moderator decides.`}
      invalidNote="Please describe the problem: a report needs a reason."
      valid={reason.trim() !== ""}
      submitLabel="Report problem"
      pendingLabel="Reporting…"
      submitClassName={buttonDanger}
      pending={commands.dispute.isPending}
      onSubmit={() => commands.dispute.mutate({ escrowId: escrow.id, reason: reason.trim() })}
      field={(aria) => (
        <textarea {...aria} rows={3} maxLength={FIELD_LIMITS.disputeReasonChars} value={reason} onChange={(e) => setReason(e.target.value)} className={inputField} />
      )}
    />
  );
}

export function ProposeSettlementForm({ escrow, commands }: { escrow: EscrowView; commands: Commands }) {
  const [text, setText] = useState("");
  const refund = parseMoneyInput(text, escrow.currency);
  const valid = refund !== null && refund > 0 && refund < escrow.amount;
  const money = (minor: number) => formatMoney(minor, escrow.currency);
  return (
    <FieldForm
      openLabel="Propose a split"
      openClassName={buttonSecondary}
      formClassName="bg-stone-50"
      fieldId={`refund-${escrow.id}`}
      label={`How much should come back to you? (${escrow.currency})`}
      help={
        `More than ${money(0)} and less than ${money(escrow.amount)}. ` +
        (valid ? `You get ${money(refund)} back; ${escrow.agent.display_name} is paid ${money(escrow.amount - refund)}.` : "")
      }
      invalidNote={`Enter an amount between ${money(1)} and ${money(escrow.amount - 1)}.`}
      valid={valid}
      submitLabel="Send proposal"
      pendingLabel="Sending…"
      submitClassName={buttonPrimary}
      pending={commands.proposeSettlement.isPending}
      onSubmit={() => valid && commands.proposeSettlement.mutate({ escrowId: escrow.id, refundAmount: refund })}
      field={(aria) => (
        <input {...aria} inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} className={`${inputField} max-w-40`} />
      )}
    />
  );
}


/** Files one statement may carry (the server's MAX_CASE_FILES_PER_STATEMENT). */
const MAX_STATEMENT_FILES = 5;

/** Uploads one file for the case (POST /api/case-files); the answer names the stored file or why not. */
async function uploadCaseFile(escrowId: string, file: File): Promise<string> {
  const form = new FormData();
  form.set("escrowId", escrowId);
  form.set("file", file);
  const response = await fetch("/api/case-files", { method: "POST", body: form, headers: { [CSRF_HEADER]: CSRF_HEADER_VALUE } });
  const body = (await response.json().catch(() => ({}))) as { id?: string; error?: { message?: string } };
  if (!response.ok || !body.id) throw new Error(`${file.name}: ${body.error?.message ?? `the upload failed (${response.status})`}`);
  return body.id;
}

/** While a moderator decides: the customer adds to the case, with files (the agent reads it too; the moderator reads everything). */
export function StatementForm({ escrow, commands }: { escrow: EscrowView; commands: Commands }) {
  const [text, setText] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const filesId = `statement-files-${escrow.id}`;
  const submit = async () => {
    setUploadError(null);
    setUploading(true);
    try {
      const artifactIds: string[] = [];
      for (const file of files) artifactIds.push(await uploadCaseFile(escrow.id, file));
      commands.addStatement.mutate(
        { escrowId: escrow.id, text: text.trim(), artifactIds },
        {
          onSuccess: () => {
            setText("");
            setFiles([]);
          },
        },
      );
    } catch (error) {
      setUploadError(error instanceof Error ? error.message : String(error));
    } finally {
      setUploading(false);
    }
  };
  return (
    <FieldForm
      openLabel="Add a statement for the moderator"
      openClassName={buttonSecondary}
      formClassName="bg-stone-50"
      fieldId={`statement-${escrow.id}`}
      label="Your statement for the moderator"
      help={`Anything the moderator should weigh: what you asked for, what arrived, what you tried; attach up to ${MAX_STATEMENT_FILES} files (screenshots, documents). ${escrow.agent.display_name} sees it too. You can add statements until the case is decided.`}
      invalidNote={files.length > MAX_STATEMENT_FILES ? `Attach at most ${MAX_STATEMENT_FILES} files.` : "Write a few words for the moderator."}
      valid={text.trim() !== "" && files.length <= MAX_STATEMENT_FILES}
      submitLabel="Add statement"
      pendingLabel={uploading ? "Uploading files…" : "Adding…"}
      submitClassName={buttonPrimary}
      pending={uploading || commands.addStatement.isPending}
      onSubmit={() => void submit()}
      field={(aria) => (
        <>
          <textarea {...aria} rows={3} maxLength={FIELD_LIMITS.caseStatementChars} value={text} onChange={(e) => setText(e.target.value)} className={inputField} />
          <label htmlFor={filesId} className="block text-sm text-stone-800">
            Files (optional)
          </label>
          <input
            id={filesId}
            type="file"
            multiple
            onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
            className="block w-full text-sm text-stone-800"
          />
          {uploadError ? (
            <p role="alert" className="text-sm text-red-800">
              {uploadError}
            </p>
          ) : null}
        </>
      )}
    />
  );
}
