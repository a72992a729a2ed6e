/**
 * A version of one item in a global-table replica, and the last-writer-wins order between
 * versions: the larger replication timestamp wins, a tie goes to the larger writer region name
 * (plain string order). Every replica applies the same total order, which is what makes them
 * converge once every record has arrived, whatever order the records arrive in.
 *
 * A delete is a version too (a tombstone): it must outrank older puts that are still in flight,
 * or a late put would resurrect the item in one region and not in another.
 */
import type { JsonValue } from '../../history/json-value.ts';
import { copyJson } from './copy-json.ts';

export type Version<V> =
  | { deleted: false; value: V; tsUs: number; writerRegion: string }
  | { deleted: true; tsUs: number; writerRegion: string };

/** What a reader sees of an item: its value and the replication metadata that decided it. */
export interface Item<V> {
  value: V;
  tsUs: number;
  writerRegion: string;
}

export function newerThan<V>(
  candidate: { tsUs: number; writerRegion: string },
  current: Version<V> | undefined,
): boolean {
  if (current === undefined) return true;
  if (candidate.tsUs !== current.tsUs) return candidate.tsUs > current.tsUs;
  return candidate.writerRegion > current.writerRegion;
}

/** The item a reader sees, copied so the caller cannot reach into the store. */
export function itemOf<V extends JsonValue>(version: Version<V> | undefined): Item<V> | undefined {
  if (version === undefined || version.deleted) return undefined;
  return {
    value: copyJson(version.value),
    tsUs: version.tsUs,
    writerRegion: version.writerRegion,
  };
}
