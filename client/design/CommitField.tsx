import { useState } from 'react';

/** Props of CommitField. */
export type CommitFieldProps = {
  id: string;
  label: string;
  /** The value shown while not being edited. */
  value: string;
  /** Called with the typed text on Enter or when the field loses focus (when it changed). */
  onCommit: (text: string) => void;
  type?: 'text' | 'number';
  step?: number;
  testId?: string;
};

/**
 * A labelled input that edits a value as one step: typing changes nothing until Enter or leaving
 * the field (one undo step, not one per key); Escape puts the shown value back.
 */
export function CommitField({ id, label, value, onCommit, type = 'text', step, testId }: CommitFieldProps) {
  // What is being typed; null while the field simply shows the stored value.
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft === null) return;
    setDraft(null);
    // A refused value (not a number) leaves the stored one showing; an accepted one arrives as `value`.
    if (draft !== value) onCommit(draft);
  };
  return (
    <div className="design-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="design-input figure"
        type={type}
        step={step}
        value={draft ?? value}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            setDraft(null);
            e.currentTarget.blur();
          }
        }}
        data-testid={testId}
      />
    </div>
  );
}
