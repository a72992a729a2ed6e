/**
 * A strict EDN reader (https://github.com/edn-format/edn): nil, booleans, integers (N suffix),
 * floats (M suffix, ##Inf, ##-Inf, ##NaN), strings with escapes, characters, keywords, symbols,
 * lists, vectors, maps, sets, tagged literals (kept as tagged values), `;` comments, `#_`
 * discards, commas as whitespace. Duplicate map keys or set items are errors, as the spec says.
 *
 * The parser reads one top-level form at a time from a window of text. When the window ends in
 * the middle of a form and more text may follow (`atEof` false), it throws EdnIncomplete and the
 * caller retries with a longer window: that is how files stream without a streaming grammar.
 */
import { canonicalEdn, EDN_DEPTH_MAX } from './edn-printer.ts';
import { type EdnChar, type EdnMap, type EdnValue, float, keyword, symbol } from './edn-value.ts';

/** Bad EDN: the 1-based line where the reader noticed, and what is wrong. */
export class EdnSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'EdnSyntaxError';
  }
}

/** The text ended inside a form and more may come: retry with more text. */
export class EdnIncomplete extends Error {
  constructor() {
    super('EDN text ended inside a form');
    this.name = 'EdnIncomplete';
  }
}

export interface ReadForm {
  value: EdnValue;
  /** The line the form starts on. */
  line: number;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r', '\f', '\v', ',']);
const DELIMITERS = new Set([...WHITESPACE, '(', ')', '[', ']', '{', '}', '"', ';']);
const CLOSERS = new Set([')', ']', '}']);
const CHAR_NAMES: Record<string, string> = {
  newline: '\n',
  space: ' ',
  tab: '\t',
  return: '\r',
  formfeed: '\f',
  backspace: '\b',
};
const STRING_ESCAPES: Record<string, string> = {
  t: '\t',
  r: '\r',
  n: '\n',
  '\\': '\\',
  '"': '"',
  b: '\b',
  f: '\f',
};
const INTEGER = /^([+-]?)(0|[1-9]\d*)N?$/;
const FLOAT = /^[+-]?(0|[1-9]\d*)(\.\d*)?([eE][+-]?\d+)?(M)?$/;
const SYMBOL_PART = /^[\p{L}\p{N}.*+!\-_?$%&=<>:#']+$/u;
const SYMBOLIC_FLOATS: Record<string, number> = {
  Inf: Number.POSITIVE_INFINITY,
  '-Inf': Number.NEGATIVE_INFINITY,
  NaN: Number.NaN,
};

function isSymbolPart(part: string, leadingDigitAllowed: boolean): boolean {
  if (!SYMBOL_PART.test(part) || part[0] === ':' || part[0] === '#') return false;
  if (!leadingDigitAllowed && /^([+\-.]?\d)/.test(part)) return false;
  return true;
}

/** Symbol rules of the spec; keywords may start with a digit (`:1`), as Clojure writes them. */
export function isSymbolName(name: string, leadingDigitAllowed = false): boolean {
  if (name === '/') return !leadingDigitAllowed;
  const slash = name.indexOf('/');
  if (slash === -1) return isSymbolPart(name, leadingDigitAllowed);
  const namespace = name.slice(0, slash);
  const local = name.slice(slash + 1);
  return (
    isSymbolPart(namespace, leadingDigitAllowed) &&
    local.length > 0 &&
    !local.includes('/') &&
    isSymbolPart(local, true)
  );
}

export class EdnParser {
  /** Where the next read starts; the caller keeps it to resume. */
  pos: number;
  /** The 1-based line of `pos`. */
  line: number;

  constructor(
    private readonly text: string,
    options: { pos?: number; line?: number; atEof?: boolean } = {},
  ) {
    this.pos = options.pos ?? 0;
    this.line = options.line ?? 1;
    this.atEof = options.atEof ?? true;
  }

  private readonly atEof: boolean;

  /** The next top-level form, or null when only whitespace and comments remain. */
  readForm(): ReadForm | null {
    this.skipSpace();
    if (this.pos >= this.text.length) return this.endOfText(null);
    const line = this.line;
    return { value: this.readValue(0), line };
  }

  /**
   * Inside an open collection whose opening bracket the caller consumed: the next item, or
   * 'close' after consuming `close`.
   */
  readItemOrClose(close: string): ReadForm | 'close' | null {
    this.skipSpace();
    if (this.pos >= this.text.length) return this.endOfText(null);
    if (this.text[this.pos] === close) {
      this.pos += 1;
      return 'close';
    }
    const line = this.line;
    return { value: this.readValue(1), line };
  }

  /** The next significant character, without consuming it; undefined at the end. */
  peekSignificant(): string | undefined {
    this.skipSpace();
    if (this.pos >= this.text.length) return this.endOfText(undefined);
    return this.text[this.pos];
  }

  /** Consumes one character the caller has peeked. */
  consume(): void {
    if (this.pos >= this.text.length) throw new Error('EdnParser.consume past the end');
    if (this.text[this.pos] === '\n') this.line += 1;
    this.pos += 1;
  }

  private endOfText<T>(value: T): T {
    if (!this.atEof) throw new EdnIncomplete();
    return value;
  }

  private fail(problem: string): never {
    throw new EdnSyntaxError(this.line, problem);
  }

  /** Fails, or asks for more text, when the text ends where a form needs more. */
  private needMore(what: string): never {
    if (!this.atEof) throw new EdnIncomplete();
    this.fail(`unexpected end of input ${what}`);
  }

  private skipSpace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text[this.pos]!;
      if (WHITESPACE.has(c)) {
        if (c === '\n') this.line += 1;
        this.pos += 1;
      } else if (c === ';') {
        const newline = text.indexOf('\n', this.pos);
        if (newline === -1) {
          if (!this.atEof) throw new EdnIncomplete();
          this.pos = text.length;
        } else this.pos = newline;
      } else if (c === '#' && this.pos + 1 >= text.length && !this.atEof) {
        throw new EdnIncomplete();
      } else if (c === '#' && text[this.pos + 1] === '_') {
        this.pos += 2;
        this.skipSpace();
        if (this.pos >= text.length) this.needMore('after #_ (nothing to discard)');
        this.readValue(0);
      } else return;
    }
  }

