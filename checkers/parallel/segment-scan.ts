/**
 * What the worker thread of a parallel read does with one segment of a history (a run of whole
 * lines): parse and validate every line as the serial reader would, as far as the segment alone
 * can tell, and sort each line into one of three piles for the main thread:
 * - text: lines a checker reads whole (not through its digest), completions whose invoke lies
 *   before the segment, and invokes still in flight at its end — main parses these again and
 *   feeds them to every checker, so that every op main pairs is a whole op;
 * - a checker's digest (ParallelRead.digest, e.g. balance's): lines only that checker reads, and
 *   which its digest can carry;
 * - nothing: lines no selected checker reads, validated and counted only.
 * The `end` line that seals a final state always travels as text: the session reads it itself.
 * What the segment alone cannot check — its first index and time against the line before it,
 * each process's first op against what was in flight — goes back as facts for main's boundary
 * check (parallel-check.ts).
 */
import { FieldError } from '../../history/history-error.ts';
import type { ClientOp, Op } from '../../history/op.ts';
import { checkOpFields, type FirstOp, RuleError, Sequencer } from '../../history/sequencer.ts';
import type { DigestWriter, InterestOf, LineDigest, ParallelRead } from '../checker.ts';
import { isEndLine } from '../completeness.ts';

/** What main tells the worker once, before any segment. */
export interface ScanSetup {
  /** The lines before the first client op, as text; main has validated them. */
  preludeLines: string[];
  /** The checkers selected, and whether each was named with --checker. */
  checkers: { name: string; explicit: boolean }[];
  lineBytesMax: number;
}

/** One segment to scan. */
export interface ScanRequest {
  segment: number;
  startByte: number;
  endByte: number;
  /** The last segment of the file: its text may end with a torn line. */
  isLast: boolean;
  /** Checkers that apply so far: their `context` lines travel as text. */
  activeCheckers: string[];
}

export interface ScanResult {
  segment: number;
  /** Lines split from the text, a dropped torn line included. */
  linesCount: number;
  firstIndex: number;
  firstTimeNs: number;
  lastIndex: number;
  lastTimeNs: number;
  /** The first line the segment alone finds bad (1-based within the segment), or null. */
  error: { line: number; rank: number; message: string } | null;
  /** A torn last line dropped (1-based within the segment), or null. */
  tornLine: number | null;
  firstOps: { process: number; op: FirstOp }[];
  endedHere: number[];
  /** Lines for main to parse and feed whole, in line order. */
  textLines: Int32Array;
  texts: string[];
  /** Each digesting checker's digest of the segment, in the order of ScanSetup.checkers. */
  digests: { checker: string; data: unknown }[];
  /** Per checker: `context` lines skipped because it did not apply yet. */
  contextSkipped: Record<string, number>;
}

/**
 * Ranks of the checks on one line, in the serial reader's order: parsing and the common fields,
 * then index and time, then value shapes and pairing within the segment, then pairing across
 * the boundary. When two problems fall on one line, the lower rank is the one serial reports.
 */
export const RANK_PARSE = 1;
export const RANK_ORDER = 2;
export const RANK_RULES = 3;
export const RANK_PAIRING = 4;

/** A line's pile: text, nothing, or (0, 1, ...) the digest of that digesting checker. */
const TEXT = -1;
const NOTHING = -2;
type Pile = number;

interface Classifier {
  name: string;
  interestOf: InterestOf;
  digest: LineDigest | null;
  /** Its digest's place among the scan's digest writers, or -1. */
  digestIndex: number;
}

/** A digesting checker: the name its digest goes back under, and its writer factory. */
interface DigestMaker {
  checker: string;
  newWriter: () => DigestWriter;
}

interface InFlight {
  pile: Pile;
  line: number;
  text: string;
  /** Its digest event, or -1. */
  event: number;
}

/** Prepared once per worker: the prelude read, classifiers and digest makers made. */
export class SegmentScanner {
  private readonly classifiers: Classifier[] = [];
  readonly digestMakers: DigestMaker[] = [];
  private readonly sawInit: boolean;

