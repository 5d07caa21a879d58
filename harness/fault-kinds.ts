/**
 * Names of fault variants that targets may speak of (a target narrows what
 * a plain `--nemesis clock` draws from). The nemeses own what they mean.
 */

export const CLOCK_FAULTS = ['bump', 'strobe', 'skew', 'slow-primary', 'rewind-primary'] as const;
export type ClockFaultName = (typeof CLOCK_FAULTS)[number];
