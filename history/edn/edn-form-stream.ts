/**
 * Streams the top-level forms of an EDN file: either forms one after another (Jepsen's
 * history.edn, one op map a line) or the items of a single top-level vector or list (a history
 * saved as one `[{...} {...}]`), told apart by the first significant character. Only the text
 * of the form being read sits in memory.
 */
import { EdnIncomplete, EdnParser, EdnSyntaxError, type ReadForm } from './edn-reader.ts';
import { TextChunks } from './text-chunks.ts';

/** A single form larger than this is bad input (an op map is a few hundred bytes). */
export const FORM_CHARS_MAX = 64 * 1024 * 1024;

const CONTAINER_CLOSE: Record<string, string> = { '[': ']', '(': ')' };

export class EdnFormStream {
  private readonly chunks: TextChunks;
  private text = '';
  private pos = 0;
  private line = 1;
  /** The closing bracket of the top-level container, once opened; null for a stream of forms. */
  private close: string | null = null;
  private started = false;
  private closed = false;

  /** `chunkBytes` is small only in tests, to put chunk boundaries inside forms. */
  constructor(
    readonly file: string,
    chunkBytes?: number,
  ) {
    this.chunks = new TextChunks(file, chunkBytes);
  }

  /** The next op form, or null at the end of the file. */
  next(): ReadForm | null {
    if (!this.started) {
      this.started = true;
      this.openContainer();
    }
    if (this.closed) return this.expectEnd();
    const form = this.withMoreText((parser) =>
      this.close === null ? parser.readForm() : parser.readItemOrClose(this.close),
    );
    if (form === 'close') {
      this.closed = true;
      return this.expectEnd();
    }
    if (form === null && this.close !== null) {
      throw new EdnSyntaxError(this.line, `the top-level ${this.close} is never closed`);
    }
    return form;
  }

  dispose(): void {
    this.chunks.close();
  }

  private openContainer(): void {
    const first = this.withMoreText((parser) => parser.peekSignificant());
    const close = first === undefined ? undefined : CONTAINER_CLOSE[first];
    if (close === undefined) return;
    this.withMoreText((parser) => parser.consume());
    this.close = close;
  }

  private expectEnd(): null {
    const extra = this.withMoreText((parser) => parser.readForm());
    if (extra !== null) {
      throw new EdnSyntaxError(extra.line, 'a form after the top-level vector of ops');
    }
    return null;
  }

  /** Runs `read` on the unread text, reading more of the file until it has enough. */
  private withMoreText<T>(read: (parser: EdnParser) => T): T {
    // Each retry adds a chunk or reaches the end, so the file's size bounds the loop.
    for (;;) {
      const parser = new EdnParser(this.text, {
        pos: this.pos,
        line: this.line,
        atEof: this.chunks.atEnd,
      });
      try {
        const result = read(parser);
        this.pos = parser.pos;
        this.line = parser.line;
        this.compact();
        return result;
      } catch (error) {
        if (!(error instanceof EdnIncomplete)) throw error;
        if (this.chunks.atEnd) throw new Error('EDN reader asked for more text at the end');
        if (this.text.length - this.pos > FORM_CHARS_MAX) {
          throw new EdnSyntaxError(this.line, `a form longer than ${FORM_CHARS_MAX} characters`);
        }
        this.text += this.chunks.next();
      }
    }
  }

  private compact(): void {
    if (this.pos > 64 * 1024) {
      this.text = this.text.slice(this.pos);
      this.pos = 0;
    }
  }
}
