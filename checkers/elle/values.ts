/**
 * Identity of keys and values by JSON value, never by coercion: the number 1
 * and the string "1" are different keys, and two arrays with the same
 * elements are the same value.
 */

/** A Map from JSON values to T. Primitives are looked up directly (fast); arrays and objects by their JSON text. */
export class ValueMap<T> {
  private readonly primitives = new Map<unknown, T>();
  private readonly composites = new Map<string, T>();

  get(v: unknown): T | undefined {
    return isComposite(v) ? this.composites.get(JSON.stringify(v)) : this.primitives.get(v);
  }

  has(v: unknown): boolean {
    return isComposite(v) ? this.composites.has(JSON.stringify(v)) : this.primitives.has(v);
  }

  set(v: unknown, x: T): void {
    if (isComposite(v)) this.composites.set(JSON.stringify(v), x);
    else this.primitives.set(v, x);
  }

  get size(): number {
    return this.primitives.size + this.composites.size;
  }
}

/** Dense integer ids for JSON values, and the values back. */
export class Interner {
  private readonly ids = new ValueMap<number>();
  readonly values: unknown[] = [];

  id(v: unknown): number {
    let id = this.ids.get(v);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(v);
      this.ids.set(v, id);
    }
    return id;
  }

  get size(): number {
    return this.values.length;
  }
}

function isComposite(v: unknown): boolean {
  return typeof v === 'object' && v !== null;
}

/** Equal as JSON values (1 and "1" differ; [1] and [1] are equal): the models' equality. */
export { sameValue } from '../linearizable/model.js';

const BARE = /^[A-Za-z_][\w.-]*$/;

/** A key or value as a person reads it: bare words for keyword-like strings, [1 2 3] for lists (long ones elided). */
export function show(v: unknown, maxItems = 8): string {
  if (typeof v === 'string') return BARE.test(v) ? v : JSON.stringify(v);
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) {
    if (v.length <= maxItems) return `[${v.map((x) => show(x)).join(' ')}]`;
    const head = v.slice(0, 2).map((x) => show(x));
    const tail = v.slice(v.length - (maxItems - 3)).map((x) => show(x));
    return `[${head.join(' ')} … ${tail.join(' ')}]`;
  }
  return JSON.stringify(v);
}
