import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EdnFormStream } from '../../../history/edn/edn-form-stream.ts';
import { printEdn } from '../../../history/edn/edn-printer.ts';
import { EdnSyntaxError, parseEdn, parseEdnAll } from '../../../history/edn/edn-reader.ts';
import { type EdnValue, float, keyword, symbol, vector } from '../../../history/edn/edn-value.ts';

function syntaxError(text: string): EdnSyntaxError {
  try {
    parseEdn(text);
  } catch (error) {
    if (error instanceof EdnSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

describe('EDN reader: scalars', () => {
  it('reads nil, booleans, integers with N, floats with M, ##Inf and ##NaN', () => {
    expect(parseEdn('nil')).toBeNull();
    expect(parseEdn('true')).toBe(true);
    expect(parseEdn('false')).toBe(false);
    expect(parseEdn('42')).toBe(42n);
    expect(parseEdn('-7')).toBe(-7n);
    expect(parseEdn('+7')).toBe(7n);
    expect(parseEdn('0')).toBe(0n);
    expect(parseEdn('123456789012345678901234567890N')).toBe(123456789012345678901234567890n);
    expect(parseEdn('1.5')).toEqual(float(1.5));
    expect(parseEdn('-2.0e3')).toEqual(float(-2000));
    expect(parseEdn('1E-2')).toEqual(float(0.01));
    expect(parseEdn('1.')).toEqual(float(1));
    expect(parseEdn('3.25M')).toEqual({ kind: 'decimal', text: '3.25M' });
    expect(parseEdn('##Inf')).toEqual(float(Number.POSITIVE_INFINITY));
    expect(parseEdn('##-Inf')).toEqual(float(Number.NEGATIVE_INFINITY));
    expect(Number.isNaN((parseEdn('##NaN') as { value: number }).value)).toBe(true);
  });

  it('reads strings with every escape, and characters', () => {
    expect(parseEdn('"a\\"b\\\\c\\n\\t\\r\\b\\f\\u00e9"')).toBe('a"b\\c\n\t\r\b\fé');
    expect(parseEdn('"multi\nline"')).toBe('multi\nline');
    expect(parseEdn('\\a')).toEqual({ kind: 'char', char: 'a' });
    expect(parseEdn('\\newline')).toEqual({ kind: 'char', char: '\n' });
    expect(parseEdn('\\space')).toEqual({ kind: 'char', char: ' ' });
    expect(parseEdn('\\u0041')).toEqual({ kind: 'char', char: 'A' });
    expect(parseEdn('[\\( \\)]')).toEqual(
      vector([
        { kind: 'char', char: '(' },
        { kind: 'char', char: ')' },
      ]),
    );
  });

  it('reads keywords and symbols, namespaced or not', () => {
    expect(parseEdn(':invoke')).toEqual(keyword('invoke'));
    expect(parseEdn(':timed-out')).toEqual(keyword('timed-out'));
    expect(parseEdn(':jepsen.history/op')).toEqual(keyword('jepsen.history/op'));
    expect(parseEdn(':1')).toEqual(keyword('1'));
    expect(parseEdn('foo-bar?')).toEqual(symbol('foo-bar?'));
    expect(parseEdn('clojure.core/+')).toEqual(symbol('clojure.core/+'));
    expect(parseEdn('/')).toEqual(symbol('/'));
    expect(parseEdn('-')).toEqual(symbol('-'));
    expect(parseEdn('a#b')).toEqual(symbol('a#b'));
  });
});

describe('EDN reader: collections, tags, comments, discards', () => {
  it('reads Jepsen op maps with commas as whitespace', () => {
    const value = parseEdn('{:type :invoke, :f :write, :value 3, :process 0, :time 123, :index 0}');
    expect(printEdn(value)).toBe(
      '{:type :invoke, :f :write, :value 3, :process 0, :time 123, :index 0}',
    );
  });

  it('reads lists, vectors, sets and nested maps', () => {
    expect(parseEdn('(1 [2 #{3}] {:a {"b" nil}})')).toEqual({
      kind: 'list',
      items: [
        1n,
        vector([2n, { kind: 'set', items: [3n] }]),
        { kind: 'map', entries: [[keyword('a'), { kind: 'map', entries: [['b', null]] }]] },
      ],
    });
    expect(parseEdn('[]')).toEqual(vector([]));
    expect(parseEdn('{}')).toEqual({ kind: 'map', entries: [] });
  });

  it('keeps #inst, #uuid and unknown tags as tagged values', () => {
    expect(parseEdn('#inst "1985-04-12T23:20:50.52Z"')).toEqual({
      kind: 'tagged',
      tag: 'inst',
      value: '1985-04-12T23:20:50.52Z',
    });
    expect(parseEdn('#uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"')).toMatchObject({ tag: 'uuid' });
    expect(parseEdn('#jepsen.history.Op{:type :ok}')).toMatchObject({
      kind: 'tagged',
      tag: 'jepsen.history.Op',
      value: { kind: 'map' },
    });
  });

  it('skips ; comments and #_ discards, nested discards included', () => {
    expect(parseEdn('; a comment\n[1 ;two\n 3]')).toEqual(vector([1n, 3n]));
    expect(parseEdn('[1 #_2 3]')).toEqual(vector([1n, 3n]));
    expect(parseEdn('[1 #_ #_ 2 3 4]')).toEqual(vector([1n, 4n]));
    expect(parseEdn('[1 #_{:a [2]}]')).toEqual(vector([1n]));
    expect(parseEdn('#_ :gone :kept')).toEqual(keyword('kept'));
  });

  it('reads several top-level forms with the line each starts on', () => {
    const forms = parseEdnAll('{:a 1}\n\n{:b\n 2}\n:c');
    expect(forms.map((f) => f.line)).toEqual([1, 3, 5]);
  });
});

describe('EDN reader: refuses bad input, naming the line', () => {
  const cases: [string, number, RegExp][] = [
    ['{:a 1 :a 2}', 1, /duplicate map key :a/],
    ['#{1 1}', 1, /duplicate set item 1/],
    ['{:a}', 1, /even number of forms/],
    ['[1 2', 1, /unexpected end of input inside \[ opened on line 1/],
    ['\n\n(1 2]', 3, /\] closes \( opened on line 3/],
    [')', 1, /unexpected \) with nothing open/],
    ['"abc', 1, /inside a string/],
    ['"\\q"', 1, /unknown string escape \\q/],
    ['"\\u12"', 1, /bad unicode escape/],
    ['01', 1, /bad number 01/],
    ['1.2.3', 1, /bad number/],
    ['1/2', 1, /bad number 1\/2/],
    [':', 1, /bad keyword :/],
    ['::a', 1, /bad keyword ::a/],
    ['a/', 1, /bad symbol a\//],
    ['\\foo', 1, /unknown character \\foo/],
    ['#<Object>', 1, /unknown dispatch #</],
    ['##Foo', 1, /unknown symbolic value ##Foo/],
    ['[#tag]', 1, /the tag #tag has no value/],
    ['#_', 1, /nothing to discard/],
    ['', 1, /empty input/],
    ['1 2', 1, /more than one form/],
  ];
  for (const [text, line, problem] of cases) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      const error = syntaxError(text);
      expect(error.line).toBe(line);
      expect(error.problem).toMatch(problem);
    });
  }

  it('refuses forms nested too deep instead of overflowing the stack', () => {
    expect(syntaxError(`${'['.repeat(600)}${']'.repeat(600)}`).problem).toMatch(/nested deeper/);
  });
});

/** EDN values that print and read back equal: NaN aside, since NaN != NaN. */
function ednArbitrary(): fc.Arbitrary<EdnValue> {
  const name = fc.stringMatching(/^[a-z][a-z0-9\-?!.]{0,6}(\/[a-z][a-z0-9-]{0,4})?$/);
  const scalar: fc.Arbitrary<EdnValue> = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
    fc.double({ noNaN: true }).map((value) => float(value)),
    fc.string({ unit: 'binary', maxLength: 8 }),
    name.map((n) => keyword(n)),
    name.filter((n) => !['nil', 'true', 'false'].includes(n)).map((n) => symbol(n)),
    fc
      .constantFrom('a', '\n', ' ', '(', '\\', 'é')
      .map((char) => ({ kind: 'char' as const, char })),
  );
  const { value } = fc.letrec<{ value: EdnValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('value'), { maxLength: 4 }).map((items) => vector(items)),
      fc.array(tie('value'), { maxLength: 4 }).map((items) => ({ kind: 'list' as const, items })),
      fc
        .uniqueArray(fc.tuple(fc.oneof(scalar, tie('value')), tie('value')), {
          maxLength: 4,
          selector: ([k]) => printEdn(k, { canonical: true }),
        })
        .map((entries) => ({ kind: 'map' as const, entries })),
      fc
        .uniqueArray(tie('value'), {
          maxLength: 4,
          selector: (v) => printEdn(v, { canonical: true }),
        })
        .map((items) => ({ kind: 'set' as const, items })),
      tie('value').map((inner) => ({ kind: 'tagged' as const, tag: 'my.app/tag', value: inner })),
    ),
  }));
  return value;
}