  constructor(
    private readonly setup: ScanSetup,
    parallelReadOf: (checker: string) => ParallelRead | undefined,
  ) {
    const prelude = setup.preludeLines.map((line) => JSON.parse(line) as Op);
    this.sawInit = prelude.some((op) => op.process === 'setup' && op.f === 'init');
    for (const selected of setup.checkers) {
      const parallelRead = parallelReadOf(selected.name);
      const interestOf = parallelRead?.interest(prelude, selected.explicit);
      if (parallelRead === undefined || interestOf === undefined || interestOf === 'every-line') {
        throw new Error(`checker ${selected.name} cannot take part in a parallel read`);
      }
      const digest = parallelRead.digest ?? null;
      const digestIndex = digest === null ? -1 : this.digestMakers.length;
      if (digest !== null) {
        this.digestMakers.push({ checker: selected.name, newWriter: digest.writerFor(prelude) });
      }
      this.classifiers.push({ name: selected.name, interestOf, digest, digestIndex });
    }
  }

  /** `pieces`: the segment's text, each piece but the last ending with a newline. */
  scan(request: ScanRequest, pieces: readonly string[]): ScanResult {
    return new SegmentScan(this, request).run(pieces);
  }

  /**
   * Which pile a non-client line or a client invoke goes to: text when a checker reads it whole
   * (or reads it as context while it applies), a checker's digest when that checker alone reads
   * it and its digest carries it, nothing when no checker reads it.
   */
  pileOf(op: Op, active: ReadonlySet<string>, contextSkipped: Record<string, number>): Pile {
    if (isEndLine(op)) return TEXT;
    let context: string[] | null = null;
    let digestPile: Pile = NOTHING;
    for (const classifier of this.classifiers) {
      const interest = classifier.interestOf(op);
      if (interest === 'reads') {
        if (classifier.digest === null || !classifier.digest.digestible(op)) return TEXT;
        if (digestPile !== NOTHING) return TEXT;
        digestPile = classifier.digestIndex;
      } else if (interest === 'context') {
        if (active.has(classifier.name)) return TEXT;
        context = context ?? [];
        context.push(classifier.name);
      }
    }
    if (context !== null) {
      for (const name of context) contextSkipped[name] = (contextSkipped[name] ?? 0) + 1;
    }
    return digestPile;
  }

  get lineBytesMax(): number {
    return this.setup.lineBytesMax;
  }

  get sawInitInPrelude(): boolean {
    return this.sawInit;
  }
}

class SegmentScan {
  private readonly sequencer: Sequencer;
  private readonly digests: DigestWriter[];
  private readonly active: ReadonlySet<string>;
  private readonly contextSkipped: Record<string, number> = {};
  private readonly inFlight = new Map<number, InFlight>();
  private textLines: number[] = [];
  private texts: string[] = [];
  private lateTexts: { line: number; text: string }[] = [];
  private linesCount = 0;
  private firstIndex = -1;
  private firstTimeNs = -1;
  private lastIndex = -1;
  private lastTimeNs = -1;
  private error: { line: number; rank: number; message: string } | null = null;
  private tornLine: number | null = null;

  constructor(
    private readonly scanner: SegmentScanner,
    private readonly request: ScanRequest,
  ) {
    this.sequencer = new Sequencer({ sawInit: scanner.sawInitInPrelude, sawClientInvoke: true });
    this.digests = scanner.digestMakers.map((maker) => maker.newWriter());
    this.active = new Set(request.activeCheckers);
  }

  run(pieces: readonly string[]): ScanResult {
    for (let i = 0; i < pieces.length && this.error === null; i += 1) {
      const text = pieces[i] as string;
      let start = 0;
      while (start < text.length && this.error === null) {
        const newline = text.indexOf('\n', start);
        if (newline === -1) {
          if (i !== pieces.length - 1) throw new Error('a piece of a segment ends inside a line');
          this.lastLine(text.slice(start));
          break;
        }
        this.line(text.slice(start, newline));
        start = newline + 1;
      }
    }
    return this.result();
  }

  private lastLine(line: string): void {
    if (!this.request.isLast) {
      this.fail(this.linesCount + 1, 'segment does not end at a newline');
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.linesCount += 1;
      this.tornLine = this.linesCount;
      return;
    }
    this.accept(parsed, line);
  }

  private line(line: string): void {
    if (line.length === 0) {
      this.fail(this.linesCount + 1, 'empty line; expected one JSON op per line');
      return;
    }
    if (line.length > this.scanner.lineBytesMax) {
      this.fail(
        this.linesCount + 1,
        `line longer than ${this.scanner.lineBytesMax} characters; split ledger and sagas over several lines`,
      );
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.fail(this.linesCount + 1, `not valid JSON: ${line.slice(0, 60)}`);
      return;
    }
    this.accept(parsed, line);
  }

