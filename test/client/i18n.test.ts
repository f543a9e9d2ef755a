import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderText } from '../../client/i18n/codedText';
import { pickLocale } from '../../client/i18n/locale';
import { applyRememberedLocale, useLocaleStore } from '../../client/i18n/localeStore';
import { CATALOG, type MessageKey } from '../../client/i18n/messages';
import { refusalText } from '../../client/i18n/refusalText';
import { SERVER_TEXTS_ZH } from '../../client/i18n/serverTextsZh';
import { SIGNAL_NAMES_ZH, signalLabel } from '../../client/i18n/signalNames';
import { localizeReport } from '../../client/training/localizeReport';
import { type ReportTexts, reportHtml } from '../../client/training/reportHtml';
import type { SessionReport } from '../../client/training/trainingApi';
import {
  type CodedText,
  EN_TEXTS,
  EQUIPMENT_KINDS,
  type Layout,
  signalsOf,
  TEXT_CODES,
} from '../../protocol';
import { findJsxLiterals } from './jsxLiterals';

const CJK = /[\u4e00-\u9fff]/;
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  const keys = Object.keys(CATALOG.en) as MessageKey[];

  it('has every key in both languages, with the same placeholders', () => {
    expect(Object.keys(CATALOG['zh-CN']).sort()).toEqual([...keys].sort());
    for (const k of keys) {
      expect(CATALOG['zh-CN'][k], k).toBeTruthy();
      expect(placeholders(CATALOG['zh-CN'][k]), k).toEqual(placeholders(CATALOG.en[k]));
    }
  });

  it('writes the Chinese catalog in Chinese (apart from names that stay Latin)', () => {
    const bare = (k: MessageKey) => CATALOG['zh-CN'][k].replace(/\{\w+\}/g, '');
    const latinOnly = keys.filter((k) => !CJK.test(bare(k)) && /[A-Za-z]{3}/.test(bare(k)));
    expect(latinOnly).toEqual(['lang.en']);
  });

  it('has a Chinese template for every text code the server emits, with its placeholders', () => {
    for (const code of TEXT_CODES) {
      const zh = SERVER_TEXTS_ZH[code];
      expect(zh, code).toMatch(CJK);
      // `{line}` may be written without the English "Line" around it; the rest must all be used.
      expect(placeholders(zh), code).toEqual(placeholders(EN_TEXTS[code]));
    }
    expect(Object.keys(SERVER_TEXTS_ZH).sort()).toEqual([...TEXT_CODES].sort());
  });

  it('names every signal of every equipment kind in Chinese', () => {
    for (const kind of EQUIPMENT_KINDS)
      for (const def of signalsOf(kind)) {
        expect(SIGNAL_NAMES_ZH[kind][def.key], `${kind}.${def.key}`).toMatch(CJK);
        expect(signalLabel('en', kind, def)).toBe(def.label);
      }
  });

  it('has a text in both languages for every refusal code', () => {
    for (const code of [
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'INVALID',
      'RATE_LIMITED',
      'CONFIRMATION_REQUIRED',
      'NOT_FOUND',
      'CONFLICT',
      'INTERNAL',
      'TIMEOUT',
      'OFFLINE',
    ]) {
      expect(refusalText('zh-CN', { code, message: 'English detail' }), code).toMatch(CJK);
      expect(refusalText('en', { code }), code).not.toMatch(CJK);
    }
    // English keeps the server's precise message.
    expect(refusalText('en', { code: 'CONFLICT', message: 'alarm already acknowledged' })).toBe(
      'alarm already acknowledged',
    );
  });
});

describe('components', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jsx-literals-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves no user-visible string literal in any component', () => {
    expect(findJsxLiterals(join(import.meta.dirname, '../../client'))).toEqual([]);
  });

  it('finds literals in JSX text and visible attributes, and lets ids and symbols pass', () => {
    mkdirSync(join(dir, 'a'));
    writeFileSync(
      join(dir, 'a', 'X.tsx'),
      `export const X = () => (
        <div title="Fly there" data-testid="not-visible">
          Hello operator <span aria-label={'Close'}>×</span> {'Shown'} OEE <input placeholder={\`Equipment \${1}\`} />
        </div>
      );`,
    );
    expect(findJsxLiterals(dir).map((l) => l.text)).toEqual([
      'Fly there',
      'Hello operator',
      'Close',
      'Shown',
      'Equipment',
    ]);
  });
});

const layout = {
  name: 'Plant',
  lines: [{ id: 'L1', name: 'Line 1', names: { 'zh-CN': '1 号产线' }, zone: 'Z', flow: ['L1-R1'] }],
  equipment: [
    { id: 'L1-R1', name: 'Robot 1', names: { 'zh-CN': '1 号机器人' }, kind: 'robot-arm', zone: 'Z' },
  ],
} as unknown as Layout;

