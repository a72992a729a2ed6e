/**
 * A string that identifies a register value for equality and map keys. Values are compared as
 * JSON data: 1 and "1" differ, objects compare by their JSON text.
 */
export function valueKey(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  switch (typeof value) {
    case 'number':
      return `n:${value}`;
    case 'string':
      return `s:${value}`;
    case 'boolean':
      return `b:${value}`;
    default:
      return `j:${JSON.stringify(value)}`;
  }
}
