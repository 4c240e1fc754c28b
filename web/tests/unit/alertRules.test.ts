import { describe, expect, it } from "vitest";
import { changedRules, draftOf, parseRules, periodOf, ruleFieldOf, ruleFields, sameRules } from "../../src/lib/alertRules";

const defaults = {
  srsClinicalCutoff: 36,
  srsCutoffInclusive: false,
  srsItemFlagBelow: 9,
  srsDropPoints: 1,
  orsCutoffAdult: 25,
  orsCutoffAdolescent: 28,
  orsCutoffChild: 32,
  orsReliableChange: 5,
  notOnTrackFromOrs: 3,
  goalConsensusBySession: 3,
  missingFeedbackAfterHours: 24,
  disengagementAfterDays: 21,
  escalateUnacknowledgedAfterHours: 48,
  minimumEpisodesForComparison: 10,
};

describe("the alert rules form", () => {
  it("has a labelled field for every threshold the API takes", () => {
    expect(ruleFields.map((f) => f.name).sort()).toEqual(Object.keys(defaults).sort());
    expect(new Set(ruleFields.map((f) => f.label)).size).toBe(ruleFields.length);
  });

  it("reads back exactly the settings it was filled with", () => {
    const parsed = parseRules(draftOf(defaults));
    expect(parsed).toEqual({ ok: true, settings: defaults });
  });

  it("reads decimals with a point or a comma and whole numbers, trimming spaces", () => {
    const draft = { ...draftOf(defaults), srsClinicalCutoff: " 38.5 ", srsDropPoints: "1,5", notOnTrackFromOrs: "4", srsCutoffInclusive: true };
    const parsed = parseRules(draft);
    expect(parsed.ok && parsed.settings.srsClinicalCutoff).toBe(38.5);
    expect(parsed.ok && parsed.settings.srsDropPoints).toBe(1.5);
    expect(parsed.ok && parsed.settings.notOnTrackFromOrs).toBe(4);
    expect(parsed.ok && parsed.settings.srsCutoffInclusive).toBe(true);
  });

  it("refuses what is not a number, naming each field, and sends nothing", () => {
    const parsed = parseRules({ ...draftOf(defaults), srsClinicalCutoff: "36.5.1", notOnTrackFromOrs: "3.5", orsCutoffChild: "" });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual(["notOnTrackFromOrs", "orsCutoffChild", "srsClinicalCutoff"]);
    expect(parsed.errors.srsClinicalCutoff).toMatch(/must be a number/);
    expect(parsed.errors.notOnTrackFromOrs).toMatch(/whole number/);
    expect(parsed.errors.orsCutoffChild).toMatch(/required/);
  });

  it("leaves ranges to the API: an out-of-range number is sent", () => {
    const parsed = parseRules({ ...draftOf(defaults), srsClinicalCutoff: "41" });
    expect(parsed.ok && parsed.settings.srsClinicalCutoff).toBe(41);
  });

  it("knows when what was tried is what would be saved, and what changed", () => {
    const stricter = { ...defaults, srsClinicalCutoff: 38 };
    expect(sameRules(defaults, { ...defaults })).toBe(true);
    expect(sameRules(defaults, stricter)).toBe(false);
    expect(changedRules(defaults, stricter).map((f) => f.name)).toEqual(["srsClinicalCutoff"]);
  });

  it("puts an API refusal next to the field it names", () => {
    expect(ruleFieldOf("srsClinicalCutoff")).toBe("srsClinicalCutoff");
    expect(ruleFieldOf("settings.orsCutoffChild")).toBe("orsCutoffChild");
    expect(ruleFieldOf("missingFeedbackAfter")).toBe("missingFeedbackAfterHours");
    expect(ruleFieldOf("escalateUnacknowledgedAfter")).toBe("escalateUnacknowledgedAfterHours");
    expect(ruleFieldOf("from")).toBeUndefined();
    expect(ruleFieldOf(undefined)).toBeUndefined();
  });

  it("turns the chosen days into a period that includes the last day", () => {
    expect(periodOf("2026-01-01", "2026-03-31")).toEqual({ from: "2026-01-01T00:00:00.000Z", to: "2026-04-01T00:00:00.000Z" });
    expect(periodOf("2026-03-01", "2026-02-01")).toEqual({ error: "The period must start before it ends." });
    expect(periodOf("", "2026-02-01")).toEqual({ error: "Choose both days of the period." });
  });
});
