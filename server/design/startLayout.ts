import { BASE_PLANT_VERSION, type Layout, parseLayout } from '../../protocol';
import type { DesignStore } from '../store/designStore';
import type { PublishStore } from '../store/publishStore';

/** Which layout the live plant starts on, and why (main logs `why`). */
export interface StartLayout {
  layout: Layout;
  /** The publication it runs (null: the plant file). */
  liveSeq: number | null;
  why: string;
}

/**
 * The layout a starting server runs: the last published version, unless the plant file was given
 * explicitly (`--plant`), the server is fed by real sources (their mapping was checked against the
 * plant file), or nothing was published. A last publication that cannot be read back (its version
 * missing or no longer valid) falls back to the plant file with the reason.
 */
export function chooseStartLayout(opts: {
  plantFile: Layout;
  plantPath: string;
  /** `--plant` was given: it wins over what was published. */
  explicit: boolean;
  /** `--sources` was given. */
  sources: boolean;
  publications: PublishStore;
  designs: DesignStore;
}): StartLayout {
  const latest = opts.publications.latest();
  const file = (why: string): StartLayout => ({ layout: opts.plantFile, liveSeq: null, why });
  if (!latest) return file(`plant file ${opts.plantPath} (nothing published)`);
  if (opts.explicit)
    return file(`plant file ${opts.plantPath} (--plant given; published ${latest.versionId} not used)`);
  if (opts.sources)
    return file(`plant file ${opts.plantPath} (--sources given; published ${latest.versionId} not used)`);
  if (latest.versionId === BASE_PLANT_VERSION)
    return {
      layout: opts.plantFile,
      liveSeq: latest.seq,
      why: `plant file ${opts.plantPath} (rolled back to it)`,
    };
  const json = opts.designs.versionLayoutJson(latest.versionId);
  const parsed = json === null ? null : parseLayout(JSON.parse(json) as unknown);
  if (!parsed?.ok)
    return file(`plant file ${opts.plantPath} (published ${latest.versionId} cannot be loaded)`);
  return {
    layout: parsed.layout,
    liveSeq: latest.seq,
    why: `published version ${latest.versionId} (by ${latest.publishedBy})`,
  };
}
