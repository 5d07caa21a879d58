import { describe, expect, it } from 'vitest';
import { anomaliesProhibitedBy, boundary, modelNamed, MODELS } from './consistency-models.js';

describe('consistency models', () => {
  it('knows models by their names and aliases', () => {
    expect(modelNamed('serializable')).toBe('serializable');
    expect(modelNamed('PL-2')).toBe('read-committed');
    expect(modelNamed('strong-serializable')).toBe('strict-serializable');
    expect(modelNamed('linearizable-ish')).toBeUndefined();
  });

  it('relates anomalies to the weakest models they rule out', () => {
    expect(boundary(['G0'])).toMatchObject({ not: ['read-uncommitted'] });
    expect(boundary(['G1c']).not).toEqual(['read-committed']);
    expect(boundary(['G1a']).not).toEqual(['read-committed']);
    expect(boundary(['G2-item']).not).toEqual(['repeatable-read']);
    expect(boundary(['G-single-item']).not.sort()).toEqual(['consistent-view', 'repeatable-read']);
    expect(boundary(['G0-process']).not).toEqual(['strong-session-read-uncommitted']);
    expect(boundary(['G1c-realtime']).not).toEqual(['strong-read-committed']);
    expect(boundary(['G-single-item-realtime'])).toEqual({ not: ['strong-snapshot-isolation'], alsoNot: ['strict-serializable'] });
    expect(boundary(['G2-item-realtime'])).toEqual({ not: ['strict-serializable'], alsoNot: [] });
    expect(boundary(['G-nonadjacent-item-process'])).toEqual({ not: ['strong-session-snapshot-isolation'], alsoNot: ['strict-serializable', 'strong-session-serializable', 'strong-snapshot-isolation'] });
    expect(boundary(['internal']).not).toEqual(['read-atomic']);
    expect(boundary([])).toEqual({ not: [], alsoNot: [] });
  });

  it('strict serializability rules out everything the others do, and more', () => {
    const strict = anomaliesProhibitedBy(['strict-serializable']);
    for (const m of MODELS) for (const a of anomaliesProhibitedBy([m])) expect(strict.has(a)).toBe(true);
    expect(anomaliesProhibitedBy(['serializable']).has('G-single-item-realtime')).toBe(false);
    expect(anomaliesProhibitedBy(['snapshot-isolation']).has('G2-item')).toBe(false);
    expect(anomaliesProhibitedBy(['snapshot-isolation']).has('G-nonadjacent-item')).toBe(true);
    expect(anomaliesProhibitedBy(['read-committed']).has('G-single-item')).toBe(false);
    expect(anomaliesProhibitedBy(['read-uncommitted']).has('G1a')).toBe(false);
  });
});
