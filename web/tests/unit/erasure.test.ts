import { describe, expect, it } from "vitest";
import { erasureConfirmed } from "../../src/lib/erasure";

describe("the erasure's typed confirmation", () => {
  it("acts only when the client id is typed again exactly", () => {
    expect(erasureConfirmed("client-0042", "client-0042")).toBe(true);
    expect(erasureConfirmed(" client-0042 ", "client-0042 ")).toBe(true);
    expect(erasureConfirmed("client-0042", "client-0043")).toBe(false);
    expect(erasureConfirmed("client-0042", "CLIENT-0042")).toBe(false);
    expect(erasureConfirmed("client-0042", "")).toBe(false);
  });

  it("never acts on an empty client id", () => {
    expect(erasureConfirmed("", "")).toBe(false);
    expect(erasureConfirmed("  ", "  ")).toBe(false);
  });
});
