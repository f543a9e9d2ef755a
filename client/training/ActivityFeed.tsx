import type { TrainingActivity } from '../../protocol';
import type { Locale, MessageKey } from '../i18n/messages';
import { hasMessage } from '../i18n/messages';
import { type ServerText, useServerText } from '../i18n/useServerText';
import { useT } from '../i18n/useT';
import { useTrainingStore } from './trainingStore';
import { type FeedEntry, formatDuration, isTraineeActivity } from './trainingView';

/** Props of ActivityFeed (none). */
export type ActivityFeedProps = Record<string, never>;

type T = ReturnType<typeof useT>['t'];

/** A catalog word for an id ('alarm:ack', a step's action), or the id itself. */
function word(t: T, prefix: string, id: string): string {
  const key = `${prefix}${id}`;
  return hasMessage(key) ? t(key as MessageKey) : id;
}

function activityText(a: TrainingActivity, t: T, render: ServerText, locale: Locale): string {
  if (a.event === 'join') return t('trainer.feed.join');
  if (a.event === 'leave') return t('trainer.feed.leave');
  const event = word(t, 'trainer.feed.event.', a.event);
  // A trainer's clock control names its action ('start', 'pause'…): the console's own words.
  const target = a.target && a.event === 'training:control' ? word(t, 'trainer.', a.target) : a.target;
  const what = target ? `${event} ${target}` : event;
  // The server's answer: what the clock does now, what an injection did, or why it was refused.
  const colon = locale === 'zh-CN' ? '：' : ': ';
  const answer = a.text || a.message ? `${colon}${render(a.text, a.message ?? '')}` : '';
  return a.ok ? `${what}${answer}` : `${what} — ${t('trainer.feed.refused')}${answer}`;
}

function Row({ e, t, render, locale }: { e: FeedEntry; t: T; render: ServerText; locale: Locale }) {
  if (e.kind === 'step') {
    const s = e.step;
    return (
      <li
        className={`feed__row feed__row--step${s.ok ? '' : ' is-refused'}`}
        data-kind="step"
        data-action={s.action}
      >
        <span className="feed__time figure">{formatDuration(e.simS)}</span>
        <span className="feed__who">{t('trainer.feed.step', { n: s.step + 1 })}</span>
        <span className="feed__what">
          <b>{word(t, 'trainer.step.', s.action)}</b> {render(s.text, s.message)}
        </span>
      </li>
    );
  }
  const a = e.activity;
  const trainee = isTraineeActivity(a);
  return (
    <li
      className={`feed__row${trainee ? ' feed__row--trainee' : ''}${a.ok ? '' : ' is-refused'}`}
      data-kind="activity"
      data-event={a.event}
      data-user={a.user}
    >
      <span className="feed__time figure">{formatDuration(e.simS)}</span>
      <span className="feed__who">{a.user}</span>
      <span className="feed__what">{activityText(a, t, render, locale)}</span>
    </li>
  );
}

/** What the session's participants do and the scenario steps applied, newest first, live. */
export function ActivityFeed(_: ActivityFeedProps) {
  const { t, locale } = useT();
  const render = useServerText();
  const feed = useTrainingStore((s) => s.feed);
  return (
    <section className="panel feed" aria-label={t('trainer.feed')} data-testid="trainer-feed">
      <h2 className="panel__title">
        {t('trainer.feed')}
        <span className="panel__count">{feed.length}</span>
      </h2>
      {feed.length === 0 ? (
        <p className="feed__empty">{t('trainer.feedEmpty')}</p>
      ) : (
        <ul className="feed__list">
          {feed
            .slice()
            .reverse()
            .map((e) => (
              <Row key={e.key} e={e} t={t} render={render} locale={locale} />
            ))}
        </ul>
      )}
    </section>
  );
}
