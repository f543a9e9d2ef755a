import { useRef } from 'react';
import type { EquipmentKind, Quality, SignalDef } from '../../protocol';
import { signalLabel } from '../i18n/signalNames';
import { type Translate, useT } from '../i18n/useT';
import type { TwinBuffer } from '../state/twinBuffer';
import { formatSignal, NO_VALUE } from './format';
import { QualityBadge } from './inspector/QualityBadge';
import { useRepaint } from './useRepaint';

/** Props of SignalTable. */
export interface SignalTableProps {
  buffer: TwinBuffer;
  index: number;
  /** The equipment's kind (signal names are translated per kind). */
  kind: EquipmentKind;
  /** The kind's signals, catalog order. */
  defs: readonly SignalDef[];
  /** Refresh period of the values, ms. */
  repaintMs: number;
  /** Quality of the values that are not good, by signal key (from the data-quality poll, ~1 Hz). */
  marks?: Readonly<Record<string, Quality>>;
}

/** 'high' / 'low' when a value leaves its normal range, '' otherwise. */
function deviation(value: number, def: SignalDef): string {
  if (value > def.normal[1]) return 'high';
  if (value < def.normal[0]) return 'low';
  return '';
}

/** "Normal 20.0 … 80.0 °C" where the catalog narrows the normal range; nothing for counters. */
function normalHint(t: Translate, d: SignalDef): string | undefined {
  if (d.normal[0] <= d.min && d.normal[1] >= d.max) return undefined;
  return t('inspector.normal', { lo: formatSignal(d.normal[0], d), hi: formatSignal(d.normal[1], d) });
}

/**
 * Every signal with its label and value. React renders the rows once; values are written into
 * the cells through refs on a timer, so a changing value never causes a render.
 */
export function SignalTable({ buffer, index, kind, defs, repaintMs, marks }: SignalTableProps) {
  const { t, locale } = useT();
  const cells = useRef<(HTMLTableCellElement | null)[]>([]);

  useRepaint(
    () => {
      for (let k = 0; k < defs.length; k++) {
        const cell = cells.current[k];
        if (!cell) continue;
        const value = buffer.signal(index, k);
        const text = formatSignal(value, defs[k]);
        if (cell.textContent !== text) cell.textContent = text;
        const dev = deviation(value, defs[k]);
        if ((cell.dataset.deviation ?? '') !== dev) {
          if (dev) cell.dataset.deviation = dev;
          else delete cell.dataset.deviation;
          cell.parentElement?.classList.toggle('is-abnormal', dev !== '');
        }
      }
    },
    repaintMs,
    [buffer, index, defs, locale],
  );

  return (
    <table className="signals" aria-label={t('inspector.signals')}>
      <tbody>
        {defs.map((d, k) => (
          <tr key={d.key} data-testid={`signal-${d.key}`} data-quality={marks?.[d.key]}>
            <th scope="row">{signalLabel(locale, kind, d)}</th>
            <td
              className="signals__value figure"
              data-testid={`signal-value-${d.key}`}
              title={normalHint(t, d)}
              ref={(el) => {
                cells.current[k] = el;
              }}
            >
              {NO_VALUE}
            </td>
            {marks && (
              <td className="signals__q">
                {marks[d.key] && (
                  <QualityBadge quality={marks[d.key]} compact data-testid={`signal-quality-${d.key}`} />
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
