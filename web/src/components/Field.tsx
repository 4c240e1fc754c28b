import type { HTMLInputTypeAttribute } from "react";
import { FieldFrame } from "./FieldFrame";

interface FieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string | null | undefined;
  hint?: string | undefined;
  type?: HTMLInputTypeAttribute;
  autoComplete?: string;
  inputMode?: "numeric" | "decimal" | "text";
  required?: boolean;
  disabled?: boolean;
}

/** A labelled input whose refusal (the API's message for this field) is shown under it and tied to it for screen readers. */
export function Field({ label, value, onChange, error, hint, type = "text", autoComplete, inputMode, required, disabled }: FieldProps) {
  return (
    <FieldFrame label={label} error={error} hint={hint}>
      {(control) => (
        <input
          id={control.id}
          type={type}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          autoComplete={autoComplete}
          inputMode={inputMode}
          required={required}
          disabled={disabled}
          aria-invalid={control["aria-invalid"]}
          aria-describedby={control["aria-describedby"]}
        />
      )}
    </FieldFrame>
  );
}
