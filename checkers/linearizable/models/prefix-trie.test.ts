import { describe, expect, it } from 'vitest';
import { OFF_TRIE, PrefixTrie } from './prefix-trie.js';

describe('PrefixTrie', () => {
  const values = ['abc', 'abd', 'ab', 'x', 'abcde', ''];
  const t = new PrefixTrie(values);

  it('walks appends to the position of every prefix of a value read, and off the trie otherwise', () => {
    for (const v of values) expect(t.text(t.positionOf(v))).toBe(v);
    expect(t.walk(t.walk(t.root, 'a'), 'bc')).toBe(t.positionOf('abc'));
    expect(t.walk(t.positionOf('abc'), 'd')).toBe(t.walk(t.root, 'abcd'));
    expect(t.walk(t.positionOf('ab'), 'z')).toBe(OFF_TRIE);
    expect(t.walk(OFF_TRIE, '')).toBe(OFF_TRIE);
    expect(t.positionOf('abz')).toBe(OFF_TRIE);
  });

  it('numbers distinct prefixes with distinct positions, and tells prefixes apart', () => {
    const prefixes = new Set<string>();
    for (const v of values) for (let i = 0; i <= v.length; i++) prefixes.add(v.slice(0, i));
    const positions = [...prefixes].map((p) => t.walk(t.root, p));
    expect(new Set(positions).size).toBe(prefixes.size);
    for (const a of prefixes) {
      for (const b of prefixes) {
        expect({ a, b, isPrefix: t.isPrefix(t.walk(t.root, a), t.walk(t.root, b)) }).toEqual({ a, b, isPrefix: b.startsWith(a) });
      }
    }
  });
});
