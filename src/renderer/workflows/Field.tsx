import { useId } from 'react';

export interface FieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  /** Shown under the input and linked to it with aria-describedby. */
  error?: string | null | undefined;
  hint?: string;
  testId?: string;
  inputMode?: 'decimal' | 'numeric' | 'text';
  disabled?: boolean;
}

/**
 * The value, change handler and error of a Field bound to one text entry of a workflow's form:
 * `<Field label="..." {...field('amount')} testId="..." />`.
 */
export function fieldBinder<K extends string>(
  entries: Record<K, string>,
  set: (f: K) => (value: string) => void,
  error: (f: K) => string | null | undefined,
): (f: K) => Pick<FieldProps, 'value' | 'onChange' | 'error'> {
  return (f) => ({ value: entries[f], onChange: set(f), error: error(f) });
}

/** A labelled text input with its error and hint linked for screen readers. */
export function Field({
  label,
  value,
  onChange,
  error,
  hint,
  testId,
  inputMode = 'decimal',
  disabled,
}: FieldProps) {
  const id = useId();
  const errId = `${id}-err`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : null, error ? errId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="wf-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode={inputMode}
        autoComplete="off"
        value={value}
        disabled={disabled}
        data-testid={testId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint && (
        <p id={hintId} className="wf-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errId} className="wf-field-error">
          {error}
        </p>
      )}
    </div>
  );
}
