// `npm run admin:create -- <email> "<display name>"`: creates a moderator
// account (or promotes an existing user). Admins are never created by sign-up.
import { createDb } from "../src/server/db/client";
import { withDatabaseUrl } from "../src/server/db/database-url";
import { newId } from "../src/server/ids";

const [email, ...nameParts] = process.argv.slice(2);
const displayName = nameParts.join(" ").trim() || "Moderator";
if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) {
  console.error('usage: npm run admin:create -- <email> "<display name>"');
  process.exit(2);
}

await withDatabaseUrl(async (url) => {
  const db = createDb(url, { maxConnections: 1 });
  try {
    const user = await db.user.upsert({
      where: { email: email.toLowerCase() },
      create: { id: newId("usr"), email: email.toLowerCase(), displayName, role: "admin" },
      update: { role: "admin" },
    });
    console.log(`${user.email} is a moderator (user ${user.id}).`);
  } finally {
    await db.$disconnect();
  }
});
