import { useState } from 'react';
import { can, type EquipmentSpec } from '../../protocol';
import { useAuthStore } from '../auth/authStore';
import { serverText } from '../i18n/useServerText';
import { useT } from '../i18n/useT';
import { faultChoices } from './faultMenu';
import { trainingInject } from './trainingLink';
import { useTrainingStore } from './trainingStore';

/** Props of InjectMenu. */
export interface InjectMenuProps {
  spec: EquipmentSpec;
}

/**
 * The trainer's hand injection in the inspector (training sessions only): the fault kinds that fit
 * this equipment (and a power dip on its line), and Clear. Absent on the live plant and for trainees.
 */
export function InjectMenu({ spec }: InjectMenuProps) {
  const { t } = useT();
  const inSession = useTrainingStore((s) => s.state !== null);
  const may = useAuthStore((s) => can(s.role, 'training:run'));
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (!inSession || !may) return null;
  const choices = faultChoices(spec);

  const send = async (req: Parameters<typeof trainingInject>[0]) => {
    setBusy(true);
    const r = await trainingInject(req);
    setBusy(false);
    setResult({ ok: r.ok, text: 'text' in r ? serverText(r.text, r.message) : r.message });
  };

  return (
    <section className="inject" data-testid="inject-menu" aria-label={t('trainer.injectTitle')}>
      <h3 className="commands__title">{t('trainer.injectTitle')}</h3>
      <div className="inject__row">
        <details className="inject__menu">
          <summary className="button" data-testid="inject-open">
            {t('trainer.inject')} ▾
          </summary>
          <div className="inject__list">
            {choices.map((c) => (
              <button
                key={c.kind}
                type="button"
                className="inject__item"
                disabled={busy}
                data-testid={`inject-${c.kind}`}
                onClick={(e) => {
                  (e.currentTarget.closest('details') as HTMLDetailsElement | null)?.removeAttribute('open');
                  void send({ fault: c.fault });
                }}
              >
                {t(`fault.${c.kind}`)}
                {c.target !== spec.id && (
                  <span className="inject__target"> {t('trainer.lineTarget', { line: c.target })}</span>
                )}
              </button>
            ))}
          </div>
        </details>
        <button
          type="button"
          className="button"
          disabled={busy}
          data-testid="inject-clear"
          onClick={() => void send({ clear: { equipment: spec.id } })}
        >
          {t('trainer.clear')}
        </button>
        {spec.line && (
          <button
            type="button"
            className="button"
            disabled={busy}
            title={t('fault.power-dip')}
            onClick={() => void send({ clear: { equipment: spec.line!, kind: 'power-dip' } })}
          >
            {t('trainer.clear')} · {spec.line}
          </button>
        )}
      </div>
      {result && (
        <p className={`inject__result${result.ok ? '' : ' is-refused'}`} role="status">
          {result.text}
        </p>
      )}
    </section>
  );
}
