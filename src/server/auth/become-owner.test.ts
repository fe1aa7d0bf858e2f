import { describe, expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { createUser } from "~/test/users";
import { becomeOwner } from "./become-owner";

const tdb = databaseForThisFile();

describe("becoming an owner", () => {
  it("turns a customer into an owner once; repeating it changes nothing", async () => {
    const user = await createUser(tdb.db, "customer");
    expect(await becomeOwner(tdb.db, user.id)).toBe("became_owner");
    expect((await tdb.db.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("owner");
    expect(await becomeOwner(tdb.db, user.id)).toBe("already_owner");
  });

  it("never turns a moderator or a suspended customer into an owner", async () => {
    const moderator = await createUser(tdb.db, "admin");
    expect(await becomeOwner(tdb.db, moderator.id)).toBe("not_allowed");
    expect((await tdb.db.user.findUniqueOrThrow({ where: { id: moderator.id } })).role).toBe("admin");
    const suspended = await createUser(tdb.db, "customer");
    await tdb.db.user.update({ where: { id: suspended.id }, data: { status: "suspended" } });
    expect(await becomeOwner(tdb.db, suspended.id)).toBe("not_allowed");
    expect((await tdb.db.user.findUniqueOrThrow({ where: { id: suspended.id } })).role).toBe("customer");
  });
});
