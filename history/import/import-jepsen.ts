/**
 * `paychaos import jepsen`: a Jepsen history (history.edn, or the text log) to history.jsonl.
 * Two streaming passes over the input: the first learns what the history is (register keys,
 * tuples, bank), the second converts each op and writes it through HistoryWriter, which holds it
 * to every rule of the reader. Any problem names the input line; the half-written output is
 * removed so that no truncated history is left looking valid.
 */
import { rmSync } from 'node:fs';
import { FieldError, HistoryError } from '../history-error.ts';
import type { OpDraft } from '../op.ts';
import { RuleError } from '../sequencer.ts';
import { HistoryWriter } from '../writer.ts';
import { setOwn } from './edn-to-json.ts';
import { type HistoryFacts, HistorySurvey } from './history-survey.ts';
import { OpConverter, type TimesRaised } from './op-converter.ts';
import { atLine, detectFormat, forEachRawOp, type JepsenFormat } from './raw-op-source.ts';

export interface ImportOptions {
  /** Do not declare the imported register keys strong (linearizable); they are then LWW. */
  eventual?: boolean;
  /**
   * The bank's accounts and initial balances, from the Jepsen test map (which the history does
   * not hold): written as the init's `accounts`, so totals are judged from them.
   */
  accounts?: Record<string, number>;
  /**
   * What an ok read of nil means: `unknown` (Jepsen's register models: Knossos accepts a nil read
   * in any state) or `empty` (the register holds nil). Default: `unknown` for Jepsen input,
   * `empty` for an input with its own init (a paychaos export, where null is a value read).
   */
  nilRead?: NilRead;
}

export type NilRead = 'unknown' | 'empty';
export const NIL_READS: readonly NilRead[] = ['unknown', 'empty'];

export interface ImportResult {
  opsWritten: number;
  format: JepsenFormat;
  /** Ops whose `:time` went back and were raised to keep file order (count 0: none). */
  timesRaised: TimesRaised;
}

/**
 * The init line made up for a history without one: registers start nil, as in Jepsen; accounts
 * as the import declares them.
 */
function initDraft(facts: HistoryFacts, options: ImportOptions): OpDraft | null {
  if (facts.hasInit || (facts.keys.length === 0 && options.accounts === undefined)) return null;
  const value: Record<string, unknown> = {};
  if (options.accounts !== undefined) value.accounts = options.accounts;
  if (facts.keys.length > 0) {
    const registers: Record<string, unknown> = {};
    for (const key of facts.keys) setOwn(registers, key, null);
    value.registers = registers;
    if (options.eventual !== true) value.strong = [...facts.keys];
  }
  return { time: 0, process: 'setup', type: 'ok', f: 'init', value };
}

function survey(inputFile: string, format: JepsenFormat, options: ImportOptions): HistoryFacts {
  const history = new HistorySurvey(options.accounts !== undefined);
  forEachRawOp(inputFile, format, (op) => history.visit(op));
  return history.facts();
}

function appendAt(writer: HistoryWriter, file: string, line: number, draft: OpDraft): void {
  try {
    writer.append(draft);
  } catch (error) {
    if (error instanceof RuleError || error instanceof FieldError) {
      throw new HistoryError(file, line, error.message);
    }
    throw error;
  }
}

export function importJepsen(
  inputFile: string,
  outputFile: string,
  options: ImportOptions,
): ImportResult {
  const format = detectFormat(inputFile);
  const facts = survey(inputFile, format, options);
  if (facts.hasInit && options.accounts !== undefined) {
    throw new HistoryError(
      inputFile,
      facts.initLine,
      'the input has its own init, which declares the accounts; leave out --accounts/--total',
    );
  }
  const writer = new HistoryWriter(outputFile);
  let done = false;
  try {
    const init = initDraft(facts, options);
    if (init !== null) writer.append(init);
    const nilRead = options.nilRead ?? (facts.hasInit ? 'empty' : 'unknown');
    const converter = new OpConverter(facts, nilRead === 'unknown');
    let opsRead = 0;
    forEachRawOp(inputFile, format, (op) => {
      opsRead += 1;
      const draft = atLine(inputFile, op.line, () => converter.convert(op, writer.opsWritten));
      appendAt(writer, inputFile, op.line, draft);
    });
    if (opsRead === 0) {
      throw new HistoryError(
        inputFile,
        1,
        format === 'edn'
          ? 'no ops: expected Jepsen op maps {:type :invoke, :f ..., :process ...}'
          : 'no Jepsen op lines ("jepsen.util - <process> :<type> :<f> <value>")',
      );
    }
    done = true;
    return { opsWritten: writer.opsWritten, format, timesRaised: converter.timesRaised };
  } finally {
    writer.close();
    if (!done) rmSync(outputFile, { force: true });
  }
}
