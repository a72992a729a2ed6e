/**
 * `paychaos report <run-dir>`: writes report.html, junit.xml and summary.md into the run
 * directory (also done at the end of every `paychaos run`) and exits by the run's verdict.
 */
import type { Validity } from '../../checkers/checker.ts';
import { ReportInputError } from '../../reports/run-inputs.ts';
import { verdictWord } from '../../reports/verdict-text.ts';
import { writeReport } from '../../reports/write-report.ts';
import { dataError, noInputError, usageError } from '../cli-error.ts';
import { parseFlags } from '../parse-flags.ts';
import { REPORT_USAGE } from '../usage.ts';

export function runReport(args: string[]): Validity {
  const { positionals } = parseFlags('report', args, {});
  if (positionals.length !== 1) {
    throw usageError(`paychaos report: expected one run directory; usage: ${REPORT_USAGE}`);
  }
  const dir = positionals[0]!;
  let written: ReturnType<typeof writeReport>;
  try {
    written = writeReport(dir);
  } catch (error) {
    if (error instanceof ReportInputError) {
      const line = `paychaos report: ${error.message}`;
      throw error.missing ? noInputError(line) : dataError(line);
    }
    throw error;
  }
  const { files, model } = written;
  process.stdout.write(
    `${model.title}: ${verdictWord(model.valid)}\n  report: ${files.html}\n  junit:  ${files.junit}\n  summary: ${files.summary}\n`,
  );
  return model.valid;
}
