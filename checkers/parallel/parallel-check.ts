/**
 * Checks a large history on two cores, with the same result as the serial read, line for line.
 *
 * The file is cut into segments of whole lines. Main reads some itself, exactly as the serial
 * reader does; a worker thread scans the others (segment-scan.ts). Objects cannot cross threads
 * cheaply — V8's structured clone deserialises slower than JSON.parse parses (bench/RESULTS.md) —
 * so a worker's segment comes back as the lines some checker must see whole (main parses those
 * again) and, for a checker whose parallel read has a digest (balance), its compact digest of the
 * lines only it reads; main replays both, in line order, into the one CheckSession. Checkers stay
 * single-threaded folds and never see a thread.
 *
 * Speculation, and when it gives way to the serial read: a worker skips a checker's `context`
 * lines (saga: ledger lines) while the checker does not apply yet; if the checker applies after
 * all, the read starts again on one core. Histories too small to pay for a thread, checkers
 * without a parallel read, or a prelude that does not end in the first segment also go serially.
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { HistoryError } from '../../history/history-error.ts';
import type { Op } from '../../history/op.ts';
import {
  LINE_BYTES_MAX_DEFAULT,
  LineHandler,
  LineSplitter,
  type ReadOptions,
  readHistoryText,
} from '../../history/reader.ts';
import { Sequencer } from '../../history/sequencer.ts';
import {
  type CheckOptions,
  CheckSession,
  checkHistoryFile,
  rereadIfCutShort,
} from '../check-session.ts';
import type { Checker } from '../checker.ts';
import type { Results } from '../verdict.ts';
import { SegmentReader, segmentBounds } from './segment-bounds.ts';
import { type SegmentExecutor, startWorkerExecutor, WorkerFailed } from './segment-executor.ts';
import {
  RANK_ORDER,
  RANK_PAIRING,
  type ScanRequest,
  type ScanResult,
  type ScanSetup,
} from './segment-scan.ts';

export interface ParallelPlan {
  /** Smaller files are read serially: a worker thread costs ~0.1 s to start. */
  minBytes: number;
  segmentBytes: number;
  /**
   * Main reads the first `mainFirst` segments (at least 1: the worker starts meanwhile) and
   * every `mainEvery`-th; the worker scans the others.
   */
  mainFirst: number;
  mainEvery: number;
  /** Worker segments dispatched ahead of the one main needs next: bounds memory. */
  lookaheadSegments: number;
  /** Runs the worker's side; a thread unless a test passes one in-process. */
  startExecutor?: (file: string, setup: ScanSetup) => SegmentExecutor;
  /** Told how the read went (parallel or not, and why): for tests and diagnostics. */
  onOutcome?: (outcome: ParallelOutcome) => void;
}

export interface ParallelOutcome {
  /** False when the history was read serially; `reason` says why. */
  parallel: boolean;
  reason: string;
  segments: number;
  workerSegments: number;
}

export const PARALLEL_PLAN_DEFAULT: ParallelPlan = {
  minBytes: 32 * 1024 * 1024,
  segmentBytes: 2 * 1024 * 1024,
  mainFirst: 8,
  mainEvery: 3,
  lookaheadSegments: 24,
};

function warnToStderr(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}

/** Raised when speculation fails: the caller reads the history serially instead. */
class SpeculationFailed extends Error {}

/** Checks `file` on two cores when it pays, serially otherwise; the result is the same. */
export function checkHistoryFileParallel(
  file: string,
  options: CheckOptions,
  read: ReadOptions = {},
  plan: ParallelPlan = PARALLEL_PLAN_DEFAULT,
): Results {
  const serially = (reason: string): Results => {
    plan.onOutcome?.({ parallel: false, reason, segments: 1, workerSegments: 0 });
    return checkHistoryFile(file, options, read);
  };
  if (plan.startExecutor === undefined && availableParallelism() < 2) {
    return serially('one core');
  }
  const parallelRead = new ParallelRead(file, options, read, plan);
  try {
    const results = parallelRead.run();
    if (results === null) return serially(parallelRead.notParallelBecause);
    const judged = rereadIfCutShort(parallelRead.session, results, file, options, read);
    for (const warning of parallelRead.warnings) (read.onWarning ?? warnToStderr)(warning);
    plan.onOutcome?.({
      parallel: true,
      reason: '',
      segments: parallelRead.segments,
      workerSegments: parallelRead.workerSegments,
    });
    return judged;
  } catch (error) {
    if (error instanceof WorkerFailed) {
      (read.onWarning ?? warnToStderr)(`${error.message}; reading ${file} on one core instead`);
      return serially(error.message);
    }
    if (!(error instanceof SpeculationFailed)) throw error;
    return serially(error.message);
  }
}

