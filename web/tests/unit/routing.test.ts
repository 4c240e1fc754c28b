import { describe, expect, it } from "vitest";
import { safeReturnPath } from "../../src/lib/session";
import { byField, unplaced, type Refusal } from "../../src/lib/errors";

describe("the way back after signing in", () => {
  it("returns to a path of ours", () => {
    expect(safeReturnPath("/episodes/0198f5b2-7c1e-7a00-9d4b-2f3c9a1e5b77")).toBe("/episodes/0198f5b2-7c1e-7a00-9d4b-2f3c9a1e5b77");
    expect(safeReturnPath("/alerts?x=1")).toBe("/alerts?x=1");
  });

  it("never to another site, nor back to sign-in", () => {
    for (const next of ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "", null, "/sign-in?next=/alerts"])
      expect(safeReturnPath(next)).toBe("/");
  });
});

describe("refusals by field", () => {
  const refusals: Refusal[] = [
    { code: "VALIDATION_FAILED", field: "overall", message: "overall must be from 0.0 to 10.0 (was 10.5)." },
    { code: "CONFLICT", field: null, message: "The episode is closed." },
    { code: "VALIDATION_FAILED", field: "sessionId", message: "No such session." },
  ];

  it("puts each message on the field it names", () => {
    const fields = byField(refusals);
    expect(fields.get("overall")).toBe("overall must be from 0.0 to 10.0 (was 10.5).");
    expect(fields.get("")).toBe("The episode is closed.");
  });

  it("gathers what no field of the form shows into one message", () => {
    expect(unplaced(byField(refusals), ["overall"])).toBe("The episode is closed. No such session.");
    expect(unplaced(byField(refusals.slice(0, 1)), ["overall"])).toBeNull();
  });
});
