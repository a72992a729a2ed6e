/** How a fault reads in problems and reports: "isolate of ap-northeast-1". */
import type { Fault } from './fault.ts';

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'isolate':
      return `isolate of ${fault.region}`;
    case 'partition':
      return `partition between ${fault.regions[0]} and ${fault.regions[1]}`;
    case 'replica-lag':
      return `replica-lag from ${fault.from} to ${fault.to}`;
    case 'pause-replication':
      return `pause-replication from ${fault.from} to ${fault.to}`;
    case 'kill-cluster':
      return `kill-cluster of ${fault.cluster} in ${fault.region}`;
    case 'failover':
      return `failover of ${fault.cluster} from ${fault.from} to ${fault.to}`;
    case 'clock-skew':
      return `clock-skew of ${fault.region}`;
    case 'crash-bank':
      return `crash-bank in ${fault.region}`;
  }
}

/**
 * What a fault holds while it is active: two faults with the same key cannot coexist (a region
 * cannot be isolated twice at once). null for instantaneous faults, which hold nothing.
 */
export function faultResourceKey(fault: Fault): string | null {
  switch (fault.kind) {
    case 'isolate':
    case 'clock-skew':
    case 'crash-bank':
      return `${fault.kind}|${fault.region}`;
    case 'partition': {
      const [a, b] = fault.regions;
      return a < b ? `partition|${a}|${b}` : `partition|${b}|${a}`;
    }
    case 'replica-lag':
    case 'pause-replication':
      return `${fault.kind}|${fault.from}|${fault.to}`;
    case 'kill-cluster':
      return `kill-cluster|${fault.cluster}|${fault.region}`;
    case 'failover':
      return null;
  }
}
