import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseSync } from 'rolldown/utils';

/** One user-visible string literal found in a component. */
export interface JsxLiteral {
  file: string;
  line: number;
  text: string;
}

/** Attributes whose value a user reads or hears (screen readers read aria-label and title). */
const VISIBLE_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'aria-description']);

/**
 * Texts that are the same in every language: symbols and punctuation, figures, the few acronyms
 * and unit symbols a Chinese plant engineer writes in Latin letters too, and URL paths.
 */
const ALLOWED = [
  /^[^\p{L}]*$/u,
  /^(OEE|AGV|5G|KPI|FPY|ms|min|s|h|kW|MW|A|P|Q|Esc|Enter|Alt\+N)$/,
  // A path of this app's own URLs ('/train/' before a join code): an address, not a word.
  /^(\/[a-z]+)+\/?$/,
];

function allowed(text: string): boolean {
  return ALLOWED.some((re) => re.test(text));
}

function listTsx(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listTsx(p));
    else if (e.name.endsWith('.tsx')) out.push(p);
  }
  return out;
}

type Node = { type: string; start: number; [k: string]: unknown };

function isNode(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && typeof (x as Node).type === 'string';
}

/** The constant text of a string or template literal (template holes as spaces), else null. */
function literalText(e: unknown): string | null {
  if (!isNode(e)) return null;
  if (e.type === 'Literal' && typeof e.value === 'string') return e.value;
  if (e.type === 'TemplateLiteral')
    return (e.quasis as { value: { cooked: string } }[]).map((q) => q.value.cooked).join(' ');
  return null;
}

/**
 * The constant texts an expression may show: a literal, or the literal branches of a condition
 * (`open ? 'Close' : 'Open'`) and of a default (`name ?? 'Unknown'`, `busy && 'Saving'`).
 */
function shownTexts(e: unknown): string[] {
  if (!isNode(e)) return [];
  const t = literalText(e);
  if (t !== null) return [t];
  if (e.type === 'ConditionalExpression') return [...shownTexts(e.consequent), ...shownTexts(e.alternate)];
  if (e.type === 'LogicalExpression') return shownTexts(e.right);
  if (e.type === 'ParenthesizedExpression') return shownTexts(e.expression);
  return [];
}

/**
 * Every string literal in JSX text, in `{'...'}` children (also as a branch of a condition or a
 * default), and in the visible attributes of the .tsx files under `root`, minus the allow-list.
 */
export function findJsxLiterals(root: string): JsxLiteral[] {
  const found: JsxLiteral[] = [];
  for (const path of listTsx(root)) {
    const source = readFileSync(path, 'utf8');
    const { program, errors } = parseSync(path, source);
    if (errors.length > 0) throw new Error(`${path}: ${errors[0].message}`);
    const report = (node: Node, raw: string) => {
      const text = raw.replace(/\s+/g, ' ').trim();
      if (text === '' || allowed(text)) return;
      const line = source.slice(0, node.start).split('\n').length;
      found.push({ file: relative(root, path), line, text });
    };
    const visit = (node: Node, parent: Node | null) => {
      if (node.type === 'JSXText') report(node, String(node.value));
      else if (node.type === 'JSXExpressionContainer' && parent?.type !== 'JSXAttribute') {
        for (const t of shownTexts(node.expression)) report(node, t);
      } else if (node.type === 'JSXAttribute') {
        const name = isNode(node.name) ? String(node.name.name) : '';
        if (VISIBLE_ATTRIBUTES.has(name)) {
          const v = node.value;
          const texts =
            isNode(v) && v.type === 'JSXExpressionContainer' ? shownTexts(v.expression) : shownTexts(v);
          for (const t of texts) report(node, t);
        }
      }
      for (const [key, child] of Object.entries(node)) {
        if (key === 'parent') continue;
        if (Array.isArray(child)) for (const c of child) isNode(c) && visit(c, node);
        else if (isNode(child)) visit(child, node);
      }
    };
    visit(program as unknown as Node, null);
  }
  return found;
}
