import { useState } from 'react';
import { useT } from '../i18n/useT';
import type { Checked } from './propFields';

/** Props of CheckedField. */
export type CheckedFieldProps = {
  id: string;
  label: string;
  /** Unit shown after the label ("m/s"). */
  unit?: string;
  /** The stored value as text. */
  value: string;
  placeholder?: string;
  /** The schema check of what is typed (run on every key). */
  check: (text: string) => Checked;
  /** Called with the checked value on Enter or leaving the field, when it is valid and changed. */
  onApply: (value: unknown) => void;
  numeric?: boolean;
  testId: string;
};

/**
 * A labelled input checked as you type: the problem shows right under it (and the input is marked
 * invalid); Enter or leaving the field applies a valid value as one undo step and never an invalid
 * one, which stays typed until corrected or Escape puts the stored value back.
 */
export function CheckedField({
  id,
  label,
  unit,
  value,
  placeholder,
  check,
  onApply,
  numeric,
  testId,
}: CheckedFieldProps) {
  const { t } = useT();
  const [draft, setDraft] = useState<string | null>(null);
  const result = draft === null ? null : check(draft);
  const problem = result && !result.ok ? result.problem : null;
  const apply = () => {
    if (draft === null || !result?.ok) return;
    setDraft(null);
    if (draft !== value) onApply(result.value);
  };
  const messageId = `${id}-problem`;
  return (
    <div className="design-field">
      <label htmlFor={id}>
        {label}
        {unit && <span className="design-field__unit"> ({unit})</span>}
      </label>
      <input
        id={id}
        className={numeric ? 'design-input figure' : 'design-input'}
        inputMode={numeric ? 'decimal' : undefined}
        value={draft ?? value}
        placeholder={placeholder}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? messageId : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={apply}
        onKeyDown={(e) => {
          if (e.key === 'Enter') apply();
          if (e.key === 'Escape') {
            setDraft(null);
            e.currentTarget.blur();
          }
        }}
        data-testid={testId}
      />
      {problem && (
        <span id={messageId} className="design-field__problem" role="alert" data-testid={`${testId}-problem`}>
          {t(problem.key, problem.params)}
        </span>
      )}
    </div>
  );
}
