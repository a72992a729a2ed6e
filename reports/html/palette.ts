/** Colours the charts share, so a region or a fault kind reads the same everywhere. */

const REGION_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#17becf'];

const FAULT_COLOURS: Record<string, string> = {
  isolate: '#f4a3a3',
  partition: '#f7c873',
  'replica-lag': '#a9c8f0',
  'pause-replication': '#9fd6d2',
  'kill-cluster': '#c9a8e8',
  failover: '#444444',
  'clock-skew': '#e8e08c',
  'crash-bank': '#e6b8a2',
};
const FAULT_COLOUR_OTHER = '#cccccc';
/** Dark red: apart from every region and fault colour, and from the ok/fail/info fills. */
export const ANOMALY_MARK_COLOUR = '#b3003c';

export function faultColour(kind: string): string {
  return FAULT_COLOURS[kind] ?? FAULT_COLOUR_OTHER;
}

/** The palette as the page's scripts read it from the embedded JSON. */
export function paletteForPage(): {
  regions: string[];
  faults: Record<string, string>;
  faultOther: string;
  anomaly: string;
} {
  return {
    regions: REGION_COLOURS,
    faults: FAULT_COLOURS,
    faultOther: FAULT_COLOUR_OTHER,
    anomaly: ANOMALY_MARK_COLOUR,
  };
}
