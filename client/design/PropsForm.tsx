import type { MessageKey } from '../i18n/messages';
import { useT } from '../i18n/useT';
import { CheckedField } from './CheckedField';
import { useDesignStore } from './designStore';
import { listIds, nodeIds } from './edits/draftIds';
import { type EquipmentField, fieldValue, setEquipmentField } from './edits/equipmentFields';
import type { DraftEquipment } from './layoutEdits';
import { checkName, checkProp, type PropField, propFieldsOf } from './propFields';

/** Props of PropsForm. */
export type PropsFormProps = {
  /** The selected equipment. */
  e: DraftEquipment;
};

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** A select of `ids` (with a "none" entry when `none` is given), keeping an id the draft lacks. */
function IdSelect(props: {
  id: string;
  label: string;
  value: string;
  ids: readonly string[];
  none?: string;
  labelOf?: (id: string) => string;
  onPick: (id: string | undefined) => void;
  testId: string;
}) {
  const { t } = useT();
  const { value, ids } = props;
  const known = value === '' || ids.includes(value);
  return (
    <div className="design-field">
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        className="design-input"
        value={value}
        aria-invalid={known ? undefined : true}
        onChange={(ev) => props.onPick(ev.target.value || undefined)}
        data-testid={props.testId}
      >
        {(props.none !== undefined || value === '') && <option value="">{props.none ?? '—'}</option>}
        {!known && <option value={value}>{t('design.props.unknown', { value })}</option>}
        {ids.map((x) => (
          <option key={x} value={x}>
            {props.labelOf ? props.labelOf(x) : x}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The selected equipment's name (and its Chinese name), zone, line and every prop of its kind as
 * the plant schema describes them: numbers with units and limits, choices as selects, path nodes
 * as a select of the draft's nodes. Each field is checked against the schema as it is typed.
 */
export function PropsForm({ e }: PropsFormProps) {
  const { t } = useT();
  const layout = useDesignStore((s) => s.history.present);
  const apply = (f: EquipmentField, value: unknown) =>
    useDesignStore.getState().edit((l) => setEquipmentField(l, e.id, f, value));
  const nodes = nodeIds(layout);
  const fields = propFieldsOf(e.kind);

  const propInput = (f: PropField) => {
    const at: EquipmentField = { at: 'prop', key: f.key };
    const id = `design-prop-${f.key}`;
    const label = t(`design.prop.${f.key}` as MessageKey);
    const value = text(fieldValue(e, at));
    const testId = `design-prop-${f.key}`;
    if (f.input === 'enum')
      return (
        <IdSelect
          key={f.key}
          id={id}
          label={label}
          value={value || text(f.fallback)}
          ids={f.options ?? []}
          labelOf={(o) => t(`design.option.${o}` as MessageKey)}
          onPick={(v) => apply(at, v)}
          testId={testId}
        />
      );
    if (f.input === 'node')
      return (
        <IdSelect
          key={f.key}
          id={id}
          label={label}
          value={value}
          ids={nodes}
          none={f.optional ? t('design.props.noNode') : undefined}
          onPick={(v) => apply(at, v)}
          testId={testId}
        />
      );
    const range =
      f.min !== undefined && f.max !== undefined
        ? t('design.props.range', { min: f.min, max: f.max })
        : undefined;
    return (
      <CheckedField
        key={f.key}
        id={id}
        label={label}
        unit={[f.unit, range].filter(Boolean).join(', ') || undefined}
        value={value}
        placeholder={
          f.fallback !== undefined ? t('design.props.default', { value: text(f.fallback) }) : undefined
        }
        numeric={f.input === 'number'}
        check={(s) => checkProp(f, s)}
        onApply={(v) => apply(at, v)}
        testId={testId}
      />
    );
  };

  return (
    <fieldset className="design-props" data-testid="design-props">
      <legend className="design-props__title">{t('design.props.title')}</legend>
      <CheckedField
        id="design-name"
        label={t('design.field.name')}
        value={text(e.name)}
        check={(s) => checkName(s, false)}
        onApply={(v) => apply({ at: 'name' }, v)}
        testId="design-field-name"
      />
      <CheckedField
        id="design-name-zh"
        label={t('design.props.nameZh')}
        value={text(fieldValue(e, { at: 'nameZh' }))}
        check={(s) => checkName(s, true)}
        onApply={(v) => apply({ at: 'nameZh' }, v)}
        testId="design-field-name-zh"
      />
      <div className="design-row">
        <IdSelect
          id="design-zone"
          label={t('design.field.zone')}
          value={text(e.zone)}
          ids={listIds(layout, 'zones')}
          onPick={(v) => apply({ at: 'zone' }, v)}
          testId="design-field-zone"
        />
        <IdSelect
          id="design-line"
          label={t('design.props.line')}
          value={text(e.line)}
          ids={listIds(layout, 'lines')}
          none={t('design.props.noLine')}
          onPick={(v) => apply({ at: 'line' }, v)}
          testId="design-field-line"
        />
      </div>
      {fields.map(propInput)}
      <p className="design-muted design-props__hint">{t('design.props.hint')}</p>
    </fieldset>
  );
}
