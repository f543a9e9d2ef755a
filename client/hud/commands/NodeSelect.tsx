import { useMemo } from 'react';
import type { Layout } from '../../../protocol';
import { useT } from '../../i18n/useT';
import { nodeLabel, nodeOptions } from './commandView';

/** Props of NodeSelect. */
export interface NodeSelectProps {
  layout: Layout;
  value: string;
  onChange: (node: string) => void;
}

/** The go-to target picker: named stops first, then aisle nodes, each labelled in the reader's language. */
export function NodeSelect({ layout, value, onChange }: NodeSelectProps) {
  const { t, locale } = useT();
  const { stops, aisles } = useMemo(() => nodeOptions(layout, locale), [layout, locale]);
  const home = (node: string, agv: string) => t('command.nodeHome', { node, agv });
  return (
    <select
      className="commands__select"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      aria-label={t('command.node')}
      data-testid="command-node-select"
    >
      <option value="">{t('command.nodeChoose')}</option>
      <optgroup label={t('command.nodeStops')}>
        {stops.map((o) => (
          <option key={o.id} value={o.id}>
            {nodeLabel(o, home)}
          </option>
        ))}
      </optgroup>
      <optgroup label={t('command.nodeAisles')}>
        {aisles.map((o) => (
          <option key={o.id} value={o.id}>
            {nodeLabel(o, home)}
          </option>
        ))}
      </optgroup>
    </select>
  );
}
