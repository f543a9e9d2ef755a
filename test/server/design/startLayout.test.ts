import { afterEach, describe, expect, it } from 'vitest';
import { chooseStartLayout } from '../../../server/design/startLayout';
import { type DesignStore, openDesignStore } from '../../../server/store/designStore';
import { openPublishStore, type PublishStore } from '../../../server/store/publishStore';
import { defaultLayout } from '../../helpers/server';

let designs: DesignStore;
let publications: PublishStore;
afterEach(() => {
  designs?.close();
  publications?.close();
});

function stores(layoutJson: string) {
  designs = openDesignStore(':memory:');
  publications = openPublishStore(':memory:');
  designs.create({
    id: 'd-0000000000a1',
    name: 'n',
    createdBy: 'e',
    createdAt: 1,
    basedOn: 'live',
    layoutJson,
  });
  designs.addVersion({
    id: 'v-0000000000b1',
    designId: 'd-0000000000a1',
    message: 'm',
    author: 'e',
    createdAt: 2,
  });
}

const publish = (versionId: string) =>
  publications.add({
    versionId,
    designId: versionId === 'base' ? null : 'd-0000000000a1',
    message: 'm',
    publishedBy: 'admin1',
    publishedAt: 3,
    rollback: false,
  });

describe('the layout a starting server runs', () => {
  const file = defaultLayout();
  // Valid without one conveyor (taken out of its line's flow too).
  const small = {
    ...file,
    equipment: file.equipment.filter((e) => e.id !== 'L3-C3'),
    lines: file.lines.map((l) => ({ ...l, flow: l.flow.filter((x) => x !== 'L3-C3') })),
  };
  const opts = () => ({
    plantFile: file,
    plantPath: 'plant.json',
    explicit: false,
    sources: false,
    publications,
    designs,
  });

  it('runs the plant file while nothing was published', () => {
    stores(JSON.stringify(small));
    expect(chooseStartLayout(opts())).toMatchObject({
      layout: file,
      liveSeq: null,
      why: expect.stringMatching(/nothing published/),
    });
  });

  it('runs the last published version, unless --plant or --sources was given', () => {
    stores(JSON.stringify(small));
    const p = publish('v-0000000000b1');
    const r = chooseStartLayout(opts());
    expect(r.layout.equipment).toHaveLength(71);
    expect(r).toMatchObject({
      liveSeq: p.seq,
      why: expect.stringMatching(/published version v-0000000000b1/),
    });
    expect(chooseStartLayout({ ...opts(), explicit: true })).toMatchObject({
      layout: file,
      liveSeq: null,
      why: expect.stringMatching(/--plant given/),
    });
    expect(chooseStartLayout({ ...opts(), sources: true })).toMatchObject({
      layout: file,
      liveSeq: null,
      why: expect.stringMatching(/--sources given/),
    });
  });

  it('runs the plant file after a rollback to it, as that publication', () => {
    stores(JSON.stringify(small));
    publish('v-0000000000b1');
    const back = publish('base');
    expect(chooseStartLayout(opts())).toMatchObject({
      layout: file,
      liveSeq: back.seq,
      why: expect.stringMatching(/rolled back/),
    });
  });

  it('falls back to the plant file, saying why, when the last published version does not load', () => {
    stores(JSON.stringify({ ...small, equipment: [...small.equipment, small.equipment[0]] }));
    publish('v-0000000000b1');
    expect(chooseStartLayout(opts())).toMatchObject({
      layout: file,
      liveSeq: null,
      why: expect.stringMatching(/cannot be loaded/),
    });
  });
});
