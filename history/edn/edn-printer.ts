/**
 * Prints EDN values as text the reader reads back to an equal value. Maps print in Jepsen's
 * style, `{:type :invoke, :f :read}`. With `canonical`, map entries and set items are sorted
 * by their own canonical text, so two equal maps written in different orders print alike: the
 * reader uses that to refuse duplicate keys.
 */
import type { EdnValue } from './edn-value.ts';

export interface PrintOptions {
  canonical?: boolean;
}

/** Deeper values are refused: the reader refuses them too, so nothing printed is unreadable. */
export const EDN_DEPTH_MAX = 512;

const CHAR_NAMES: Record<string, string> = {
  '\n': 'newline',
  ' ': 'space',
  '\t': 'tab',
  '\r': 'return',
  '\f': 'formfeed',
  '\b': 'backspace',
};

const STRING_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
  '\f': '\\f',
  '\b': '\\b',
};

function hex4(char: string): string {
  return char.charCodeAt(0).toString(16).padStart(4, '0');
}

export function printString(text: string): string {
  let escaped = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    const needsEscape = c === '"' || c === '\\' || code < 0x20 || code === 0x7f;
    escaped += needsEscape ? (STRING_ESCAPES[c] ?? `\\u${hex4(c)}`) : c;
  }
  return `"${escaped}"`;
}

function printChar(char: string): string {
  const name = CHAR_NAMES[char];
  if (name !== undefined) return `\\${name}`;
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f || (code >= 0xd800 && code <= 0xdfff)) return `\\u${hex4(char)}`;
  return `\\${char}`;
}

export function printFloat(value: number): string {
  if (Number.isNaN(value)) return '##NaN';
  if (value === Number.POSITIVE_INFINITY) return '##Inf';
  if (value === Number.NEGATIVE_INFINITY) return '##-Inf';
  if (Object.is(value, -0)) return '-0.0';
  const text = String(value);
  // A float must not read back as an integer: 3 -> 3.0, 1e+21 -> 1.0E21.
  if (/^-?\d+$/.test(text)) return `${text}.0`;
  return text.replace(/^(-?\d+)e\+?(-?\d+)$/, '$1.0E$2').replace(/e\+?/, 'E');
}

function printItems(items: EdnValue[], options: PrintOptions, depth: number): string[] {
  const printed = items.map((item) => printAt(item, options, depth + 1));
  return options.canonical === true ? printed.sort() : printed;
}

function printAt(value: EdnValue, options: PrintOptions, depth: number): string {
  if (depth > EDN_DEPTH_MAX) throw new Error(`EDN value nested deeper than ${EDN_DEPTH_MAX}`);
  if (value === null) return 'nil';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return printString(value);
  switch (value.kind) {
    case 'float':
      return printFloat(value.value);
    case 'decimal':
      return value.text;
    case 'keyword':
      return `:${value.name}`;
    case 'symbol':
      return value.name;
    case 'char':
      return printChar(value.char);
    case 'vector':
      return `[${printItems(value.items, options, depth).join(' ')}]`;
    case 'list':
      return `(${printItems(value.items, options, depth).join(' ')})`;
    case 'set':
      return `#{${printItems(value.items, options, depth).join(' ')}}`;
    case 'map': {
      const entries = value.entries.map(
        ([k, v]) => `${printAt(k, options, depth + 1)} ${printAt(v, options, depth + 1)}`,
      );
      if (options.canonical === true) entries.sort();
      return `{${entries.join(', ')}}`;
    }
    case 'tagged':
      return `#${value.tag} ${printAt(value.value, options, depth + 1)}`;
  }
}

/** EDN text for `value`. */
export function printEdn(value: EdnValue, options: PrintOptions = {}): string {
  return printAt(value, options, 0);
}

/** A text equal values share: for duplicate detection in maps and sets. */
export function canonicalEdn(value: EdnValue): string {
  return printEdn(value, { canonical: true });
}
