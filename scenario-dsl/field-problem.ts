/**
 * One thing wrong with one field of a scenario: `path` as a person reads it (`faults[2].at`),
 * `message` saying what is wrong and what was expected. validateScenario prefixes the file to
 * make the one-line problem the command line prints.
 */
export interface FieldProblem {
  path: string;
  message: string;
}

/** `file: path: message`, the one line a person reads. The root is called `scenario`. */
export function problemLine(file: string, problem: FieldProblem): string {
  return `${file}: ${problem.path === '' ? 'scenario' : problem.path}: ${problem.message}`;
}

/** `faults[2].fault.region`, `workloads[0].rate.ap-northeast-1`, `bank.accounts`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(String(segment)))
      text += text === '' ? String(segment) : `.${String(segment)}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}

/** A value as a problem quotes it: 'abc', 12, true, a list of 3, an object. */
export function describeReceived(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    return `'${shown}'`;
  }
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/** "'eu-west-1' is not a region of this scenario; expected one of ap-northeast-1, ap-northeast-3". */
export function notARegion(region: string, regions: readonly string[]): string {
  return `'${region}' is not a region of this scenario; expected one of ${regions.join(', ')}`;
}
