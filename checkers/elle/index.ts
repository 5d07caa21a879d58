/**
 * The Elle-like transactional checkers: pure functions from a history to an
 * ElleResult (verdict, anomalies explained, model boundary).
 *
 *   checkListAppend(history, { consistencyModels: ['strict-serializable'], shouldStop, now })
 *   checkRwRegister(history, { ..., linearizableKeys: true })
 */
export { checkListAppend } from './list-append.js';
export { checkRwRegister, type RwRegisterOptions } from './rw-register.js';
export type { ElleOptions } from './analyze.js';
export type { AnomalyReport, CycleAnomalyReport, CycleStep, ElleResult, PlainAnomalyReport, TxnRef, UnknownAnomalyReport } from './result.js';
export { MODELS, modelNamed, type Model } from './consistency-models.js';
export type { CycleAnomaly, PlainAnomaly, ReportedAnomaly } from './anomalies.js';
