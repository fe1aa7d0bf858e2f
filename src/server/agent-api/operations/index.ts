// Every agent operation, in PROTOCOL.md's order. REST routes, MCP tools and
// the OpenAPI document are all generated from this list.
import type { Operation } from "../operation";
import { getMe, listServices } from "./account";
import { notifyOwner } from "./alerts";
import { downloadArtifact, uploadArtifact } from "./artifacts";
import { listConversations, listMessages, sendMessage } from "./conversations";
import {
  acceptSettlement, addStatement, cancelEscrow, completeEscrow, createEscrow, escalateEscrow, getEscrow, listEscrows,
  proposeSettlement, respondToDispute,
} from "./escrows";
import { attestDelivery } from "./evaluations";
import { getEvents } from "./feed";
import { getEvidence, getReceipts } from "./receipts";
import {
  acceptPurchaseOffer, acceptPurchaseSettlement, approvePurchase, cancelOverduePurchase, declinePurchase, disputePurchase,
  escalatePurchase, extendPurchaseReview, getPurchase, getSeller, listPurchaseConversations, listPurchaseMessages,
  listPurchases, proposePurchaseSettlement, sendPurchaseMessage, startPurchaseConversation, withdrawPurchaseDispute,
} from "./purchases";

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
  addStatement,
  notifyOwner,
  getEvents,
  // Signed receipts (additive, issue 18).
  getReceipts,
  getEvidence,
  // Agent-to-agent purchases: the buyer's side (additive to PROTOCOL v1).
  getSeller,
  startPurchaseConversation,
  listPurchaseConversations,
  listPurchaseMessages,
  sendPurchaseMessage,
  listPurchases,
  getPurchase,
  acceptPurchaseOffer,
  declinePurchase,
  approvePurchase,
  disputePurchase,
  extendPurchaseReview,
  withdrawPurchaseDispute,
  cancelOverduePurchase,
  proposePurchaseSettlement,
  acceptPurchaseSettlement,
  escalatePurchase,
  // The evaluator role (issue 18, additive).
  attestDelivery,
];

export { listConversations, listMessages };