  private readValue(depth: number): EdnValue {
    if (depth > EDN_DEPTH_MAX) this.fail(`forms nested deeper than ${EDN_DEPTH_MAX}`);
    const c = this.text[this.pos];
    switch (c) {
      case '(':
        return { kind: 'list', items: this.readItems(')', depth) };
      case '[':
        return { kind: 'vector', items: this.readItems(']', depth) };
      case '{':
        return this.readMap(depth);
      case '"':
        return this.readString();
      case '\\':
        return this.readChar();
      case '#':
        return this.readDispatch(depth);
      case undefined:
        return this.needMore('where a form was expected');
      default:
        if (CLOSERS.has(c)) this.fail(`unexpected ${c} with nothing open`);
        return this.readAtom();
    }
  }

  private readItems(close: string, depth: number): EdnValue[] {
    const open = this.text[this.pos];
    const openLine = this.line;
    this.pos += 1;
    const items: EdnValue[] = [];
    // Every item consumes at least one character, so the text's length bounds the loop.
    for (let guard = this.text.length; guard >= 0; guard -= 1) {
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === undefined) this.needMore(`inside ${open} opened on line ${openLine}`);
      if (c === close) {
        this.pos += 1;
        return items;
      }
      if (CLOSERS.has(c)) this.fail(`${c} closes ${open} opened on line ${openLine}`);
      items.push(this.readValue(depth + 1));
    }
    throw new Error('EdnParser.readItems: more items than characters');
  }

  private readMap(depth: number): EdnMap {
    const line = this.line;
    const items = this.readItems('}', depth);
    if (items.length % 2 !== 0) {
      throw new EdnSyntaxError(line, 'a map needs an even number of forms (key value pairs)');
    }
    const seen = new Set<string>();
    const entries: [EdnValue, EdnValue][] = [];
    for (let i = 0; i < items.length; i += 2) {
      const key = canonicalEdn(items[i]!);
      if (seen.has(key)) throw new EdnSyntaxError(line, `duplicate map key ${key}`);
      seen.add(key);
      entries.push([items[i]!, items[i + 1]!]);
    }
    return { kind: 'map', entries };
  }

  private readSet(depth: number): EdnValue {
    const line = this.line;
    this.pos += 1; // the '#'; readItems consumes the '{'
    const items = this.readItems('}', depth);
    const seen = new Set<string>();
    for (const item of items) {
      const key = canonicalEdn(item);
      if (seen.has(key)) throw new EdnSyntaxError(line, `duplicate set item ${key}`);
      seen.add(key);
    }
    return { kind: 'set', items };
  }

  private readString(): string {
    const text = this.text;
    const parts: string[] = [];
    let start = this.pos + 1;
    for (let i = start; i <= text.length; i += 1) {
      const c = text[i];
      if (c === undefined) {
        this.pos = text.length;
        this.needMore('inside a string');
      }
      if (c === '"') {
        parts.push(text.slice(start, i));
        this.pos = i + 1;
        return parts.join('');
      }
      if (c === '\n') this.line += 1;
      if (c !== '\\') continue;
      parts.push(text.slice(start, i));
      const [unescaped, width] = this.readEscape(i + 1);
      parts.push(unescaped);
      i += width;
      start = i + 1;
    }
    throw new Error('EdnParser.readString: ran past the text');
  }

  /** The escape after a backslash at `at`: the text it stands for and how many chars it used. */
  private readEscape(at: number): [string, number] {
    const e = this.text[at];
    if (e === undefined) this.needMore('inside a string escape');
    const simple = STRING_ESCAPES[e];
    if (simple !== undefined) return [simple, 1];
    if (e !== 'u') this.fail(`unknown string escape \\${e}`);
    const digits = this.text.slice(at + 1, at + 5);
    if (digits.length < 4 && !this.atEof) throw new EdnIncomplete();
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) this.fail(`bad unicode escape \\u${digits}`);
    return [String.fromCharCode(Number.parseInt(digits, 16)), 5];
  }

  private readToken(): string {
    const start = this.pos;
    while (this.pos < this.text.length && !DELIMITERS.has(this.text[this.pos]!)) this.pos += 1;
    // A token that touches the end of the window may go on in the next one.
    if (this.pos >= this.text.length && !this.atEof) throw new EdnIncomplete();
    return this.text.slice(start, this.pos);
  }

  private readChar(): EdnChar {
    this.pos += 1;
    const first = this.text.codePointAt(this.pos);
    if (first === undefined) this.needMore('after \\');
    const firstChar = String.fromCodePoint(first);
    if (WHITESPACE.has(firstChar))
      this.fail('a backslash followed by whitespace is not a character');
    this.pos += firstChar.length;
    const rest = /[\p{L}\p{N}]/u.test(firstChar) ? this.readToken() : '';
    if (rest === '') return { kind: 'char', char: firstChar };
    const name = firstChar + rest;
    const named = CHAR_NAMES[name];
    if (named !== undefined) return { kind: 'char', char: named };
    if (/^u[0-9a-fA-F]{4}$/.test(name)) {
      return { kind: 'char', char: String.fromCharCode(Number.parseInt(name.slice(1), 16)) };
    }
    return this.fail(`unknown character \\${name}`);
  }

  private readDispatch(depth: number): EdnValue {
    const next = this.text[this.pos + 1];
    if (next === undefined) this.needMore('after #');
    if (next === '{') return this.readSet(depth);
    if (next === '#') {
      this.pos += 2;
      const name = this.readToken();
      const value = SYMBOLIC_FLOATS[name];
      if (value === undefined) this.fail(`unknown symbolic value ##${name}`);
      return float(value);
    }
    if (!/\p{L}/u.test(next)) this.fail(`unknown dispatch #${next}`);
    const tagLine = this.line;
    this.pos += 1;
    const tag = this.readToken();
    if (!isSymbolName(tag)) this.fail(`bad tag #${tag}`);
    this.skipSpace();
    if (this.pos >= this.text.length) this.needMore(`after the tag #${tag}`);
    if (CLOSERS.has(this.text[this.pos]!)) {
      throw new EdnSyntaxError(tagLine, `the tag #${tag} has no value`);
    }
    return { kind: 'tagged', tag, value: this.readValue(depth + 1) };
  }

  private readAtom(): EdnValue {
    const token = this.readToken();
    if (/^[+-]?\d/.test(token)) return this.parseNumber(token);
    if (token === 'nil') return null;
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (token.startsWith(':')) {
      const name = token.slice(1);
      if (!isSymbolName(name, true)) this.fail(`bad keyword ${token}`);
      return keyword(name);
    }
    if (!isSymbolName(token)) this.fail(`bad symbol ${token}`);
    return symbol(token);
  }

  private parseNumber(token: string): EdnValue {
    if (INTEGER.test(token)) return BigInt(token.replace(/N$/, ''));
    const match = FLOAT.exec(token);
    if (
      match === null ||
      (match[2] === undefined && match[3] === undefined && match[4] === undefined)
    ) {
      this.fail(`bad number ${token}`);
    }
    if (match[4] !== undefined) return { kind: 'decimal', text: token };
    return float(Number(token));
  }
}

/** Reads text holding exactly one form. */
export function parseEdn(text: string): EdnValue {
  const parser = new EdnParser(text);
  const form = parser.readForm();
  if (form === null) throw new EdnSyntaxError(parser.line, 'no form (empty input)');
  if (parser.readForm() !== null) {
    throw new EdnSyntaxError(parser.line, 'more than one form where one was expected');
  }
  return form.value;
}

/** Reads every top-level form of a text. */
export function parseEdnAll(text: string): ReadForm[] {
  const parser = new EdnParser(text);
  const forms: ReadForm[] = [];
  for (let form = parser.readForm(); form !== null; form = parser.readForm()) forms.push(form);
  return forms;
}