describe('server texts', () => {
  const ctx = {
    layout,
    alarmTemplates: {
      'arm-temp': {
        en: '{name}: joint {value} {unit} above {limit}',
        'zh-CN': '{name}：关节温度 {value} {unit}，超过 {limit}',
      },
    },
  };
  const alarmText = {
    code: 'alarm.rule',
    params: { rule: 'arm-temp', id: 'L1-R1', value: 92.44, limit: 85, unit: '°C' },
  };

  it('renders an alarm in the reader language with the equipment name from the layout', () => {
    expect(renderText('zh-CN', alarmText, 'English', ctx)).toBe('1 号机器人：关节温度 92.4 °C，超过 85');
    expect(renderText('en', alarmText, 'English', ctx)).toBe('Robot 1: joint 92.4 °C above 85');
  });

  it('renders a plant event with the line name in Chinese and the server English in English', () => {
    const text = { code: 'event.line.starved', params: { line: 'L1', feeder: 'L1-FDR' } };
    expect(renderText('zh-CN', text, 'Line L1 starved: feeder L1-FDR is empty', ctx)).toBe(
      '1 号产线缺料：上料仓 L1-FDR 已空',
    );
    expect(renderText('en', text, 'Line L1 starved: feeder L1-FDR is empty', ctx)).toBe(
      'Line L1 starved: feeder L1-FDR is empty',
    );
  });

  it('translates kinds and actions the server sends as ids', () => {
    const text = { code: 'cmd.refused.noCommandsFor', params: { action: 'go-to', kind: 'robot-arm' } };
    expect(renderText('zh-CN', text, 'x', ctx)).toBe('“前往”不是工业机器人的命令');
  });

  it('falls back to the English message for an unknown code, a missing template or no code', () => {
    expect(renderText('zh-CN', { code: 'event.future', params: {} }, 'Something new', ctx)).toBe(
      'Something new',
    );
    expect(renderText('zh-CN', { code: 'alarm.rule', params: { rule: 'gone', id: 'X' } }, 'Old', ctx)).toBe(
      'Old',
    );
    expect(renderText('zh-CN', undefined, 'Recorded before codes', ctx)).toBe('Recorded before codes');
  });

  it('picks a scenario message in the reader language', () => {
    const text = { code: 'text.localized', params: { en: 'Check line 2', 'zh-CN': '检查 2 号产线' } };
    expect(renderText('zh-CN', text, 'Check line 2', ctx)).toBe('检查 2 号产线');
    expect(renderText('en', text, 'Check line 2', ctx)).toBe('Check line 2');
  });
});

describe('choosing the language', () => {
  it('takes ?lang= first, then the browser language, then English', () => {
    expect(pickLocale('?lang=zh-CN', ['en-US'])).toBe('zh-CN');
    expect(pickLocale('', ['zh-Hans-CN', 'en'])).toBe('zh-CN');
    expect(pickLocale('', ['fr-FR'])).toBe('en');
  });

  it('applies the language remembered on the server unless ?lang= pinned the page', () => {
    useLocaleStore.setState({ locale: 'en', pinned: false });
    applyRememberedLocale('zh-CN');
    expect(useLocaleStore.getState().locale).toBe('zh-CN');
    useLocaleStore.setState({ locale: 'en', pinned: true });
    applyRememberedLocale('zh-CN');
    expect(useLocaleStore.getState().locale).toBe('en');
    useLocaleStore.setState({ pinned: false });
    applyRememberedLocale('klingon');
    applyRememberedLocale(null);
    expect(useLocaleStore.getState().locale).toBe('en');
  });
});

describe('training report in the reader language', () => {
  const report = {
    id: 's1',
    scenarioId: 'jam',
    scenarioName: 'Conveyor jam',
    seed: 1,
    run: 0,
    simTimeS: 300,
    finished: true,
    trainees: [
      {
        user: 'ana',
        role: 'operator',
        met: 0,
        total: 1,
        acks: 0,
        commands: 1,
        results: [
          {
            id: 'e1',
            type: 'alarm-ack',
            label: 'Acknowledge the jam',
            labels: { 'zh-CN': '确认卡料告警' },
            met: false,
            reason: 'acknowledged-late',
            detail: 'acknowledged after 95 s (limit 60 s)',
            elapsedS: 95,
          },
        ],
        acknowledgements: [],
        commandsSent: [
          {
            simS: 80,
            equipmentId: 'L1-R1',
            action: 'reset',
            ok: false,
            message: 'L1-R1 has no fault to reset',
            text: { code: 'cmd.refused.noFaultToReset', params: { equipment: 'L1-R1' } },
          },
        ],
        mistakes: [{ kind: 'refused-command', simS: 80, target: 'L1-R1', detail: 'reset refused' }],
      },
    ],
  } as unknown as SessionReport;
  const render = (text: CodedText | undefined, fallback: string) =>
    renderText('zh-CN', text, fallback, { layout });

  it('writes labels, results, command answers and mistakes in Chinese, numbers as recorded', () => {
    const zh = localizeReport(report, 'zh-CN', render, { 'zh-CN': '输送线卡料' });
    const tr = zh.trainees[0];
    expect(zh.scenarioName).toBe('输送线卡料');
    expect(tr.results[0].label).toBe('确认卡料告警');
    expect(tr.results[0].detail).toBe('确认超时（95 秒）');
    expect(tr.commandsSent[0]).toMatchObject({ action: '复位', message: 'L1-R1 没有需要复位的故障' });
    expect(tr.mistakes[0].detail).toBe('命令被现场拒绝：L1-R1');
    const html = reportHtml(
      zh,
      new Proxy({}, { get: () => '报告' }) as ReportTexts,
      '2026-01-01',
      undefined,
      'zh-CN',
    );
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('确认超时（95 秒）');
  });

  it('keeps the server details in English', () => {
    const en = localizeReport(report, 'en', (_t, f) => f);
    expect(en.trainees[0].results[0].detail).toBe('acknowledged after 95 s (limit 60 s)');
    expect(en.trainees[0].mistakes[0].detail).toBe('reset refused');
  });
});
