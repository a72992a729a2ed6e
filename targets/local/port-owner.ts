/**
 * Whether a process holds the listening socket of a 127.0.0.1 port (from /proc/net/tcp and the
 * process's fds). A lab server is ready only when the port answers AND is its own: a free port is
 * chosen before the server binds it, and a concurrent lab may take it in between; then the probe
 * would reach the other lab's server while ours failed to bind.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const TCP_LISTEN = '0A';
const LOOPBACK_HEX = '0100007F';

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const [address, localPort] = fields[1]!.split(':');
    if (
      localPort === portHex &&
      fields[3] === TCP_LISTEN &&
      (address === LOOPBACK_HEX || address === '00000000')
    ) {
      inodes.add(fields[9]!);
    }
  }
  return inodes;
}

export function ownsListeningPort(pid: number, port: number): boolean {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return false;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match !== null && inodes.has(match[1]!)) return true;
  }
  return false;
}
