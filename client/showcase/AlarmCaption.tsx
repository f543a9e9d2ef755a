import { useServerText } from '../i18n/useServerText';
import { useT } from '../i18n/useT';
import { useTourStore } from './tourStore';

/** Props of AlarmCaption (none). */
export type AlarmCaptionProps = Record<string, never>;

/** While the tour shows an alarm: its priority, equipment and message (the alarm's own text). */
export function AlarmCaption(_: AlarmCaptionProps) {
  const { t } = useT();
  const render = useServerText();
  const focus = useTourStore((s) => s.focus);
  if (!focus) return null;
  return (
    <div className={`sc-alarm sc-alarm--${focus.priority}`} role="alert" data-testid="alarm-caption">
      <span className="sc-alarm__priority">
        {t('alarm.caption')} ·{' '}
        {t(focus.priority === 'critical' ? 'alarm.priority.critical' : 'alarm.priority.high')}
      </span>
      <span className="sc-alarm__equipment">{focus.equipmentId}</span>
      <span className="sc-alarm__message">{render(focus.text, focus.message)}</span>
    </div>
  );
}
