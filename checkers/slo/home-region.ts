/**
 * The region whose clients made an op, when its id or written value says so: paychaos's load
 * driver names them `<prefix>-<region>-<n>` (load/id-source.ts). Used to report RTO as the
 * clients of a home region saw it (their requests may fail over to another region); reads carry
 * no id and are left out of that view.
 */
import type { Op } from '../../history/op.ts';

const ID_PATTERN = /^[a-z]+-(.+)-\d+$/;

function homeOfText(text: unknown, regions: ReadonlySet<string>): string | null {
  if (typeof text !== 'string') return null;
  const match = ID_PATTERN.exec(text);
  const region = match?.[1];
  return region !== undefined && regions.has(region) ? region : null;
}

export function homeOf(invoke: Op, regions: ReadonlySet<string>): string | null {
  const value = invoke.value;
  if (typeof value !== 'object' || value === null) return null;
  const fields = value as Record<string, unknown>;
  return (
    homeOfText(fields.id, regions) ??
    homeOfText(invoke.f === 'cas' ? fields.to : fields.value, regions)
  );
}
