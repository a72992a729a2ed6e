/**
 * A process that appends ops as fast as it can and reports on stdout how many it has appended;
 * the writer test SIGKILLs it mid-stream and counts what survived.
 */
import { HistoryWriter } from '../../../history/writer.ts';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: writer-child <history.jsonl>');
const writer = new HistoryWriter(file);
const opsMax = 50_000_000;
let timeNs = 0;

function burst(): void {
  for (let i = 0; i < 1000 && writer.opsWritten < opsMax; i += 1) {
    const process = writer.opsWritten;
    timeNs += 1000;
    writer.append({
      time: timeNs,
      process: process % 1_000_000,
      type: 'invoke',
      f: 'read',
      value: { key: 'k' },
    });
    timeNs += 1000;
    writer.append({
      time: timeNs,
      process: process % 1_000_000,
      type: 'ok',
      f: 'read',
      value: { key: 'k', value: null },
    });
  }
  globalThis.process.stdout.write(`${writer.opsWritten}\n`);
  setTimeout(burst, 5);
}

burst();
