import { type FormEvent, useEffect, useState } from 'react';
import { can, MAX_BOOKMARK_LABEL, pickText } from '../../protocol';
import { useAuthStore } from '../auth/authStore';
import { formatSimClock } from '../hud/format';
import { UserChip } from '../hud/UserChip';
import { useT } from '../i18n/useT';
import { usePlantStore } from '../state/plantStore';
import { REPLAY_RATES } from './playback';
import { ReplayTimeline } from './ReplayTimeline';
import { addBookmark, fetchTimeline } from './replayApi';
import { replayHref } from './replayPath';
import type { ReplayPlayer } from './replayPlayer';
import { useReplayStore } from './replayStore';

/** Props of ReplayBar. */
export interface ReplayBarProps {
  player: ReplayPlayer;
  /** Recording id (for the URL and bookmarks). */
  id: string;
}

function rateLabel(r: number): string {
  return `${r}×`;
}

/**
 * The replay's top bar: a REPLAY banner nobody can take for live, what is replayed, the playback
 * time, play/pause, speed, previous/next alarm, bookmarks and the timeline scrubber. While paused
 * the address bar follows the time, so the URL can be shared to open this very moment.
 */
export function ReplayBar({ player, id }: ReplayBarProps) {
  const { t, locale } = useT();
  const layout = usePlantStore((s) => s.layout);
  const name = layout ? pickText(layout.name, layout.names, locale) : null;
  const role = useAuthStore((s) => s.role);
  const { recording, timeline, playing, rate, simS, waiting, notice, phase } = useReplayStore();
  const [label, setLabel] = useState<string | null>(null);

  useEffect(() => {
    if (playing || phase !== 'ready') return;
    window.history.replaceState(null, '', replayHref(id, simS));
  }, [playing, simS, id, phase]);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => useReplayStore.setState({ notice: null }), 4000);
    return () => clearTimeout(timer);
  }, [notice]);

  const jump = (d: 1 | -1) => {
    if (!player.jumpAlarm(d)) useReplayStore.setState({ notice: t('replay.noAlarm') });
  };
  const submitBookmark = (e: FormEvent) => {
    e.preventDefault();
    const text = (label ?? '').trim();
    if (!text) return;
    const at = player.simS;
    setLabel(null);
    void addBookmark(id, at, text).then(async (r) => {
      if (!r.ok) {
        useReplayStore.setState({ notice: r.message });
        return;
      }
      useReplayStore.setState({ notice: t('replay.bookmarkAdded', { time: formatSimClock(at) }) });
      const tl = await fetchTimeline(id);
      if (tl.ok) player.setTimeline(tl.timeline);
    });
  };
  const kind = recording
    ? t(recording.kind === 'live' ? 'replay.list.kind.live' : 'replay.list.kind.training')
    : '';
  const ready = phase === 'ready' && timeline !== null;

  return (
    <header className="replay-bar panel" data-testid="replay-bar">
      <div className="replay-bar__row">
        <span
          className="replay-banner"
          data-testid="replay-banner"
          title={t('replay.bannerTitle', { time: formatSimClock(simS) })}
        >
          {t('replay.banner')}
        </span>
        <span className="topbar__name">{name ?? t('app.name')}</span>
        <span className="replay-bar__what">
          {kind}
          {recording?.scenarioId ? ` · ${recording.scenarioId}` : ''}
          {recording ? ` · ${new Date(recording.startedAt).toLocaleString(locale)}` : ''}
          {timeline && !timeline.ended ? ` · ${t('replay.growing')}` : ''}
        </span>
        <span className="topbar__spacer" />
        {notice && (
          <span className="replay-bar__notice" role="status" data-testid="replay-notice">
            {notice}
          </span>
        )}
        <span className="replay-time figure" data-testid="replay-time" data-sim-s={simS}>
          {formatSimClock(simS)}
          {timeline && <span className="replay-time__end"> / {formatSimClock(timeline.toSimS)}</span>}
        </span>
        <a className="button" href="/replay" data-testid="replay-back">
          {t('replay.back')}
        </a>
        <UserChip />
      </div>
      <div className="replay-bar__row">
        <button
          type="button"
          className="button"
          disabled={!ready}
          title={t('replay.prevAlarmTitle')}
          onClick={() => jump(-1)}
          data-testid="replay-prev-alarm"
        >
          {t('replay.prevAlarm')}
        </button>
        <button
          type="button"
          className="button replay-play"
          disabled={!ready}
          aria-pressed={playing}
          onClick={() => (playing ? player.pause() : player.play())}
          data-testid="replay-play"
        >
          {playing ? `‖ ${t('replay.pause')}` : `▶ ${t('replay.play')}`}
        </button>
        <button
          type="button"
          className="button"
          disabled={!ready}
          title={t('replay.nextAlarmTitle')}
          onClick={() => jump(1)}
          data-testid="replay-next-alarm"
        >
          {t('replay.nextAlarm')}
        </button>
        <select
          className="replay-rate"
          aria-label={t('replay.speed')}
          title={t('replay.speed')}
          value={rate}
          onChange={(e) => player.setRate(Number(e.target.value))}
          data-testid="replay-rate"
        >
          {REPLAY_RATES.map((r) => (
            <option key={r} value={r}>
              {rateLabel(r)}
            </option>
          ))}
        </select>
        {timeline ? (
          <ReplayTimeline timeline={timeline} simS={simS} onSeek={(x) => void player.seek(x)} />
        ) : (
          <span className="replay-scrubber replay-scrubber--empty">{t('replay.opening')}</span>
        )}
        {waiting && <span className="replay-bar__waiting">{t('replay.loading')}</span>}
        {can(role, 'alarm:act') &&
          (label === null ? (
            <button
              type="button"
              className="button"
              disabled={!ready}
              onClick={() => setLabel('')}
              data-testid="replay-bookmark-add"
            >
              {t('replay.bookmark')}
            </button>
          ) : (
            <form className="replay-bookmark" onSubmit={submitBookmark}>
              <input
                // biome-ignore lint/a11y/noAutofocus: the form opens on the user's click to type a label.
                autoFocus
                className="replay-bookmark__input"
                aria-label={t('replay.bookmarkLabel')}
                placeholder={t('replay.bookmarkLabel')}
                maxLength={MAX_BOOKMARK_LABEL}
                value={label}
                onChange={(e) => setLabel(e.target.value)}
                onKeyDown={(e) => e.key === 'Escape' && setLabel(null)}
                data-testid="replay-bookmark-label"
              />
              <button type="submit" className="button" data-testid="replay-bookmark-save">
                {t('replay.bookmarkAdd')}
              </button>
            </form>
          ))}
      </div>
    </header>
  );
}
