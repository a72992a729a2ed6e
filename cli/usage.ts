/** One line per command, for `paychaos --help` and each command's usage errors. */
export const RUN_USAGE =
  'paychaos run <scenario.ts> [--target sim] [--seed N] [--out DIR] [--bank-bug FLAG]...';
export const REPLAY_USAGE = 'paychaos replay <run-dir> [--out DIR]';
export const EXPLORE_USAGE =
  'paychaos explore <scenario.ts> [--runs N] [--seed N] [--path P] [--out DIR] [--bank-bug FLAG]... [--correct-bank]';
export const CHECK_USAGE =
  'paychaos check <history.jsonl | run-dir>... [--checker NAME]... [--json] [--timeout S]';
export const REPORT_USAGE = 'paychaos report <run-dir>';
export const SUITE_USAGE = 'paychaos suite <dir> [--target sim] [--out DIR] [--seed N]';
export const IMPORT_USAGE =
  'paychaos import jepsen <file>... [-o <history.jsonl | dir/>] [--eventual] [--accounts a,b,c --total N | --accounts a=N,b=M] [--nil-read unknown|empty]';
export const EXPORT_USAGE = 'paychaos export edn <history.jsonl> [-o history.edn]';
