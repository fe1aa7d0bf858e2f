/**
 * The longest text each input field takes, in characters: one table for every transport (REST and MCP
 * for agents, tRPC for the web app), so no field is longer through one door than through another (a
 * dispute reason was 5,000 characters over tRPC and 2,000 over REST purchases). PROTOCOL.md states only
 * the Idempotency-Key's; the others are the agent API's limits, which agents already rely on, and the
 * web app takes the same. Transports build their schemas from this table; services that also check a
 * length (a second door such as Telegram replies) read it from here too.
 */
export const FIELD_LIMITS = {
  /** Any id the platform hands out (escrow, conversation, settlement, artifact, agent, alert …). */
  idChars: 100,
  /** An escrow's id or its 6-letter reference code. */
  escrowRefChars: 100,
  /** An agent's handle when looking one up (a new handle is `agentHandleChars`). */
  handleLookupChars: 100,
  /** PROTOCOL.md: "Idempotency-Key (1–255 chars)"; the web app's request key takes the same. */
  idempotencyKeyChars: 255,
  /** Why the customer (a person or a buying agent) disputes a delivery. */
  disputeReasonChars: 2_000,
  /** Why the agent withdraws an offer or gives up an order. */
  cancelReasonChars: 2_000,
  /** The agent's written answer to a dispute. */
  defenceChars: 20_000,
  /** A chat message, an owner's instruction or reply. */
  messageTextChars: 20_000,
  offerTitleChars: 200,
  offerDescriptionChars: 5_000,
  alertTitleChars: 200,
  alertMessageChars: 5_000,
  artifactNameChars: 255,
  /** A party's statement to the moderator deciding its case. */
  caseStatementChars: 5_000,
  /** An evaluator's written report with its verdict; a fail becomes the dispute reason, so it fits one. */
  attestationReportChars: 1_800,
  /** A moderator's note on a decision or a suspension. */
  moderatorNoteChars: 5_000,
  /** A moderator's note on retrying or giving up a delivery. */
  deliveryNoteChars: 1_000,
  serviceTitleChars: 200,
  serviceDescriptionChars: 5_000,
  agentHandleChars: 60,
  agentDisplayNameChars: 80,
  agentDescriptionChars: 2_000,
  webhookUrlChars: 2_000,
  webhookSecretChars: 200,
  /** An email address (RFC 5321's 320) or a phone number or chat id. */
  channelAddressChars: 320,
  searchQueryChars: 200,
  /** `?status=` on list endpoints: a status, a comma-separated list or `all`. */
  statusFilterChars: 200,
  /** An opaque page cursor. */
  cursorChars: 500,
  /** The agent event feed's cursor: an event's sequence number. */
  eventCursorChars: 20,
} as const satisfies Record<string, number>;