  private accept(parsed: unknown, text: string): void {
    const line = this.linesCount + 1;
    let op: Op;
    let clientOp: ClientOp | null;
    try {
      op = checkOpFields(parsed);
    } catch (error) {
      if (error instanceof RuleError || error instanceof FieldError) {
        this.fail(line, error.message, RANK_PARSE);
        return;
      }
      throw error;
    }
    try {
      clientOp = this.sequencer.accept(op);
    } catch (error) {
      if (error instanceof RuleError || error instanceof FieldError) {
        this.fail(line, error.message, RANK_RULES);
        return;
      }
      throw error;
    }
    this.linesCount = line;
    if (this.firstIndex === -1) {
      this.firstIndex = op.index;
      this.firstTimeNs = op.time;
    }
    this.lastIndex = op.index;
    this.lastTimeNs = op.time;
    if (typeof op.process !== 'number') {
      this.sortLine(op, text, line);
      return;
    }
    if (op.type === 'invoke') {
      this.sortInvoke(op, op.process, text, line);
      return;
    }
    if (this.sequencer.lastWasOrphan) {
      this.pushText(line, text);
      return;
    }
    const invoke = this.inFlight.get(op.process);
    if (invoke === undefined || clientOp === null) {
      throw new Error(`process ${op.process} completed with nothing in flight in the scan`);
    }
    this.inFlight.delete(op.process);
    if (invoke.pile === TEXT) this.pushText(line, text);
    else if (invoke.pile >= 0) this.digestAt(invoke.pile).resolved(clientOp, line);
  }

  private sortLine(op: Op, text: string, line: number): void {
    const pile = this.scanner.pileOf(op, this.active, this.contextSkipped);
    if (pile === TEXT) this.pushText(line, text);
    else if (pile >= 0) this.digestAt(pile).line(op, line);
  }

  private sortInvoke(op: Op, process: number, text: string, line: number): void {
    const pile = this.scanner.pileOf(op, this.active, this.contextSkipped);
    let event = -1;
    if (pile === TEXT) this.pushText(line, text);
    else if (pile >= 0) event = this.digestAt(pile).invoke(op, line);
    this.inFlight.set(process, { pile, line, text, event });
  }

  private digestAt(pile: Pile): DigestWriter {
    const writer = this.digests[pile];
    if (writer === undefined) throw new Error(`no digest writer for pile ${pile}`);
    return writer;
  }

  private pushText(line: number, text: string): void {
    this.textLines.push(line);
    this.texts.push(text);
  }

  private fail(line: number, message: string, rank = RANK_PARSE): void {
    this.error = { line, rank, message };
  }

  /** Invokes still in flight travel as text: main must hold them whole to pair them later. */
  private moveInFlightToText(): void {
    for (const invoke of this.inFlight.values()) {
      if (invoke.pile === TEXT) continue;
      if (invoke.event !== -1) this.digestAt(invoke.pile).cancel(invoke.event);
      this.lateTexts.push({ line: invoke.line, text: invoke.text });
    }
    if (this.lateTexts.length === 0) return;
    const merged = this.textLines.map((line, i) => ({ line, text: this.texts[i] as string }));
    merged.push(...this.lateTexts);
    merged.sort((a, b) => a.line - b.line);
    this.textLines = merged.map((entry) => entry.line);
    this.texts = merged.map((entry) => entry.text);
  }

  private result(): ScanResult {
    if (this.error === null) this.moveInFlightToText();
    const firstOps = [...this.sequencer.firstOps].map(([process, op]) => ({ process, op }));
    return {
      segment: this.request.segment,
      linesCount: this.linesCount,
      firstIndex: this.firstIndex,
      firstTimeNs: this.firstTimeNs,
      lastIndex: this.lastIndex,
      lastTimeNs: this.lastTimeNs,
      error: this.error,
      tornLine: this.tornLine,
      firstOps,
      endedHere: [...this.sequencer.endedHere],
      textLines: Int32Array.from(this.textLines),
      texts: this.texts,
      digests: this.digests.map((writer, i) => ({
        checker: this.scanner.digestMakers[i]?.checker ?? '',
        data: writer.finish(),
      })),
      contextSkipped: this.contextSkipped,
    };
  }
}