describe('EDN printer', () => {
  it('prints what the reader reads back to an equal value', () => {
    fc.assert(
      fc.property(ednArbitrary(), (value) => {
        expect(parseEdn(printEdn(value))).toEqual(value);
      }),
      { numRuns: 200 },
    );
  });

  it('prints floats so they stay floats, and escapes strings', () => {
    expect(printEdn(float(3))).toBe('3.0');
    expect(printEdn(float(1e21))).toBe('1.0E21');
    expect(printEdn(float(-1.5e-7))).toBe('-1.5E-7');
    expect(printEdn(float(Number.NaN))).toBe('##NaN');
    expect(printEdn('a"\\\n\u0001')).toBe('"a\\"\\\\\\n\\u0001"');
    expect(printEdn({ kind: 'char', char: '\n' })).toBe('\\newline');
  });
});

describe('EDN form stream', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edn-stream-'));

  function streamForms(text: string, chunkBytes: number): [string, number][] {
    const file = join(dir, `f${chunkBytes}.edn`);
    writeFileSync(file, text);
    const stream = new EdnFormStream(file, chunkBytes);
    const forms: [string, number][] = [];
    try {
      for (let form = stream.next(); form !== null; form = stream.next()) {
        forms.push([printEdn(form.value), form.line]);
      }
    } finally {
      stream.dispose();
    }
    return forms;
  }

  const ops =
    '{:type :invoke, :f :read, :value nil, :process 0}\n{:type :ok, :f :read, :value "x\\"y", :process 0}\n';

  it('streams one form per line and a single vector of forms alike, across any chunk boundary', () => {
    const expected: [string, number][] = [
      ['{:type :invoke, :f :read, :value nil, :process 0}', 1],
      ['{:type :ok, :f :read, :value "x\\"y", :process 0}', 2],
    ];
    for (const chunkBytes of [1, 2, 3, 7, 64, 4096]) {
      expect(streamForms(ops, chunkBytes)).toEqual(expected);
      expect(streamForms(`[${ops}]\n`, chunkBytes)).toEqual(expected);
      expect(streamForms(`; saved by jepsen\n(${ops.trim()})`, chunkBytes)).toEqual(
        expected.map(([text, line]) => [text, line + 1]),
      );
    }
  });

  it('refuses an unclosed top-level vector and forms after it', () => {
    expect(() => streamForms(`[${ops}`, 5)).toThrow(/top-level \] is never closed/);
    expect(() => streamForms(`[${ops}] {:extra 1}`, 5)).toThrow(
      /a form after the top-level vector/,
    );
  });
});
