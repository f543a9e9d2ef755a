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
import type { ScenarioExpectation, TraineeRecord } from '../../protocol/scenario';
import { evaluateExpectations } from '../../server/scenarios/expectations';
import { findMistakes } from '../../server/training/mistakes';
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

  it('finds literals in JSX text, visible attributes and condition branches, and lets ids, symbols and paths pass', () => {
    mkdirSync(join(dir, 'a'));
    writeFileSync(
      join(dir, 'a', 'X.tsx'),
      `export const X = () => (
        <div title="Fly there" data-testid="not-visible">
          Hello operator <span aria-label={'Close'}>×</span> {'Shown'} OEE <input placeholder={\`Equipment \${1}\`} />
          <button aria-label={open ? 'Collapse' : 'Expand'}>{busy && 'Saving'}{name ?? 'Unnamed'}{'/train/'}</button>
        </div>
      );`,
    );
    expect(findJsxLiterals(dir).map((l) => l.text)).toEqual([
      'Fly there',
      'Hello operator',
      'Close',
      'Shown',
      'Equipment',
      'Collapse',
      'Expand',
      'Saving',
      'Unnamed',
    ]);
  });
});

const layout = {
  name: 'Plant',
  lines: [{ id: 'L1', name: 'Line 1', names: { 'zh-CN': '1 号产线' }, zone: 'Z', flow: ['L1-R1'] }],
  equipment: [
    { id: 'L1-R1', name: 'Robot 1', names: { 'zh-CN': '1 号机器人' }, kind: 'robot-arm', zone: 'Z' },
  ],
  paths: {
    nodes: [
      {
        id: 'L1-FDR-D',
        name: 'Line 1 feeder drop-off',
        names: { 'zh-CN': '1 号产线上料点' },
        position: [0, 0],
      },
      { id: 'X-1', position: [1, 0] },
    ],
    edges: [['L1-FDR-D', 'X-1']],
  },
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

  it("names an AGV path node in Chinese with its id, and keeps an unnamed node's id", () => {
    const sent = { code: 'event.agv.sentTo', params: { equipment: 'AGV-01', node: 'L1-FDR-D' } };
    expect(renderText('zh-CN', sent, 'AGV-01 sent to node L1-FDR-D by command', ctx)).toBe(
      'AGV-01 已按命令派往节点 1 号产线上料点（L1-FDR-D）',
    );
    const bare = { code: 'cmd.agv.drivingTo', params: { equipment: 'AGV-01', node: 'X-1' } };
    expect(renderText('zh-CN', bare, 'AGV-01 driving to X-1', ctx)).toBe('AGV-01 正驶往 X-1');
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

describe('debrief details written by the server, read in Chinese', () => {
  const expectations: ScenarioExpectation[] = [
    {
      id: 'ack',
      type: 'alarm-ack',
      label: 'Acknowledge the overheat',
      labels: { 'zh-CN': '确认过热告警' },
      rule: 'arm-temp',
      equipment: 'L1-R1',
      withinS: 60,
      afterS: 0,
      required: true,
    },
    {
      id: 'stop',
      type: 'command',
      label: 'Stop the robot',
      labels: { 'zh-CN': '停止机器人' },
      equipment: ['L1-R1'],
      actions: ['stop', 'e-stop'],
      afterS: 30,
      byS: 120,
    },
    {
      id: 'run',
      type: 'line-running',
      label: 'Line 1 runs again',
      labels: { 'zh-CN': '1 号产线恢复运行' },
      line: 'L1',
      afterS: 0,
      byS: 600,
    },
  ];
  const record: TraineeRecord = {
    endS: 900,
    alarms: [
      {
        simS: 40,
        alarmId: 'arm-temp@L1-R1',
        ruleId: 'arm-temp',
        equipmentId: 'L1-R1',
        from: 'normal',
        to: 'unacknowledged',
      },
      {
        simS: 130,
        alarmId: 'arm-temp@L1-R1',
        ruleId: 'arm-temp',
        equipmentId: 'L1-R1',
        from: 'unacknowledged',
        to: 'acknowledged',
        user: 'ana',
      },
      {
        simS: 200,
        alarmId: 'arm-temp@L1-R1',
        ruleId: 'arm-temp',
        equipmentId: 'L1-R1',
        from: 'acknowledged',
        to: 'shelved',
        user: 'ana',
        reason: 'ok',
      },
    ],
    commands: [
      {
        simS: 90,
        equipmentId: 'L1-R1',
        action: 'stop',
        ok: false,
        message: 'L1-R1 is emergency-stopped: reset it first',
        text: { code: 'cmd.refused.eStopped', params: { equipment: 'L1-R1' } },
        user: 'ana',
      },
      { simS: 100, equipmentId: 'L2-R1', action: 'stop', ok: true, message: 'L2-R1 stopped', user: 'ana' },
    ],
    lines: [
      { simS: 0, line: 'L1', running: true },
      { simS: 50, line: 'L1', running: false },
      { simS: 700, line: 'L1', running: true },
    ],
  };
  const results = evaluateExpectations({ expectations }, record);
  const report = {
    id: 's1',
    scenarioId: 'hot',
    scenarioName: 'Hot robot',
    seed: 1,
    run: 0,
    simTimeS: 900,
    finished: true,
    trainees: [
      {
        user: 'ana',
        role: 'operator',
        met: 0,
        total: 3,
        acks: 1,
        commands: 2,
        results,
        acknowledgements: [],
        commandsSent: [],
        mistakes: findMistakes('ana', record, results),
      },
    ],
  } as unknown as SessionReport;
  const render = (text: CodedText | undefined, fallback: string) =>
    renderText('zh-CN', text, fallback, { layout });

  it('carries every detail and mistake as text codes beside the English sentence', () => {
    for (const r of results) expect(r.texts?.length, r.id).toBeGreaterThan(0);
    const mistakes = report.trainees[0].mistakes;
    expect(mistakes.map((m) => m.kind).sort()).toEqual(
      ['refused-command', 'shelved-without-reason', 'wrong-equipment'].sort(),
    );
    for (const m of mistakes) expect(m.texts?.length, m.kind).toBeGreaterThan(0);
  });

  it('renders the details with durations, lists, line names and refusal causes in Chinese', () => {
    const tr = localizeReport(report, 'zh-CN', render).trainees[0];
    const detail = (id: string) => tr.results.find((r) => r.id === id)!.detail;
    expect(detail('ack')).toBe('告警 arm-temp@L1-R1 于 40 秒触发，ana 在 1 分 30 秒后确认（时限 1 分钟）');
    expect(detail('stop')).toBe(
      '向 L1-R1 下发的“停止、急停”命令被拒绝；L1-R1 处于急停状态：请先复位；“停止、急停”命令还发给了 L2-R1',
    );
    expect(detail('run')).toBe('1 号产线于 50 秒停线；直到 11 分 40 秒才恢复运行（期限 10 分钟）');
    const mistakes = tr.mistakes.map((m) => m.detail);
    // The wrong-equipment mistake names the expectation by its Chinese label.
    expect(mistakes).toContain('“停止”命令发给了 L2-R1，但“停止机器人”针对的是其他设备');
    expect(mistakes).toContain('对 L1-R1 的“停止”命令被拒绝；L1-R1 处于急停状态：请先复位');
    expect(mistakes).toContain('告警 arm-temp@L1-R1 的搁置原因为“ok”：请写明原因，便于下一班交接');
    // Nothing English is left but ids, the trainee's name and the shelve reason as typed.
    const latin = [...tr.results.map((r) => r.detail), ...mistakes]
      .join(' ')
      .match(/[A-Za-z][A-Za-z0-9@.-]*/g)
      ?.filter((w) => !/[\d@-]/.test(w));
    expect(new Set(latin)).toEqual(new Set(['ana', 'ok']));
  });

  it('keeps the server English sentences in English', () => {
    const tr = localizeReport(report, 'en', (_t, f) => f).trainees[0];
    expect(tr.results.map((r) => r.detail)).toEqual(results.map((r) => r.detail));
    expect(tr.results[0].detail).toBe(
      'arm-temp@L1-R1 rose at 40 s, acknowledged by ana after 1 min 30 s (limit 1 min)',
    );
  });
});
