import { useId, useState, type FormEvent } from "react";
import type { CombinedError } from "@urql/core";
import { byField, refusalsOf, unplaced } from "../lib/errors";
import { parseRatingItem, ratingTotal, sliderPosition } from "../lib/forms";

export interface RatingItem {
  /** The API's input field, which its refusals name. */
  field: string;
  label: string;
}

interface RatingFormProps {
  title: string;
  items: readonly RatingItem[];
  submitLabel: string;
  sessions: { id: string; number: number }[];
  onSubmit(sessionId: string, values: Record<string, number>): Promise<{ error?: CombinedError | undefined }>;
}

/** Four items of 0.0 to 10.0, each a slider and a number field kept in step; the API's refusal shows on its field. */
export function RatingForm({ title, items, submitLabel, sessions, onSubmit }: RatingFormProps) {
  const id = useId();
  const [sessionId, setSessionId] = useState(sessions.at(-1)?.id ?? "");
  const [texts, setTexts] = useState<string[]>(() => items.map(() => ""));
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const total = ratingTotal(texts);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    const found = new Map<string, string>();
    const values: Record<string, number> = {};
    items.forEach((item, i) => {
      const parsed = parseRatingItem(texts[i] ?? "", item.label);
      if (parsed.ok) values[item.field] = parsed.value;
      else found.set(item.field, parsed.message);
    });
    if (!sessionId) found.set("sessionId", "Record the session first.");
    setErrors(found);
    if (found.size > 0) return;
    setBusy(true);
    const answer = await onSubmit(sessionId, values);
    setBusy(false);
    if (answer.error) {
      setErrors(byField(refusalsOf(answer.error)));
      return;
    }
    setSaved(`${title} saved for session ${sessions.find((s) => s.id === sessionId)?.number ?? ""}.`);
    setTexts(items.map(() => ""));
  }

  const general = unplaced(errors, [...items.map((i) => i.field), "sessionId"]);
  return (
    <form className="form form--wide" onSubmit={submit} noValidate>
      <fieldset>
        <legend>{title}</legend>
        <div className="field">
          <label htmlFor={`${id}-session`}>Session</label>
          <select id={`${id}-session`} value={sessionId} onChange={(e) => setSessionId(e.target.value)} aria-invalid={errors.has("sessionId") ? true : undefined}
            aria-describedby={errors.has("sessionId") ? `${id}-session-error` : undefined}>
            {sessions.map((s) => (
              <option key={s.id} value={s.id}>
                Session {s.number}
              </option>
            ))}
          </select>
          {errors.get("sessionId") && <p id={`${id}-session-error`} className="field-error">{errors.get("sessionId")}</p>}
        </div>
        {items.map((item, i) => {
          const inputId = `${id}-${item.field}`;
          const error = errors.get(item.field);
          const text = texts[i] ?? "";
          const set = (value: string) => setTexts((t) => t.map((old, j) => (j === i ? value : old)));
          return (
            <div className="field rating-item" key={item.field}>
              <label htmlFor={inputId}>{item.label}</label>
              <input type="range" min={0} max={10} step={0.1} value={sliderPosition(text)} onChange={(e) => set(e.target.value)} aria-label={`${item.label} slider`}
                aria-valuetext={text === "" ? "not rated" : text} />
              <input id={inputId} type="number" min={0} max={10} step={0.1} inputMode="decimal" value={text} onChange={(e) => set(e.target.value)}
                aria-invalid={error ? true : undefined} aria-describedby={error ? `${inputId}-error` : undefined} />
              {error && (
                <p id={`${inputId}-error`} className="field-error" data-testid={`error-${item.field}`}>
                  {error}
                </p>
              )}
            </div>
          );
        })}
        <p className="muted">Total: {total === null ? "—" : total.toFixed(1)} of 40</p>
        {general && <p className="notice notice--error" role="alert">{general}</p>}
        {saved && <p className="notice notice--success" role="status">{saved}</p>}
        <button type="submit" className="button" disabled={busy}>
          {submitLabel}
        </button>
      </fieldset>
    </form>
  );
}
