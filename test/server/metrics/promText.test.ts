import { describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleSum, sampleValue } from '../../helpers/promText';

const GOOD = `# HELP a_total Things done.
# TYPE a_total counter
a_total{kind="x"} 3
a_total{kind="y\\"z"} 4
# HELP h Durations.
# TYPE h histogram
h_bucket{le="0.1"} 1
h_bucket{le="1"} 2
h_bucket{le="+Inf"} 2
h_sum 0.6
h_count 2
`;

describe('the test parser of the Prometheus text format', () => {
  it('reads families, labels with escapes and histogram samples', () => {
    const m = parsePrometheusText(GOOD);
    expect(m.get('a_total')).toMatchObject({ type: 'counter', help: 'Things done.' });
    expect(sampleValue(m, 'a_total', { kind: 'y"z' })).toBe(4);
    expect(sampleSum(m, 'a_total')).toBe(7);
    expect(sampleValue(m, 'h_count')).toBe(2);
  });

  it.each([
    ['a sample without a TYPE before it', 'x 1\n'],
    ['a bad value', '# TYPE x gauge\nx one\n'],
    ['an unterminated label value', '# TYPE x gauge\nx{a="b} 1\n'],
    ['a bad escape', '# TYPE x gauge\nx{a="\\t"} 1\n'],
    ['a label twice', '# TYPE x gauge\nx{a="1",a="2"} 1\n'],
    ['a TYPE after the samples', '# TYPE x gauge\nx 1\n# TYPE x gauge\n'],
    ['an unknown type', '# TYPE x meter\n'],
    ['no final newline', '# TYPE x gauge\nx 1'],
    ['buckets that go down', GOOD.replace('h_bucket{le="1"} 2', 'h_bucket{le="1"} 0')],
    ['a +Inf bucket that is not the count', GOOD.replace('h_count 2', 'h_count 3')],
    ['a counter sample of another name', '# TYPE x counter\nx_bucket 1\n'],
  ])('rejects %s', (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
