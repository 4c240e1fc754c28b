import { describe, expect, it } from "vitest";
import { parseAllianceItems, parseNote, parseRatingItem, ratingTotal, sliderPosition } from "../../src/lib/forms";

describe("rating items", () => {
  it("reads numbers written with a point or a comma", () => {
    expect(parseRatingItem("7.5", "Overall")).toEqual({ ok: true, value: 7.5 });
    expect(parseRatingItem(" 7,5 ", "Overall")).toEqual({ ok: true, value: 7.5 });
    expect(parseRatingItem("10", "Overall")).toEqual({ ok: true, value: 10 });
  });

  it("leaves the range to the API, so its message is the one shown", () => {
    expect(parseRatingItem("10.5", "Overall")).toEqual({ ok: true, value: 10.5 });
    expect(parseRatingItem("7.25", "Overall")).toEqual({ ok: true, value: 7.25 });
  });

  it("refuses what is not a number, naming the item", () => {
    expect(parseRatingItem("", "Overall")).toEqual({ ok: false, message: "Overall is required (0.0 to 10.0)." });
    expect(parseRatingItem("seven", "Overall").ok).toBe(false);
    expect(parseRatingItem("7.5.1", "Overall").ok).toBe(false);
    expect(parseRatingItem("1e3", "Overall").ok).toBe(false);
  });

  it("keeps the slider on the scale for any typed value", () => {
    expect(sliderPosition("10.5")).toBe(10);
    expect(sliderPosition("-1")).toBe(0);
    expect(sliderPosition("4.3")).toBe(4.3);
    expect(sliderPosition("")).toBe(0);
  });

  it("totals four items to a tenth once all read", () => {
    expect(ratingTotal(["7.1", "7.2", "7.3", "8.4"])).toBe(30);
    expect(ratingTotal(["7.1", "", "7.3", "8.4"])).toBeNull();
  });
});

describe("WAI-SR answers", () => {
  it("takes twelve answers of 1 to 5", () => {
    expect(parseAllianceItems(Array(12).fill("3"))).toEqual({ ok: true, value: Array(12).fill(3) });
  });

  it("names the first unanswered item as the API names it", () => {
    const answers = Array(12).fill("4");
    answers[6] = "";
    expect(parseAllianceItems(answers)).toMatchObject({ ok: false, field: "items[6]", message: "Item 7 needs an answer from 1 to 5." });
    expect(parseAllianceItems(Array(11).fill("4"))).toMatchObject({ ok: false, field: "items" });
  });
});

describe("notes", () => {
  it("trims, requires and bounds free text", () => {
    expect(parseNote("  Talked it through  ", "Note")).toEqual({ ok: true, value: "Talked it through" });
    expect(parseNote("   ", "Note")).toEqual({ ok: false, message: "Note is required." });
    expect(parseNote("x".repeat(11), "Note", 10).ok).toBe(false);
  });
});
