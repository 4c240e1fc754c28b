// The alert rules form: every threshold of AlertRuleSettingsInput as a labelled field, read from what the admin
// typed into the input simulateAlertRules and updateAlertRules take. The API decides the ranges (its refusal names
// the field); here only what is not a number at all is refused, so nothing unparsable is ever sent.
import type { AlertRuleSettingsInput } from "../generated/graphql";

export type RuleName = keyof Required<AlertRuleSettingsInput>;

export type RuleField =
  | { name: RuleName; label: string; hint: string; kind: "decimal" | "integer"; step: string }
  | { name: RuleName; label: string; hint: string; kind: "boolean" };

export const ruleFields: readonly RuleField[] = [
  { name: "srsClinicalCutoff", label: "SRS cutoff", hint: "LOW_ALLIANCE when an SRS total is under this (0 to 40, default 36.0)", kind: "decimal", step: "0.1" },
  { name: "srsCutoffInclusive", label: "LOW_ALLIANCE at the cutoff too", hint: "Also raise it when the total equals the cutoff (default off)", kind: "boolean" },
  { name: "srsItemFlagBelow", label: "SRS item flagged under", hint: "An SRS line under this is flagged (0 to 10, default 9.0)", kind: "decimal", step: "0.1" },
  { name: "srsDropPoints", label: "Alliance drop, points", hint: "ALLIANCE_DROP when the SRS total falls by at least this (default 1.0)", kind: "decimal", step: "0.1" },
  { name: "orsCutoffAdult", label: "ORS cutoff, adults", hint: "The clinical cutoff of adults (default 25.0)", kind: "decimal", step: "0.1" },
  { name: "orsCutoffAdolescent", label: "ORS cutoff, adolescents", hint: "Default 28.0", kind: "decimal", step: "0.1" },
  { name: "orsCutoffChild", label: "ORS cutoff, children", hint: "Default 32.0", kind: "decimal", step: "0.1" },
  { name: "orsReliableChange", label: "ORS reliable change, points", hint: "OUTCOME_DETERIORATION at intake minus this (default 5.0)", kind: "decimal", step: "0.1" },
  { name: "notOnTrackFromOrs", label: "Not on track from ORS number", hint: "NOT_ON_TRACK checked from this ORS on (2 to 100, default 3)", kind: "integer", step: "1" },
  { name: "goalConsensusBySession", label: "Goal consensus by session", hint: "NO_GOAL_CONSENSUS when goals are not agreed by this session (default 3)", kind: "integer", step: "1" },
  { name: "missingFeedbackAfterHours", label: "Missing feedback after, hours", hint: "MISSING_FEEDBACK this long after a session without an SRS (default 24)", kind: "decimal", step: "1" },
  { name: "disengagementAfterDays", label: "Disengagement after, days", hint: "DISENGAGEMENT_RISK after this long without contact (default 21)", kind: "decimal", step: "1" },
  { name: "escalateUnacknowledgedAfterHours", label: "Escalate unacknowledged after, hours", hint: "An alert nobody acknowledged escalates after this (default 48)", kind: "decimal", step: "1" },
  { name: "minimumEpisodesForComparison", label: "Fewest episodes for a comparison", hint: "A therapist's outcome figures are withheld under this many measured episodes (default 10)", kind: "integer", step: "1" },
];

/** What the form holds: the text of each number field, the state of each switch. */
export type RuleDraft = Record<RuleName, string | boolean>;

export function draftOf(settings: Record<RuleName, number | boolean>): RuleDraft {
  const draft = {} as RuleDraft;
  for (const field of ruleFields) {
    const value = settings[field.name];
    draft[field.name] = field.kind === "boolean" ? Boolean(value) : String(value);
  }
  return draft;
}

export type ParsedRules = { ok: true; settings: AlertRuleSettingsInput } | { ok: false; errors: Partial<Record<RuleName, string>> };

/** Every field, read as the API reads it: a decimal (point or comma), a whole number, or a switch. */
export function parseRules(draft: RuleDraft): ParsedRules {
  const settings: Record<string, number | boolean> = {};
  const errors: Partial<Record<RuleName, string>> = {};
  for (const field of ruleFields) {
    const raw = draft[field.name];
    if (field.kind === "boolean") {
      settings[field.name] = raw === true;
      continue;
    }
    // A decimal comma reads as a point, as the rating forms read it (lib/forms).
    const text = String(raw).trim().replace(",", ".");
    if (text === "") {
      errors[field.name] = `${field.label} is required.`;
      continue;
    }
    const pattern = field.kind === "integer" ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
    if (!pattern.test(text)) {
      errors[field.name] = field.kind === "integer" ? `${field.label} must be a whole number.` : `${field.label} must be a number, e.g. 36.5.`;
      continue;
    }
    settings[field.name] = Number(text);
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, settings: settings as AlertRuleSettingsInput };
}

/** Whether two complete settings are the same thresholds (what was tried is what would be saved). */
export function sameRules(a: AlertRuleSettingsInput, b: AlertRuleSettingsInput): boolean {
  return ruleFields.every((field) => a[field.name] === b[field.name]);
}

/** The thresholds a proposal changes, for the what-if's summary. */
export function changedRules(current: AlertRuleSettingsInput, proposed: AlertRuleSettingsInput): RuleField[] {
  return ruleFields.filter((field) => current[field.name] !== proposed[field.name]);
}

/**
 * The form field an API refusal names. The core names durations without their unit (missingFeedbackAfter) and
 * the error's field may carry the argument's path (settings.srsClinicalCutoff, input.srsClinicalCutoff).
 */
export function ruleFieldOf(apiField: string | undefined | null): RuleName | undefined {
  if (!apiField) return undefined;
  const last = apiField.split(".").pop() ?? apiField;
  return ruleFields.find((field) => field.name === last)?.name ?? ruleFields.find((field) => field.name.startsWith(last))?.name;
}

/** The what-if period as the API takes it: from the start of the first day to the end of the last, in UTC. */
export function periodOf(fromDay: string, toDay: string): { from: string; to: string } | { error: string } {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (!day.test(fromDay) || !day.test(toDay)) return { error: "Choose both days of the period." };
  const from = new Date(`${fromDay}T00:00:00Z`);
  const to = new Date(`${toDay}T00:00:00Z`);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return { error: "Choose both days of the period." };
  to.setUTCDate(to.getUTCDate() + 1);
  if (from >= to) return { error: "The period must start before it ends." };
  return { from: from.toISOString(), to: to.toISOString() };
}
