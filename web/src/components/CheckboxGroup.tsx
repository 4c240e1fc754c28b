import { useId } from "react";

interface CheckboxGroupProps {
  legend: string;
  options: readonly (readonly [string, string])[];
  chosen: readonly string[];
  onChange(chosen: string[]): void;
  error?: string | null | undefined;
  hint?: string | undefined;
}

/** Several choices under one legend (e.g. a person's sites), with the API's refusal for the field under them. */
export function CheckboxGroup({ legend, options, chosen, onChange, error, hint }: CheckboxGroupProps) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset className="field" aria-describedby={describedBy} aria-invalid={error ? true : undefined}>
      <legend>{legend}</legend>
      {hint && (
        <p id={`${id}-hint`} className="muted">
          {hint}
        </p>
      )}
      {options.length === 0 && <p className="muted">None to choose from.</p>}
      {options.map(([value, text]) => (
        <label key={value} className="checkbox">
          <input
            type="checkbox"
            checked={chosen.includes(value)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, value] : chosen.filter((c) => c !== value))}
          />
          {text}
        </label>
      ))}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
