// Where `npm start` listens: the demo (one-click moderator sign-in) on loopback unless the operator
// says otherwise; the start log says which.
import { describe, expect, it } from "vitest";
import { chooseBindHost, localServerUrl } from "./launcher-options";

describe("the launcher's bind host", () => {
  it("is loopback in demo mode unless HOLDFAST_HOST says otherwise, and the log says so", () => {
    const choice = chooseBindHost({}, true);
    expect(choice).toMatchObject({ host: "127.0.0.1" });
    expect("note" in choice && choice.note).toMatch(/127\.0\.0\.1 only.*HOLDFAST_HOST=0\.0\.0\.0/);
    const open = chooseBindHost({ HOLDFAST_HOST: "0.0.0.0" }, true);
    expect(open).toMatchObject({ host: "0.0.0.0" });
    expect("note" in open && open.note).toMatch(/every interface.*demo moderator/);
    expect(chooseBindHost({ HOLDFAST_HOST: "::1" }, true)).toMatchObject({ host: "::1" });
    expect(chooseBindHost({ HOLDFAST_HOST: "[::]" }, true)).toMatchObject({ host: "::" });
    expect(chooseBindHost({ HOLDFAST_HOST: "  " }, true)).toMatchObject({ host: "127.0.0.1" });
  });

  it("outside the demo is Next.js's default unless HOLDFAST_HOST is set", () => {
    expect(chooseBindHost({}, false)).toMatchObject({ host: null });
    expect(chooseBindHost({ HOLDFAST_HOST: "10.0.0.5" }, false)).toMatchObject({ host: "10.0.0.5" });
    expect(chooseBindHost({ HOLDFAST_HOST: "app.internal" }, false)).toMatchObject({ host: "app.internal" });
  });

  it("refuses a HOLDFAST_HOST that is not a host", () => {
    for (const bad of ["http://0.0.0.0", "0.0.0.0:3000", "a b", "-x", "host/path", "$(id)"]) {
      expect(chooseBindHost({ HOLDFAST_HOST: bad }, true), bad).toMatchObject({ error: expect.stringMatching(/HOLDFAST_HOST/) });
    }
  });

  it("gives the demo agent a URL that reaches the server where it listens", () => {
    expect(localServerUrl("127.0.0.1", 3000)).toBe("http://127.0.0.1:3000");
    expect(localServerUrl(null, 3000)).toBe("http://localhost:3000");
    expect(localServerUrl("0.0.0.0", "3100")).toBe("http://localhost:3100");
    expect(localServerUrl("::1", 3000)).toBe("http://[::1]:3000");
  });
});
