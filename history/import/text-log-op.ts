/**
 * One line of Jepsen's text log (jepsen.log, or the etcd benchmark's logs):
 *
 *   INFO  jepsen.util - 3	:invoke	:cas	[1 4]
 *   2017-03-13 10:01:30,123{GMT}	INFO	[jepsen worker 3] jepsen.util: 3	:fail	:read	:timed-out
 *
 * A line is an op line when `jepsen.util`, then `-` or `:`, then a process (an integer or a
 * keyword such as :nemesis), then a keyword follow; everything else (other loggers, banners,
 * stack traces, blank lines) is skipped. An op line must then be well formed: a type, an f, a
 * value (one EDN form; none means nil) and optionally an error, which is the rest of the line.
 */
import { EdnParser, EdnSyntaxError } from '../edn/edn-reader.ts';
import type { EdnValue } from '../edn/edn-value.ts';
import { ImportProblem } from './import-problem.ts';
import { errorText, parseF, parseProcess, parseType, type RawOp } from './raw-op.ts';

const OP_LINE = /\bjepsen\.util\s*[-:]\s+(\d+|:[A-Za-z][\w-]*)\s+(:\S+)(.*)$/;
const F_AND_REST = /^\s+(:\S+)(.*)$/;

function keywordToken(token: string): EdnValue {
  return { kind: 'keyword', name: token.slice(1) };
}

/** The value form, and the error: the rest of the line (a keyword or string by its text). */
function parseValueAndError(text: string): { value: EdnValue | undefined; error?: string } {
  const parser = new EdnParser(text);
  let form: ReturnType<EdnParser['readForm']>;
  try {
    form = parser.readForm();
  } catch (error) {
    if (error instanceof EdnSyntaxError) {
      throw new ImportProblem(`the op's value is not EDN: ${error.problem}`);
    }
    throw error;
  }
  if (form === null) return { value: undefined };
  const rest = text.slice(parser.pos).trim();
  if (rest.length === 0) return { value: form.value };
  try {
    const parsed = new EdnParser(rest);
    const single = parsed.readForm();
    if (single !== null && parsed.readForm() === null) {
      return { value: form.value, error: errorText(single.value) };
    }
  } catch (error) {
    if (!(error instanceof EdnSyntaxError)) throw error;
  }
  return { value: form.value, error: rest };
}

/** The op on a text-log line, or null when the line is not an op line. */
export function rawOpFromLogLine(text: string, line: number): RawOp | null {
  const match = OP_LINE.exec(text);
  if (match === null) return null;
  const [, processToken, typeToken, rest] = match as unknown as [string, string, string, string];
  const fMatch = F_AND_REST.exec(rest);
  if (fMatch === null)
    throw new ImportProblem('an op line needs a type and an f, e.g. ":invoke :read nil"');
  const [, fToken, valueText] = fMatch as unknown as [string, string, string];
  const process = parseProcess(
    /^\d+$/.test(processToken) ? BigInt(processToken) : keywordToken(processToken),
  );
  const { value, error } = parseValueAndError(valueText);
  return {
    line,
    process,
    type: parseType(keywordToken(typeToken)),
    f: parseF(keywordToken(fToken)),
    value,
    timeNs: undefined,
    jepsenIndex: undefined,
    error,
    extras: {},
  };
}
