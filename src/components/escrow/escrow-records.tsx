// The order's signed records (issue 18): the receipt chain and the evidence bundle as JSON files, for the
// customer to keep or hand to anyone (docs/RECEIPTS.md says how to verify them).
export function EscrowRecords({ escrowId, referenceCode }: { escrowId: string; referenceCode: string }) {
  return (
    <p className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm" data-testid="escrow-records">
      <a
        className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-800"
        href={`/api/escrows/${encodeURIComponent(escrowId)}/receipts`}
        download={`holdfast-receipts-${referenceCode}.json`}
        data-testid="download-receipt"
      >
        Download receipt
      </a>
      <a
        className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-800"
        href={`/api/escrows/${encodeURIComponent(escrowId)}/evidence`}
        download={`holdfast-evidence-${referenceCode}.json`}
        data-testid="download-evidence"
      >
        Download evidence bundle
      </a>
    </p>
  );
}
