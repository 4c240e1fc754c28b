// Reading what a person typed into the rating forms. Only the shape is checked here (a number, written with a
// point or a comma); the range and the one decimal are the API's rules, and its refusal is shown on the field,
// so the clinic's rules live in one place.

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseRatingItem(text: string, label: string): Parsed<number> {
  const trimmed = text.trim().replace(",", ".");
  if (trimmed === "") return { ok: false, message: `${label} is required (0.0 to 10.0).` };
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) return { ok: false, message: `${label} must be a number, e.g. 7.5.` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, message: `${label} must be a number, e.g. 7.5.` };
  return { ok: true, value };
}

/** The slider's position for a typed value: the value itself when the slider can show it, else its nearest end. */
export function sliderPosition(text: string): number {
  const parsed = parseRatingItem(text, "");
  if (!parsed.ok) return 0;
  return Math.min(10, Math.max(0, Math.round(parsed.value * 10) / 10));
}

/** The sum of four items as the platform totals them (to a tenth), for showing while typing; null until all four read. */
export function ratingTotal(texts: readonly string[]): number | null {
  const values = texts.map((t) => parseRatingItem(t, ""));
  if (values.some((v) => !v.ok)) return null;
  return Math.round(values.reduce((sum, v) => sum + (v.ok ? v.value : 0), 0) * 10) / 10;
}

/** The WAI-SR's 12 answers, each 1 to 5; the first unanswered one is named by its index, as the API names `items[i]`. */
export function parseAllianceItems(answers: readonly string[]): Parsed<number[]> & { field?: string } {
  if (answers.length !== 12) return { ok: false, message: `The WAI-SR has exactly 12 items (got ${answers.length}).`, field: "items" };
  const values: number[] = [];
  for (let i = 0; i < answers.length; i++) {
    const answer = answers[i] ?? "";
    const value = /^[1-5]$/.test(answer.trim()) ? Number(answer.trim()) : NaN;
    if (Number.isNaN(value)) return { ok: false, message: `Item ${i + 1} needs an answer from 1 to 5.`, field: `items[${i}]` };
    values.push(value);
  }
  return { ok: true, value: values };
}

/** A free-text note: trimmed, required, at most `max` characters. */
export function parseNote(text: string, label: string, max = 2000): Parsed<string> {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, message: `${label} is required.` };
  if (trimmed.length > max) return { ok: false, message: `${label} may have ${max} characters at most.` };
  return { ok: true, value: trimmed };
}
