import type { SessionReport } from './trainingApi';
import { formatDuration } from './trainingView';

/** Texts of the exported page (the caller passes them in its locale). */
export interface ReportTexts {
  title: string;
  scenario: string;
  seed: string;
  run: string;
  simTime: string;
  finished: string;
  inProgress: string;
  trainee: string;
  met: string;
  missed: string;
  acks: string;
  commands: string;
  expectation: string;
  result: string;
  at: string;
  elapsed: string;
  detail: string;
  noTrainees: string;
  generated: string;
  mistakes: string;
  noMistakes: string;
  ackTimes: string;
  commandsSent: string;
  /** "{n} s" in the locale. */
  seconds: string;
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans SC",sans-serif;color:#1d2126;margin:32px auto;max-width:980px;padding:0 24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;display:flex;gap:12px;align-items:baseline}
.meta{color:#5b636b;margin:0 0 16px}.meta span{margin-right:18px}
.score{font-size:13px;font-weight:600;padding:2px 8px;border-radius:10px;background:#eef1f3}
.figs{color:#5b636b;font-size:13px;font-weight:400}
table{width:100%;border-collapse:collapse;margin:6px 0 8px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #dde1e4;vertical-align:top}
th{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:#5b636b}
td.num{font-variant-numeric:tabular-nums;white-space:nowrap}
h3{font-size:14px;margin:10px 0 4px}ul.mistakes{margin:0;padding-left:18px}ul.mistakes li{margin:2px 0}
.met{color:#1f7a44;font-weight:600}.missed{color:#b3261e;font-weight:600}
footer{margin-top:32px;color:#8a9198;font-size:12px}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
`;

/** A self-contained, print-friendly HTML page of a session report (no scripts, no external files). */
export function reportHtml(
  r: SessionReport,
  t: ReportTexts,
  generatedAt: string,
  /** Absolute link that opens the session's replay at a simulation time (none: no links). */
  replayUrl?: (simS: number) => string | null,
  /** The page's language (its `lang`: screen readers, CJK fonts). */
  lang = 'en',
): string {
  const e = escapeHtml;
  const secs = (n: number) => t.seconds.replace('{n}', String(Math.round(n)));
  const at = (simS: number | undefined): string => {
    if (simS === undefined) return '–';
    const url = replayUrl?.(simS);
    return url ? `<a href="${e(url)}">${formatDuration(simS)}</a>` : formatDuration(simS);
  };
  const trainees = r.trainees.length
    ? r.trainees
        .map((tr) => {
          const rows = tr.results
            .map(
              (x) =>
                `<tr><td>${e(x.label)}</td><td class="${x.met ? 'met' : 'missed'}">${x.met ? e(t.met) : e(t.missed)}</td>` +
                `<td class="num">${at(x.atS)}</td>` +
                `<td class="num">${x.elapsedS === undefined ? '–' : e(secs(x.elapsedS))}</td>` +
                `<td>${e(x.detail)}${x.wrongEquipment?.length ? ` (${e(x.wrongEquipment.join(', '))})` : ''}</td></tr>`,
            )
            .join('');
          return (
            `<section><h2>${e(tr.user)} <span class="score">${tr.met} / ${tr.total} ${e(t.met)}</span>` +
            `<span class="figs">${e(t.acks)}: ${tr.acks} · ${e(t.commands)}: ${tr.commands}</span></h2>` +
            `<table><thead><tr><th>${e(t.expectation)}</th><th>${e(t.result)}</th><th>${e(t.at)}</th><th>${e(t.elapsed)}</th><th>${e(t.detail)}</th></tr></thead>` +
            `<tbody>${rows}</tbody></table>` +
            (tr.acknowledgements?.length
              ? `<h3>${e(t.ackTimes)}</h3><ul class="mistakes">${tr.acknowledgements
                  .map((a) => `<li>${at(a.ackS)} ${e(a.alarmId)} · ${e(secs(a.elapsedS))}</li>`)
                  .join('')}</ul>`
              : '') +
            (tr.commandsSent?.length
              ? `<h3>${e(t.commandsSent)}</h3><ul class="mistakes">${tr.commandsSent
                  .map(
                    (c) =>
                      `<li>${at(c.simS)} ${e(c.action)} ${e(c.equipmentId)} ${c.ok ? '✓' : `✗ ${e(c.message)}`}</li>`,
                  )
                  .join('')}</ul>`
              : '') +
            `<h3>${e(t.mistakes)}</h3>` +
            (tr.mistakes?.length
              ? `<ul class="mistakes">${tr.mistakes.map((m) => `<li>${at(m.simS)} ${e(m.detail)}</li>`).join('')}</ul>`
              : `<p>${e(t.noMistakes)}</p>`) +
            `</section>`
          );
        })
        .join('')
    : `<p>${e(t.noTrainees)}</p>`;
  return (
    `<!doctype html><html lang="${e(lang)}"><head><meta charset="utf-8"><title>${e(t.title)} · ${e(r.scenarioName)}</title>` +
    `<style>${STYLE}</style></head><body><h1>${e(t.title)}: ${e(r.scenarioName)}</h1>` +
    `<p class="meta"><span>${e(t.scenario)}: ${e(r.scenarioId)}</span><span>${e(t.seed)}: ${r.seed}</span>` +
    `<span>${e(t.run)}: ${r.run + 1}</span><span>${e(t.simTime)}: ${formatDuration(r.simTimeS)}</span>` +
    `<span>${r.finished ? e(t.finished) : e(t.inProgress)}</span></p>${trainees}` +
    `<footer>${e(t.generated)} ${e(generatedAt)}</footer></body></html>`
  );
}

/** Offers a text as a file download (the browser's save dialog or downloads bar). */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
