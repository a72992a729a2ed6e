/**
 * A first-in first-out queue with a hard capacity: a push beyond `itemsMax` throws, so a
 * replication backlog that grows without bound fails the run loudly instead of eating memory.
 * Shifting is O(1) amortised (a head index; the array is compacted once half of it is dead).
 */
const COMPACT_HEAD_MIN = 1024;

export class BoundedFifo<T> {
  private items: T[] = [];
  private head = 0;

  constructor(
    private readonly itemsMax: number,
    private readonly what: string,
  ) {
    if (!Number.isSafeInteger(itemsMax) || itemsMax < 1) {
      throw new Error(`${what}: the queue max must be a positive integer, got ${itemsMax}`);
    }
  }

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    if (this.length >= this.itemsMax) {
      throw new Error(`${this.what}: queue full (${this.itemsMax} items): raise the max or heal`);
    }
    this.items.push(item);
  }

  /** The item `offset` places behind the head. */
  at(offset: number): T {
    if (!(offset >= 0 && offset < this.length)) {
      throw new Error(`${this.what}: offset ${offset} outside a queue of ${this.length}`);
    }
    return this.items[this.head + offset] as T;
  }

  shift(): T {
    if (this.length === 0) throw new Error(`${this.what}: shift from an empty queue`);
    const item = this.items[this.head] as T;
    this.head += 1;
    if (this.head >= COMPACT_HEAD_MIN && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Empties the queue and returns what it held, oldest first. */
  drain(): T[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }
}
