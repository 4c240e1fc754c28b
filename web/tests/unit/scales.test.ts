import { describe, expect, it } from "vitest";
import { alignedSeries, populationCutoff, reliableChangeBand, sessionRange, underCutoff, weekSeconds } from "../../src/lib/scales";

const rules = { orsCutoffAdult: 25, orsCutoffAdolescent: 28, orsCutoffChild: 32 };

describe("chart scales", () => {
  it("spans sessions from 1 to the last rated one, at least two wide", () => {
    expect(sessionRange([])).toEqual([1, 2]);
    expect(sessionRange([{ sessionNumber: 1, total: 30 }])).toEqual([1, 2]);
    expect(sessionRange([{ sessionNumber: 1, total: 30 }, { sessionNumber: 7, total: 38 }])).toEqual([1, 7]);
  });

  it("aligns points to every session, with gaps and constant lines", () => {
    const data = alignedSeries([{ sessionNumber: 1, total: 30 }, { sessionNumber: 3, total: 35.5 }], [36, null]);
    expect(data).toEqual([
      [1, 2, 3],
      [30, null, 35.5],
      [36, 36, 36],
      [null, null, null],
    ]);
  });

  it("reads the SRS cutoff strictly unless the organization made it inclusive", () => {
    expect(underCutoff(35.9, 36, false)).toBe(true);
    expect(underCutoff(36, 36, false)).toBe(false);
    expect(underCutoff(36, 36, true)).toBe(true);
    expect(underCutoff(36.1, 36, true)).toBe(false);
  });

  it("clips the intake ± reliable change band to the scale", () => {
    expect(reliableChangeBand(20, 5)).toEqual([15, 25]);
    expect(reliableChangeBand(2, 5)).toEqual([0, 7]);
    expect(reliableChangeBand(38, 5)).toEqual([33, 40]);
    expect(reliableChangeBand(null, 5)).toBeNull();
  });

  it("takes the population's ORS cutoff", () => {
    expect(populationCutoff("ADULT", rules)).toBe(25);
    expect(populationCutoff("ADOLESCENT", rules)).toBe(28);
    expect(populationCutoff("CHILD", rules)).toBe(32);
  });

  it("places a week at its Monday, midnight UTC", () => {
    expect(weekSeconds("2026-11-23")).toBe(Date.UTC(2026, 10, 23) / 1000);
  });
});
