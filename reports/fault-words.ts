/**
 * A fault in words, from its kind and its nemesis line's value: the clause a conclusion uses
 * ("Tokyo was isolated", "the ledger cluster failed over from Tokyo to Osaka") and the phrase an
 * RTO row starts with ("Tokyo isolated"). Regions are named by placeName; a kind this file does
 * not know reads as its kind and subject, never as JSON.
 */
import { placeName } from './place-names.ts';

export interface FaultWords {
  /** A clause with a verb: "Tokyo was isolated". */
  clause: string;
  /** A noun phrase: "Tokyo isolated". */
  phrase: string;
}

function field(value: unknown, key: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const item = (value as Record<string, unknown>)[key];
  if (typeof item === 'string') return item;
  return typeof item === 'number' ? String(item) : null;
}

function regionsOf(value: unknown): [string, string] | null {
  if (typeof value !== 'object' || value === null) return null;
  const regions = (value as Record<string, unknown>).regions;
  if (!Array.isArray(regions) || regions.length < 2) return null;
  return [placeName(String(regions[0])), placeName(String(regions[1]))];
}

function place(value: unknown, key: string): string {
  const name = field(value, key);
  return name === null ? `?${key}` : placeName(name);
}

function same(text: string): FaultWords {
  return { clause: text, phrase: text };
}

/** Words for the known kinds; null for a kind or value shape this file does not know. */
function knownWords(kind: string, value: unknown): FaultWords | null {
  const link = (): string => `from ${place(value, 'from')} to ${place(value, 'to')}`;
  switch (kind) {
    case 'isolate':
      return {
        clause: `${place(value, 'region')} was isolated`,
        phrase: `${place(value, 'region')} isolated`,
      };
    case 'partition': {
      const regions = regionsOf(value);
      if (regions === null) return null;
      const between = `between ${regions[0]} and ${regions[1]}`;
      return { clause: `the network ${between} was partitioned`, phrase: `partition ${between}` };
    }
    case 'replica-lag': {
      const lagMs = field(value, 'lagMs');
      const by = lagMs === null ? '' : ` by ${lagMs} ms`;
      return {
        clause: `replication ${link()} lagged${by}`,
        phrase: `replication ${link()} lagging${by}`,
      };
    }
    case 'pause-replication':
      return { clause: `replication ${link()} was paused`, phrase: `replication ${link()} paused` };
    case 'kill-cluster': {
      const what = `the ${field(value, 'cluster') ?? '?'} cluster in ${place(value, 'region')}`;
      return { clause: `${what} was killed`, phrase: `${what} killed` };
    }
    case 'failover':
      return same(`the ${field(value, 'cluster') ?? '?'} cluster failed over ${link()}`);
    case 'clock-skew': {
      const skewMs = field(value, 'skewMs');
      const by = skewMs === null ? '' : ` by ${skewMs} ms`;
      const clock = `${place(value, 'region')}'s clock`;
      return { clause: `${clock} was skewed${by}`, phrase: `${clock} skewed${by}` };
    }
    case 'crash-bank': {
      const bank = `the bank service in ${place(value, 'region')}`;
      return { clause: `${bank} crashed`, phrase: `${bank} crashed` };
    }
    default:
      return null;
  }
}

export function faultWords(kind: string, subject: string, value: unknown): FaultWords {
  const words = knownWords(kind, value);
  if (words !== null) return words;
  const text = subject === '' ? kind : `${kind} of ${subject}`;
  return { clause: `${text} began`, phrase: text };
}

/**
 * The slo checker names a fault by its nemesis line: `start-isolate {"region":"ap-northeast-1"}`.
 * A name in any other form (older results: "isolate of ap-northeast-1") is used as it is.
 */
export function faultWordsOfLine(line: string): FaultWords {
  const space = line.indexOf(' ');
  const f = space < 0 ? line : line.slice(0, space);
  const rest = space < 0 ? '' : line.slice(space + 1);
  if (rest !== '' && !rest.startsWith('{')) return { clause: `${line} began`, phrase: line };
  let value: unknown = null;
  try {
    value = rest === '' ? null : JSON.parse(rest);
  } catch {
    return { clause: `${line} began`, phrase: line };
  }
  const kind = f.startsWith('start-') ? f.slice('start-'.length) : f;
  return faultWords(kind, '', value);
}
