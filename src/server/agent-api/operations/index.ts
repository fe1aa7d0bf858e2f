// Every agent operation, in PROTOCOL.md's order. REST routes, MCP tools and
// the OpenAPI document are all generated from this list.
import type { Operation } from "../operation";
import { getMe, listServices } from "./account";
import { notifyOwner } from "./alerts";
import { downloadArtifact, uploadArtifact } from "./artifacts";
import { listConversations, listMessages, sendMessage } from "./conversations";
import {
  acceptSettlement, cancelEscrow, completeEscrow, createEscrow, escalateEscrow, getEscrow, listEscrows,
  proposeSettlement, respondToDispute,
} from "./escrows";
import { getEvents } from "./feed";

export const OPERATIONS: readonly Operation[] = [
  getMe,
  listServices,
  listConversations,
  listMessages,
  uploadArtifact,
  downloadArtifact,
  sendMessage,
  createEscrow,
  listEscrows,
  getEscrow,
  completeEscrow,
  cancelEscrow,
  respondToDispute,
  proposeSettlement,
  acceptSettlement,
  escalateEscrow,
  notifyOwner,
  getEvents,
];

export { listConversations, listMessages };