class ParallelRead {
  readonly session: CheckSession;
  private readonly sequencer = new Sequencer();
  private readonly handler: LineHandler;
  private readonly lineBytesMax: number;
  /** Said once the read succeeds: a read that gives way to the serial one must not say them twice. */
  readonly warnings: string[] = [];
  private readonly onWarning = (message: string): void => {
    this.warnings.push(message);
  };
  private linesBefore = 0;
  private readonly contextSkipped = new Map<string, number>();
  /** Per digesting checker: the checker, and how main reads its segment digests back. */
  private readonly digestReaders = new Map<
    string,
    { checker: Checker; read: (data: unknown) => unknown }
  >();
  notParallelBecause = '';
  segments = 0;
  workerSegments = 0;

  constructor(
    private readonly file: string,
    options: CheckOptions,
    private readonly read: ReadOptions,
    private readonly plan: ParallelPlan,
  ) {
    this.session = new CheckSession(options);
    this.handler = new LineHandler(file, this.session, this.sequencer);
    this.lineBytesMax = read.lineBytesMax ?? LINE_BYTES_MAX_DEFAULT;
  }

  /** Null when this history is not for a parallel read. */
  run(): Results | null {
    const selected = this.session.selected();
    const unable = selected.find((s) => s.checker.parallelRead === undefined);
    if (unable !== undefined) {
      this.notParallelBecause = `checker ${unable.checker.name} declares no parallel read`;
      return null;
    }
    const fd = openSync(this.file, 'r');
    let executor: SegmentExecutor | null = null;
    try {
      const sizeBytes = fstatSync(fd).size;
      if (sizeBytes < this.plan.minBytes) {
        this.notParallelBecause = `${sizeBytes} bytes: too small to pay for a thread`;
        return null;
      }
      const bounds = segmentBounds(fd, sizeBytes, this.plan.segmentBytes);
      this.segments = bounds.length - 1;
      if (this.segments < 2) {
        this.notParallelBecause = 'one segment';
        return null;
      }
      const reader = new SegmentReader(fd);
      const firstPieces = reader.pieces(0, bounds[1] as number);
      const preludeLines = this.preludeOf(firstPieces.join(''));
      if (preludeLines === null) {
        this.notParallelBecause =
          'the lines before the first client op are not all in the first segment, or not valid';
        return null;
      }
      const prelude = preludeLines.map((line) => JSON.parse(line) as Op);
      const everyLine = selected.find(
        (s) => s.checker.parallelRead?.interest(prelude, s.explicit) === 'every-line',
      );
      if (everyLine !== undefined) {
        this.notParallelBecause = `checker ${everyLine.checker.name} reads every line of this history`;
        return null;
      }
      for (const { checker } of selected) {
        const digest = checker.parallelRead?.digest;
        if (digest !== undefined)
          this.digestReaders.set(checker.name, { checker, read: digest.readerFor(prelude) });
      }
      const setup: ScanSetup = {
        preludeLines,
        checkers: selected.map((s) => ({ name: s.checker.name, explicit: s.explicit })),
        lineBytesMax: this.lineBytesMax,
      };
      executor = (this.plan.startExecutor ?? startWorkerExecutor)(this.file, setup);
      this.readSegments(reader, bounds, firstPieces, executor);
    } finally {
      executor?.close();
      closeSync(fd);
    }
    this.handler.finish();
    this.checkSpeculation();
    return this.session.finish();
  }

