import type { Layout } from '../../protocol';
import { type AlarmStore, openAlarmStore } from '../store/alarmStore';
import { AlarmBook } from './alarmBook';
import { compileRules } from './compile';
import { DEFAULT_RULES, loadRulesFile } from './ruleSchema';

export type AlarmSetup =
  | { ok: true; book: AlarmBook; store: AlarmStore }
  | { ok: false; title: string; errors: string[] };

/**
 * Loads and binds the rules file to the plant and opens the store in `dataDir` (':memory:' for
 * none). Never throws: a bad rules file or an unusable data directory comes back as messages, and
 * main.ts refuses to start.
 */
export function setUpAlarms(
  layout: Layout,
  opts: {
    rulesPath?: string;
    dataDir: string;
    /** Ids of equipment hidden from this plant (`unmapped: hide`): rules may still name them. */
    hidden?: ReadonlySet<string>;
  },
): AlarmSetup {
  const path = opts.rulesPath ?? DEFAULT_RULES;
  const rules = loadRulesFile(path);
  if (!rules.ok) return { ok: false, title: `Alarm rules ${path} are not valid:`, errors: rules.errors };
  const compiled = compileRules(rules.rules, layout, { hidden: opts.hidden });
  if (!compiled.ok)
    return { ok: false, title: `Alarm rules ${path} do not fit the plant:`, errors: compiled.errors };
  let store: AlarmStore;
  try {
    store = openAlarmStore(opts.dataDir);
  } catch (err) {
    return {
      ok: false,
      title: `Cannot open the alarm database in ${opts.dataDir}:`,
      errors: [(err as Error).message],
    };
  }
  try {
    return { ok: true, book: new AlarmBook(compiled.compiled, store, layout), store };
  } catch (err) {
    store.close();
    return {
      ok: false,
      title: `Cannot load the alarms from ${opts.dataDir}:`,
      errors: [(err as Error).message],
    };
  }
}

/** The default rules over an in-memory store (tests, benches, sessions built without a data dir). */
export function inMemoryAlarms(layout: Layout): AlarmBook {
  const s = setUpAlarms(layout, { dataDir: ':memory:' });
  if (!s.ok) throw new Error(`${s.title}\n${s.errors.join('\n')}`);
  return s.book;
}
