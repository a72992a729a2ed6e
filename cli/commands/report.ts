/**
 * `paychaos report <run-dir>`: writes report.html, junit.xml and summary.md into the run
 * directory (also done at the end of every `paychaos run`) and exits by the run's verdict.
 */
import type { Validity } from '../../checkers/checker.ts';
import { ReportInputError } from '../../reports/run-inputs.ts';
import { verdictWord } from '../../reports/verdict-text.ts';
import { writeReport } from '../../reports/write-report.ts';
import { dataError, noInputError } from '../cli-error.ts';
import type { CommandInput } from '../command-spec.ts';
import type { REPORT } from '../command-specs.ts';

export function runReport({ positionals }: CommandInput<typeof REPORT>): Validity {
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
