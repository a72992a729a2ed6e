/**
 * A parallel segmented Scan of one table in one region: `segments` workers each page through
 * their segment (DynamoDB splits the key space), so a large table is read in a fraction of a
 * single Scan's time. Strongly consistent reads, since the final state is read after quiescence
 * and must not be an older copy. Bounded in items and pages.
 */
import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';

export const SCAN_ITEMS_MAX = 1_000_000;
const PAGES_PER_SEGMENT_MAX = 100_000;

export type Item = Record<string, AttributeValue>;

export async function scanTable(
  client: DynamoDBClient,
  table: string,
  segments: number,
): Promise<Item[]> {
  if (!(Number.isInteger(segments) && segments >= 1 && segments <= 64)) {
    throw new Error(`a parallel Scan takes 1..64 segments, got ${segments}`);
  }
  const items: Item[] = [];
  const segment = async (index: number): Promise<void> => {
    let start: Item | undefined;
    for (let page = 0; page < PAGES_PER_SEGMENT_MAX; page += 1) {
      const answer = await client.send(
        new ScanCommand({
          TableName: table,
          Segment: index,
          TotalSegments: segments,
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of answer.Items ?? []) {
        if (items.length >= SCAN_ITEMS_MAX) {
          throw new Error(`${table}: over ${SCAN_ITEMS_MAX} items in the final state`);
        }
        items.push(item);
      }
      start = answer.LastEvaluatedKey;
      if (start === undefined) return;
    }
    throw new Error(`${table} segment ${index}: over ${PAGES_PER_SEGMENT_MAX} pages`);
  };
  await Promise.all(Array.from({ length: segments }, (_, index) => segment(index)));
  return items;
}
