import type { TrainingActivity } from '../../protocol';
import { useT } from '../i18n/useT';
import { useTrainingStore } from './trainingStore';
import { type FeedEntry, formatDuration, isTraineeActivity } from './trainingView';

/** Props of ActivityFeed (none). */
export type ActivityFeedProps = Record<string, never>;

type T = ReturnType<typeof useT>['t'];

function activityText(a: TrainingActivity, t: T): string {
  if (a.event === 'join') return t('trainer.feed.join');
  if (a.event === 'leave') return t('trainer.feed.leave');
  const what = a.target ? `${a.event} ${a.target}` : a.event;
  return a.ok ? what : `${what} — ${t('trainer.feed.refused')}${a.message ? `: ${a.message}` : ''}`;
}

function Row({ e, t }: { e: FeedEntry; t: T }) {
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
          <b>{s.action}</b> {s.message}
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
      <span className="feed__what">{activityText(a, t)}</span>
    </li>
  );
}

/** What the session's participants do and the scenario steps applied, newest first, live. */
export function ActivityFeed(_: ActivityFeedProps) {
  const { t } = useT();
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
              <Row key={e.key} e={e} t={t} />
            ))}
        </ul>
      )}
    </section>
  );
}
