// next-auth's storage, over Holdfast's own tables (users, sessions,
// verification_tokens). Only what the email sign-in needs is implemented;
// there are no OAuth accounts. Session tokens are stored hashed.
import { randomBytes } from "node:crypto";
import type { Adapter, AdapterSession, AdapterUser } from "next-auth/adapters";
import { visibleTextOrNull } from "~/domain/text";
import type { Db } from "../db/client";
import type { User } from "../db/generated/client";
import { newId } from "../ids";
import { hashSessionToken } from "./session";

/** next-auth's user, with what Holdfast's sign-in callback needs to refuse suspended people. */
export interface HoldfastAdapterUser extends AdapterUser {
  role: User["role"];
  status: User["status"];
}

function toAdapterUser(user: User): HoldfastAdapterUser {
  return {
    id: user.id,
    email: user.email,
    emailVerified: user.emailVerified,
    name: user.displayName,
    role: user.role,
    status: user.status,
  };
}

/** A first name for someone who signed up with only an email address: the part before the @. */
function displayNameFromEmail(email: string): string {
  const local = email.split("@")[0] ?? email;
  return local.slice(0, 60) || email.slice(0, 60);
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * next-auth's storage on Holdfast's tables: people, database sessions (only the token's hash is stored)
 * and single-use sign-in links.
 */
export function holdfastAdapter(db: Db, now: () => Date = () => new Date()): Adapter {
  return { ...userStore(db), ...sessionStore(db, now), ...verificationTokenStore(db, now) };
}

function userStore(db: Db): Pick<Adapter, "createUser" | "getUser" | "getUserByEmail" | "updateUser"> {
  return {
    async createUser(user: Omit<AdapterUser, "id">) {
      const email = normalizeEmail(user.email);
      const created = await db.user.create({
        data: {
          id: newId("usr"),
          email,
          displayName: visibleTextOrNull(user.name) ?? displayNameFromEmail(email),
          role: "customer",
          emailVerified: user.emailVerified ?? null,
        },
      });
      return toAdapterUser(created);
    },
    async getUser(id) {
      const user = await db.user.findUnique({ where: { id } });
      return user ? toAdapterUser(user) : null;
    },
    async getUserByEmail(email) {
      const user = await db.user.findUnique({ where: { email: normalizeEmail(email) } });
      return user ? toAdapterUser(user) : null;
    },
    async updateUser(user) {
      // Sign-in only ever records that the address was verified; names and roles are Holdfast's own.
      const updated = await db.user.update({
        where: { id: user.id },
        data: user.emailVerified !== undefined ? { emailVerified: user.emailVerified } : {},
      });
      return toAdapterUser(updated);
    },
  };
}

function sessionStore(
  db: Db,
  now: () => Date,
): Pick<Adapter, "createSession" | "getSessionAndUser" | "updateSession" | "deleteSession"> {
  return {
    async createSession(session) {
      await db.session.create({
        data: {
          id: `ses_${randomBytes(16).toString("hex")}`,
          tokenHash: hashSessionToken(session.sessionToken),
          userId: session.userId,
          expires: session.expires,
          createdAt: now(),
        },
      });
      return { sessionToken: session.sessionToken, userId: session.userId, expires: session.expires };
    },
    async getSessionAndUser(sessionToken) {
      const row = await db.session.findUnique({
        where: { tokenHash: hashSessionToken(sessionToken) },
        include: { user: true },
      });
      // A suspended person's sessions stop working at once, everywhere.
      if (!row || row.user.status !== "active") return null;
      const session: AdapterSession = { sessionToken, userId: row.userId, expires: row.expires };
      return { session, user: toAdapterUser(row.user) };
    },
    async updateSession(session) {
      const tokenHash = hashSessionToken(session.sessionToken);
      const result = await db.session.updateMany({
        where: { tokenHash },
        data: session.expires ? { expires: session.expires } : {},
      });
      if (result.count === 0) return null;
      const row = await db.session.findUnique({ where: { tokenHash } });
      return row ? { sessionToken: session.sessionToken, userId: row.userId, expires: row.expires } : null;
    },
    async deleteSession(sessionToken) {
      await db.session.deleteMany({ where: { tokenHash: hashSessionToken(sessionToken) } });
    },
  };
}

function verificationTokenStore(db: Db, now: () => Date): Pick<Adapter, "createVerificationToken" | "useVerificationToken"> {
  return {
    async createVerificationToken(token) {
      // `token` is already next-auth's hash of the emailed token with the secret.
      await db.verificationToken.create({
        data: { identifier: normalizeEmail(token.identifier), tokenHash: token.token, expires: token.expires, createdAt: now() },
      });
      return token;
    },
    async useVerificationToken({ token }) {
      // Delete-and-return in one statement: a link works exactly once, even when clicked twice at once.
      // (next-auth then compares the identifier with the link's email, when the link has one.)
      const rows = await db.$queryRaw<{ identifier: string; token_hash: string; expires: Date }[]>`
        DELETE FROM verification_tokens WHERE token_hash = ${token}
        RETURNING identifier, token_hash, expires`;
      const row = rows[0];
      return row ? { identifier: row.identifier, token: row.token_hash, expires: row.expires } : null;
    },
  };
}
