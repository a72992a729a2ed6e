/**
 * Ships a worker's op log to S3 (`--oplog-s3 s3://bucket/prefix`): a Fargate task's disk goes
 * with the task, so the log must leave it. Each ship uploads the whole local file to
 * `s3://bucket/prefix/<file name>`, overwriting the last copy: the object is always a prefix of
 * the log, which the merge reads as it reads a log cut short by a kill. The local file is never
 * removed; a failed upload says so on stderr, naming the object and the local file, and the next
 * ship tries again.
 *
 * At most one upload is in flight and at most one more waits behind it (a ship asked for during
 * an upload must see the lines written since that upload read the file).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** One upload's bound: a hung connection must not hold the worker's end forever. */
const UPLOAD_TIMEOUT_MS = 60_000;

export interface S3Location {
  bucket: string;
  /** The key prefix, without a trailing slash; '' for the bucket's root. */
  prefix: string;
}

/** `s3://bucket[/prefix]`, or undefined when `text` is not one. */
export function parseS3Url(text: string): S3Location | undefined {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(text);
  if (match === null) return undefined;
  const prefix = (match[2] ?? '').replace(/\/+$/, '');
  if (prefix.startsWith('/')) return undefined;
  return { bucket: match[1]!, prefix };
}

export interface ShipperOptions {
  /** The S3 API's endpoint, path-style (moto, MinIO); absent: AWS's own. */
  endpoint?: string;
  region: string;
}

export class OpLogShipper {
  private readonly client: S3Client;
  private readonly key: string;
  private inFlight: Promise<boolean> | undefined;
  private queued: Promise<boolean> | undefined;

  constructor(
    private readonly file: string,
    private readonly location: S3Location,
    options: ShipperOptions,
  ) {
    this.client = new S3Client({
      region: options.region,
      // The bucket may sit in another region than the task: follow S3's redirect to it.
      followRegionRedirects: true,
      ...(options.endpoint === undefined
        ? {}
        : { endpoint: options.endpoint, forcePathStyle: true }),
    });
    const name = basename(file);
    this.key = location.prefix === '' ? name : `${location.prefix}/${name}`;
  }

  get objectUrl(): string {
    return `s3://${this.location.bucket}/${this.key}`;
  }

  /** Uploads the log as it is now; true when that upload (or a later one) landed. */
  ship(): Promise<boolean> {
    if (this.inFlight === undefined) {
      this.inFlight = this.upload().finally(() => {
        this.inFlight = undefined;
      });
      return this.inFlight;
    }
    this.queued ??= this.inFlight.then(() => {
      this.queued = undefined;
      return this.ship();
    });
    return this.queued;
  }

  private async upload(): Promise<boolean> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.location.bucket,
          Key: this.key,
          Body: readFileSync(this.file),
          ContentType: 'application/x-ndjson',
        }),
        { abortSignal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS) },
      );
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(
        `paychaos: op log not shipped to ${this.objectUrl}: ${reason}; it stays at ${this.file}\n`,
      );
      return false;
    }
  }

  close(): void {
    this.client.destroy();
  }
}
