import { FieldFrame } from "./FieldFrame";

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
  return (
    <FieldFrame label={label} error={error} hint={hint}>
      {(control) => (
        <select
          id={control.id}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          disabled={disabled}
          aria-invalid={control["aria-invalid"]}
          aria-describedby={control["aria-describedby"]}
        >
          {none !== undefined && <option value="">{none}</option>}
          {options.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}
