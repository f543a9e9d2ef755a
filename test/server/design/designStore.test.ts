import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../server/store/alarmStore';
import { type DesignStore, openDesignStore } from '../../../server/store/designStore';

const open: DesignStore[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
const dir = () => mkdtempSync(join(tmpdir(), 'plant-design-'));
const store = (d: string) => {
  const s = openDesignStore(d);
  open.push(s);
  return s;
};
const tables = (d: string): string[] => {
  const db = new Database(join(d, DB_FILE), { readonly: true });
  try {
    return db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => r.name);
  } finally {
    db.close();
  }
};

const draft = (id: string, layoutJson = '{"equipment":[]}') => ({
  id,
  name: `draft ${id}`,
  createdBy: 'eng1',
  createdAt: 1000,
  basedOn: 'live',
  layoutJson,
});

describe('the design store', () => {
  it('makes no table until the first draft, so a plant that never designed keeps its database as it was', () => {
    const d = dir();
    const s = store(d);
    expect(s.list()).toEqual([]);
    expect(s.get('d-000000000000')).toBeNull();
    expect(s.versions('d-000000000000')).toEqual([]);
    expect(s.setLayout('d-000000000000', '{}', 1)).toBe(false);
    expect(
      s.addVersion({ id: 'v-1', designId: 'd-000000000000', message: 'm', author: 'a', createdAt: 1 }),
    ).toBe(null);
    expect(tables(d).filter((t) => t.startsWith('design'))).toEqual([]);
    s.create(draft('d-000000000001'));
    expect(tables(d).filter((t) => t.startsWith('design'))).toEqual(['design_drafts', 'design_versions']);
  });

  it('keeps a version as the draft was when it was saved, whatever the draft becomes', () => {
    const s = store(dir());
    s.create(draft('d-1', '{"a":1}'));
    const v = s.addVersion({ id: 'v-1', designId: 'd-1', message: 'first', author: 'eng1', createdAt: 2000 });
    expect(v).toEqual({ id: 'v-1', designId: 'd-1', message: 'first', author: 'eng1', createdAt: 2000 });
    expect(s.setLayout('d-1', '{"a":2}', 3000)).toBe(true);
    expect(s.versionLayoutJson('v-1')).toBe('{"a":1}');
    expect(s.layoutJson('d-1')).toBe('{"a":2}');
    expect(s.get('d-1')).toMatchObject({ updatedAt: 3000, createdAt: 1000, versions: 1 });
  });

  it('refuses to change or delete a stored version, even in SQL', () => {
    const d = dir();
    const s = store(d);
    s.create(draft('d-1'));
    s.addVersion({ id: 'v-1', designId: 'd-1', message: 'first', author: 'eng1', createdAt: 2000 });
    const db = new Database(join(d, DB_FILE));
    try {
      expect(() => db.prepare("UPDATE design_versions SET message = 'x'").run()).toThrow(/immutable/);
      expect(() => db.prepare('DELETE FROM design_versions').run()).toThrow(/immutable/);
    } finally {
      db.close();
    }
    expect(s.version('v-1')).toMatchObject({ message: 'first' });
  });

  it('finds drafts and versions again after the database is closed and reopened', () => {
    const d = dir();
    const a = openDesignStore(d);
    a.create(draft('d-1', '{"b":true}'));
    a.addVersion({ id: 'v-1', designId: 'd-1', message: 'kept', author: 'eng1', createdAt: 2000 });
    // Returns nothing: the shutdown sequence awaits anything a close returns.
    expect(a.close()).toBeUndefined();
    const b = store(d);
    expect(b.list()).toEqual([
      {
        id: 'd-1',
        name: 'draft d-1',
        createdBy: 'eng1',
        createdAt: 1000,
        updatedAt: 1000,
        basedOn: 'live',
        versions: 1,
      },
    ]);
    expect(b.layoutJson('d-1')).toBe('{"b":true}');
    expect(b.versions('d-1').map((v) => v.id)).toEqual(['v-1']);
  });

  it('lists the most recently changed draft first and versions oldest first', () => {
    const s = store(':memory:');
    s.create(draft('d-1'));
    s.create({ ...draft('d-2'), createdAt: 1500 });
    expect(s.list().map((d) => d.id)).toEqual(['d-2', 'd-1']);
    s.setLayout('d-1', '{}', 5000);
    expect(s.list().map((d) => d.id)).toEqual(['d-1', 'd-2']);
    s.addVersion({ id: 'v-b', designId: 'd-1', message: '1', author: 'a', createdAt: 10 });
    s.addVersion({ id: 'v-a', designId: 'd-1', message: '2', author: 'a', createdAt: 20 });
    expect(s.versions('d-1').map((v) => v.id)).toEqual(['v-b', 'v-a']);
    expect(s.versions('d-2')).toEqual([]);
  });
});
