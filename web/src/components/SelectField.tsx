import { useId } from "react";

interface SelectFieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  options: readonly (readonly [string, string])[];
  /** The first option, meaning "none chosen" (its value is ""); left out, one of the options must be chosen. */
  none?: string;
  error?: string | null | undefined;
  hint?: string | undefined;
  disabled?: boolean;
}

/** A labelled select whose refusal (the API's message for this field) is shown under it and tied to it. */
export function SelectField({ label, value, onChange, options, none, error, hint, disabled }: SelectFieldProps) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="muted">
          {hint}
        </p>
      )}
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled} aria-invalid={error ? true : undefined} aria-describedby={describedBy}>
        {none !== undefined && <option value="">{none}</option>}
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
