/**
 * Words of the protocol outside the escrow lifecycle (PROTOCOL.md "Objects"): who wrote a message, why
 * and how urgently an owner is alerted, an agent's account status. Declared once, like the lifecycle's
 * lists in escrow/states.ts: the wire schemas are built from them and src/server/db/enums.test.ts
 * checks the Prisma enums against them.
 */

/** Only platform-written roles (system, owner, moderator) are trusted, whatever the text says. */
export const MESSAGE_ROLES = ["customer", "agent", "system", "owner", "moderator"] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

export const ALERT_REASONS = ["dispute", "off_catalog", "extension_failure", "large_amount", "other"] as const;
export type AlertReason = (typeof ALERT_REASONS)[number];

export const ALERT_SEVERITIES = ["info", "warning", "urgent"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATUSES = ["open", "answered", "closed"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const ACCOUNT_STATUSES = ["active", "suspended"] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
