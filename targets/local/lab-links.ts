/**
 * The lab's network links, each a Toxiproxy proxy, named for what crosses it. Every link has a
 * `from` and a `to` region, so that a region's isolation is every link into and out of it down
 * (links inside one region stay up: a bank and its local stores are one site).
 *
 * - `dynamodb-R`: region R's bank to R's DynamoDB API (moto).
 * - `sql-R-to-N`: region R's bank to the PostgreSQL node in region N ("write global" crosses).
 * - `wal-W-to-R`: the replica in R streaming WAL from the primary in W.
 * - `replication-A-to-B`: the replicator A -> B writing into B's DynamoDB API.
 */

export interface LinkSpec {
  name: string;
  from: string;
  to: string;
}

export interface Link extends LinkSpec {
  /** host:port the proxy listens on (127.0.0.1, a port Toxiproxy chose). */
  listen: string;
  upstream: string;
}

export const dynamodbLink = (region: string) => `dynamodb-${region}`;
export const sqlLink = (region: string, node: string) => `sql-${region}-to-${node}`;
export const walLink = (writer: string, replica: string) => `wal-${writer}-to-${replica}`;
export const replicationLink = (from: string, to: string) => `replication-${from}-to-${to}`;

export function labLinks(regions: readonly string[], writerRegion: string): LinkSpec[] {
  const links: LinkSpec[] = [];
  for (const region of regions) {
    links.push({ name: dynamodbLink(region), from: region, to: region });
    for (const node of regions) links.push({ name: sqlLink(region, node), from: region, to: node });
    if (region !== writerRegion) {
      links.push({ name: walLink(writerRegion, region), from: writerRegion, to: region });
    }
    for (const to of regions) {
      if (to !== region) links.push({ name: replicationLink(region, to), from: region, to });
    }
  }
  return links;
}

/** The links a region's isolation takes down: every link that crosses into or out of it. */
export function isolationLinks(links: readonly LinkSpec[], region: string): string[] {
  return links
    .filter((link) => link.from !== link.to && (link.from === region || link.to === region))
    .map((link) => link.name);
}

/** The port of a proxy's listen address. */
export function linkPort(link: Pick<Link, 'listen'>): number {
  const port = Number(link.listen.slice(link.listen.lastIndexOf(':') + 1));
  if (!Number.isInteger(port) || port <= 0) throw new Error(`bad listen address ${link.listen}`);
  return port;
}
