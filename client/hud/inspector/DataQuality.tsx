import { useRef } from 'react';
import { useT } from '../../i18n/useT';
import { NO_VALUE } from '../format';
import { useRepaint } from '../useRepaint';
import { formatAgo, formatClockTime } from './dataQualityView';
import { QualityBadge } from './QualityBadge';
import type { DataQualityState } from './useDataQuality';
import './dataQuality.css';

/** The source time and age are repainted this often, ms (the age reads in tenths under 10 s). */
const AGE_REPAINT_MS = 250;

/** Props of DataQuality. */
export interface DataQualityProps {
  data: DataQualityState;
}

/**
 * Where the selected equipment's data come from and how far to trust them: the source (its id,
 * the simulation, or none), the overall quality as a badge, the source time of the newest value and
 * how long ago it arrived (ticking, without renders), and a plain notice for simulated stand-ins.
 */
export function DataQuality({ data }: DataQualityProps) {
  const { t, locale } = useT();
  const timeRef = useRef<HTMLElement>(null);
  const ageRef = useRef<HTMLElement>(null);
  const { view, status, latest } = data;

  useRepaint(
    () => {
      const d = latest.current;
      const time = d ? formatClockTime(locale, d.sourceTimestamp) : NO_VALUE;
      const age = d ? formatAgo(locale, d.receivedAt, Date.now()) : NO_VALUE;
      if (timeRef.current && timeRef.current.textContent !== time) timeRef.current.textContent = time;
      if (ageRef.current && ageRef.current.textContent !== age) ageRef.current.textContent = age;
    },
    AGE_REPAINT_MS,
    [locale, view],
  );

  if (!view)
    return (
      <section className="dataq" aria-label={t('dataq.label')} data-testid="data-quality">
        <p className="dataq__message" data-testid="dataq-status">
          {status === 'error' ? t('dataq.unavailable') : t('dataq.loading')}
        </p>
      </section>
    );

  const timed = view.source.kind !== 'none';
  return (
    <section
      className="dataq"
      aria-label={t('dataq.label')}
      data-testid="data-quality"
      data-source-kind={view.source.kind}
    >
      {view.standIn && (
        <p className="dataq__standin" role="note" data-testid="dataq-standin">
          {t('dataq.standIn')}
        </p>
      )}
      <dl className="dataq__facts">
        <dt>{t('dataq.source')}</dt>
        <dd data-testid="dataq-source" data-kind={view.source.kind}>
          {view.source.text}
        </dd>
        <dt>{t('dataq.quality')}</dt>
        <dd>
          <QualityBadge quality={view.quality} data-testid="dataq-quality" />
          {status === 'error' && (
            <span className="dataq__note" role="status">
              {t('dataq.unavailable')}
            </span>
          )}
        </dd>
        {timed && (
          <>
            <dt>{t('dataq.sourceTime')}</dt>
            <dd className="figure" data-testid="dataq-time" ref={timeRef} />
            <dt>{t('dataq.received')}</dt>
            <dd className="figure" data-testid="dataq-age" ref={ageRef} />
          </>
        )}
      </dl>
    </section>
  );
}
