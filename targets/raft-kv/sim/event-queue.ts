/** A min-heap of timed events; ties run in insertion order, so runs are deterministic. */
interface Item {
  at: number;
  n: number;
  run: () => void;
}

export class EventQueue {
  private heap: Item[] = [];
  private counter = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, run: () => void): void {
    const item = { at, n: this.counter++, run };
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p] as Item;
      if (!less(item, parent)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = item;
  }

  pop(): Item | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      let mItem = last;
      const lItem = h[l];
      const rItem = h[r];
      if (lItem && less(lItem, mItem)) {
        m = l;
        mItem = lItem;
      }
      if (rItem && less(rItem, mItem)) {
        m = r;
        mItem = rItem;
      }
      if (m === i) break;
      h[i] = mItem;
      i = m;
    }
    h[i] = last;
    return top;
  }
}

function less(a: Item, b: Item): boolean {
  return a.at < b.at || (a.at === b.at && a.n < b.n);
}