  /**
   * The lines before the first client op, when that op lies in the first segment and they are
   * valid; null otherwise (the serial read will say what is wrong with them).
   */
  private preludeOf(firstText: string): string[] | null {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const newline = firstText.indexOf('\n', start);
      if (newline === -1) return null;
      const line = firstText.slice(start, newline);
      start = newline + 1;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        return null;
      }
      if (typeof (parsed as { process?: unknown } | null)?.process === 'number') break;
      lines.push(line);
    }
    try {
      readHistoryText(this.file, `${lines.join('\n')}\n`, { onOp: () => {}, onClientOp: () => {} });
    } catch (error) {
      if (error instanceof HistoryError) return null;
      throw error;
    }
    return lines;
  }

  private isMainSegment(segment: number): boolean {
    return segment < this.plan.mainFirst || segment % this.plan.mainEvery === 0;
  }

  private readSegments(
    reader: SegmentReader,
    bounds: readonly number[],
    firstPieces: string[],
    executor: SegmentExecutor,
  ): void {
    const segments = bounds.length - 1;
    let dispatchNext = 1;
    for (let segment = 0; segment < segments; segment += 1) {
      while (dispatchNext < segments && dispatchNext - segment <= this.plan.lookaheadSegments) {
        if (!this.isMainSegment(dispatchNext)) {
          executor.dispatch(this.requestFor(dispatchNext, bounds));
        }
        dispatchNext += 1;
      }
      const isLast = segment === segments - 1;
      if (this.isMainSegment(segment)) {
        const pieces =
          segment === 0
            ? firstPieces
            : reader.pieces(bounds[segment] as number, bounds[segment + 1] as number);
        this.readOwnSegment(pieces, isLast);
      } else {
        this.absorb(executor.take(segment));
        this.workerSegments += 1;
      }
      this.checkSpeculation();
      this.read.onProgress?.(bounds[segment + 1] as number, this.linesBefore);
    }
  }

  private requestFor(segment: number, bounds: readonly number[]): ScanRequest {
    const activeCheckers = this.session
      .selected()
      .map((s) => s.checker.name)
      .filter((name) => this.session.isActive(name));
    return {
      segment,
      startByte: bounds[segment] as number,
      endByte: bounds[segment + 1] as number,
      isLast: segment === bounds.length - 2,
      activeCheckers,
    };
  }

  private readOwnSegment(pieces: readonly string[], isLast: boolean): void {
    const splitter = new LineSplitter(this.file, this.handler, this.lineBytesMax, this.linesBefore);
    for (const piece of pieces) splitter.push(piece);
    if (isLast) splitter.endText(this.onWarning);
    else if (splitter.linesSplit - this.linesBefore === 0 && pieces.length > 0) {
      throw new Error('a segment that is not the last holds no whole line');
    }
    this.linesBefore = splitter.linesSplit;
  }

  /** A worker's segment: the boundary check, then its lines and digest in line order. */
  private absorb(result: ScanResult): void {
    this.throwFirstProblem(result);
    const digests = result.digests.map(({ checker, data }) => {
      const reader = this.digestReaders.get(checker);
      if (reader === undefined)
        throw new Error(`a segment sent a digest for ${checker}, which makes none`);
      return { checker: reader.checker, digest: reader.read(data) };
    });
    const replayUntil = (line: number) => {
      for (const { checker, digest } of digests) this.session.replayDigest(checker, digest, line);
    };
    for (let i = 0; i < result.texts.length; i += 1) {
      const line = result.textLines[i] as number;
      replayUntil(line);
      this.handler.handleChecked(result.texts[i] as string, this.linesBefore + line);
    }
    replayUntil(Number.POSITIVE_INFINITY);
    if (result.lastIndex !== -1) this.sequencer.skipTo(result.lastIndex + 1, result.lastTimeNs);
    this.sequencer.absorbSegment(result.endedHere);
    if (result.tornLine !== null) {
      this.onWarning(
        `${this.file}:${this.linesBefore + result.tornLine}: dropped a torn last line (no newline, not valid JSON: the run was probably killed mid-write)`,
      );
    }
    for (const [name, count] of Object.entries(result.contextSkipped)) {
      this.contextSkipped.set(name, (this.contextSkipped.get(name) ?? 0) + count);
    }
    this.linesBefore += result.linesCount;
  }

  /**
   * What the serial read would have stopped at first in this segment: the worker's own finding,
   * or a rule that spans the boundary (the first index and time; each process's first op
   * against what was in flight before). Ties on a line go in the serial reader's order of checks.
   */
  private throwFirstProblem(result: ScanResult): void {
    const problems: { line: number; rank: number; message: string }[] = [];
    if (result.error !== null) {
      problems.push({
        line: result.error.line,
        rank: result.error.rank,
        message: result.error.message,
      });
    }
    if (result.firstIndex !== -1) {
      if (result.firstIndex !== this.sequencer.nextIndex) {
        problems.push({
          line: 1,
          rank: RANK_ORDER,
          message: `field "index": expected ${this.sequencer.nextIndex} (indices count 0, 1, 2, ... in file order), got ${result.firstIndex}`,
        });
      } else if (result.firstTimeNs < this.sequencer.lastTimeNs) {
        problems.push({
          line: 1,
          rank: RANK_ORDER,
          message: `field "time": ${result.firstTimeNs} ns is earlier than the line before (${this.sequencer.lastTimeNs} ns); times come from a monotonic clock`,
        });
      }
    }
    for (const { process, op } of result.firstOps) {
      const line = op.index - result.firstIndex + 1;
      const whole =
        op.type === 'invoke'
          ? ({ index: op.index, time: 0, process, type: op.type, f: op.f } as Op)
          : this.textAt(result, line);
      const message = this.sequencer.problemAtSegmentStart(process, whole);
      if (message !== null) problems.push({ line, rank: RANK_PAIRING, message });
    }
    if (problems.length === 0) return;
    problems.sort((a, b) => a.line - b.line || a.rank - b.rank);
    const first = problems[0] as (typeof problems)[number];
    throw new HistoryError(this.file, this.linesBefore + first.line, first.message);
  }

  private textAt(result: ScanResult, line: number): Op {
    let low = 0;
    let high = result.textLines.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const at = result.textLines[middle] as number;
      if (at === line) return JSON.parse(result.texts[middle] as string) as Op;
      if (at < line) low = middle + 1;
      else high = middle - 1;
    }
    throw new Error(`segment ${result.segment} sent no text for its line ${line}`);
  }

  private checkSpeculation(): void {
    for (const [name, count] of this.contextSkipped) {
      if (count > 0 && this.session.isActive(name)) {
        throw new SpeculationFailed(
          `${name} applies after ${count} of its context lines were skipped`,
        );
      }
    }
  }
}
