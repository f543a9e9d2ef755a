import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

/**
 * Scenario files as text: YAML or JSON parsed into a plain value, with a map from a value's path
 * (as zod reports it: ['timeline', 3, 'fault', 'kind']) to its line in the file, so every error
 * can say where to look. JSON is parsed by JSON.parse (strict JSON); its positions come from the
 * `yaml` package's parse of the same text (JSON is YAML flow syntax).
 */

export type SourceFormat = 'yaml' | 'json';

/** The parsed value and a path-to-line lookup, or the syntax errors. */
export type ParsedSource =
  | {
      ok: true;
      value: unknown;
      /** 1-based line of the value at `path` (of its key with `key`), or of its nearest existing parent. */
      lineOf: (path: readonly PropertyKey[], key?: boolean) => number | undefined;
    }
  | { ok: false; errors: string[] };

/** The format a file name implies (.yaml/.yml or .json), or null. */
export function formatOf(fileName: string): SourceFormat | null {
  if (/\.ya?ml$/i.test(fileName)) return 'yaml';
  if (/\.json$/i.test(fileName)) return 'json';
  return null;
}

/** Parses YAML or JSON text. Never throws: syntax errors come back as messages with their line. */
export function parseSourceText(text: string, format: SourceFormat): ParsedSource {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  let value: unknown;
  if (format === 'json') {
    try {
      value = JSON.parse(text);
    } catch (err) {
      return { ok: false, errors: [`(root): not valid JSON: ${jsonError(err as Error, counter)}`] };
    }
  } else {
    if (doc.errors.length > 0)
      return {
        ok: false,
        errors: doc.errors.map(
          (e) => `(root): not valid YAML: ${e.message} (line ${counter.linePos(e.pos[0]).line})`,
        ),
      };
    value = doc.toJS({ maxAliasCount: 100 });
  }
  const lineOf = (path: readonly PropertyKey[], key = false): number | undefined => {
    const node = locate(doc.contents as Node | null, path, key);
    const start = node?.range?.[0];
    return start === undefined ? undefined : counter.linePos(start).line;
  };
  return { ok: true, value, lineOf };
}

/** The node at `path` (the key node of its last step with `key`), or the deepest one that exists. */
function locate(root: Node | null, path: readonly PropertyKey[], key: boolean): Node | null {
  let node: Node | null = root;
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step),
      );
      if (!pair) return node;
      if (last && key && pair.key) return pair.key as Node;
      node = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step] as Node | undefined;
      if (!item) return node;
      node = item;
    } else return node;
  }
  return node;
}

/** JSON.parse's message with the line it points at (Node gives a character position). */
function jsonError(err: Error, counter: LineCounter): string {
  const msg = err.message;
  const at = /position (\d+)/.exec(msg);
  if (!at || /line \d+/.test(msg)) return msg;
  return `${msg} (line ${counter.linePos(Number(at[1])).line})`;
}
