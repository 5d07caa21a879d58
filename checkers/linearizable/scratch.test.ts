import { describe, expect, it } from 'vitest';
import { Scratch } from './scratch.js';

describe('Scratch', () => {
  it('hands out zeroed views that never overlap, also across a growth of its buffer', () => {
    const s = new Scratch();
    s.begin();
    const views = [s.int32(1000, 7), s.uint8(3), s.uint32(50_000), s.int32(10, -1), s.uint32(200_000)];
    views.forEach((v, i) => v.fill(i + 1));
    views.forEach((v, i) => expect(v.every((x) => x === i + 1)).toBe(true));
    s.begin();
    const again = s.int32(1000, -1);
    expect(again.every((x) => x === -1)).toBe(true);
  });
});
