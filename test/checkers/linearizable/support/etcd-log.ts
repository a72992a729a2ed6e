/**
 * TEST-ONLY: converts the etcd benchmark's Jepsen text log (see /work/shared/data/etcd/README.md)
 * to history.jsonl text, one register key. The real importer lives in history/import/.
 *
 * The text log has no clock, so line n gets time n ms: file order is real-time order. A read that
 * fails with :timed-out becomes `fail` (its process may invoke again, which `info` forbids; a read
 * with unknown outcome constrains nothing either way).
 */
const LINE =
  /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(.*?)\s*$/;
const LINE_NS = 1_000_000;

function parseValue(text: string): unknown {
  if (text === 'nil') return null;
  if (/^-?\d+$/.test(text)) return Number(text);
  const pair = /^\[(\S+)\s+(\S+)\]$/.exec(text);
  if (pair !== null) return [parseValue(pair[1] as string), parseValue(pair[2] as string)];
  if (text.startsWith(':')) return text;
  throw new Error(`unknown etcd log value: ${text}`);
}

function invokeValue(key: string, f: string, value: unknown): Record<string, unknown> {
  if (f === 'read') return { key };
  if (f === 'write') return { key, value };
  const [from, to] = value as [unknown, unknown];
  return { key, from, to };
}

export function etcdLogToHistory(text: string, key = 'x'): string {
  const lines: string[] = [];
  const push = (op: Record<string, unknown>): void => {
    lines.push(JSON.stringify({ index: lines.length, time: lines.length * LINE_NS, ...op }));
  };
  push({ process: 'setup', type: 'ok', f: 'init', value: { strong: [key] } });
  for (const [n, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    const match = LINE.exec(raw);
    if (match === null) throw new Error(`etcd log line ${n + 1}: cannot parse ${raw}`);
    const [, process = '', type = '', f = '', valueText = ''] = match;
    const value = parseValue(valueText);
    const op: Record<string, unknown> = { process: Number(process), type, f };
    if (type === 'invoke') op.value = invokeValue(key, f, value);
    else if (type === 'ok' && f === 'read') op.value = { key, value };
    else if (type !== 'ok') op.error = typeof value === 'string' ? value.slice(1) : 'failed';
    push(op);
  }
  return `${lines.join('\n')}\n`;
}
