/**
 * From what a workload's inference found (data-dependency edges, anomalies
 * seen without a graph, and how to explain an edge) to an ElleResult: add
 * process and real-time edges when the models checked need them, find the
 * strongly connected components, search each for the cycles the models
 * forbid, and relate what was found to the models.
 */
import { CYCLE_ANOMALIES, UNKNOWN_ANOMALIES, impliedBy, type AnomalyName, type PlainAnomaly, type ReportedAnomaly } from './anomalies.js';
import { anomaliesProhibitedBy, boundary, type Model } from './consistency-models.js';
import { CycleSearcher, cycleSpec, type FoundCycle } from './cycle-search.js';
import { cycleText, letBlock, processReason, realtimeReason, txnRefs } from './explain.js';
import { KIND, RELS, edgeCounts, freezeGraph, relMask, type EdgeList, type Graph } from './graph.js';
import { addProcessEdges, addRealtimeEdges } from './orders.js';
import type { AnomalyReport, CycleAnomalyReport, ElleResult, PlainAnomalyReport } from './result.js';
import { SccFinder } from './scc.js';
import type { Txn, Txns } from './txns.js';

export interface ElleOptions {
  /** The models the history should satisfy (default: strict-serializable). */
  consistencyModels?: readonly Model[];
  /** The caller's budget: a reason to stop searching for cycles, or undefined to go on. */
  shouldStop?: () => string | undefined;
  /** A clock in milliseconds, for a time limit per component (the checker reads no clock of its own). */
  now?: () => number;
  /** With `now`: how long to search one strongly connected component (default 1000 ms). */
  componentTimeLimitMs?: number;
  /** How many anomalies of each type to describe (default 8); all are counted. */
  maxAnomaliesPerType?: number;
}

export type DataRel = 'ww' | 'wr' | 'rw';

/** What a workload's inference hands to the analysis. */
export interface Inference {
  checker: ElleResult['checker'];
  txns: Txns;
  /** ww, wr and rw edges; order edges are added here. */
  edges: EdgeList;
  /** Why `a` precedes `b` in a data relation, naming them `an` and `bn`, and on which key. */
  explain(rel: DataRel, a: Txn, b: Txn, an: string, bn: string): { key?: unknown; text: string };
  /** Anomalies found without a cycle search. */
  found: AnomalyReport[];
}

export const DEFAULT_MODELS: readonly Model[] = ['strict-serializable'];

/** A plain anomaly whose explanation names its transactions T1, T2, ... in the order given. */
export function plainAnomaly(type: PlainAnomaly, txns: readonly Txn[], key: unknown, describe: (...names: string[]) => string): PlainAnomalyReport {
  const refs = txnRefs(txns);
  const text = describe(...refs.map((r) => r.name));
  const a: PlainAnomalyReport = { type, txns: refs, explanation: refs.length > 0 ? `${letBlock(refs)}\n\n${text}` : text };
  if (key !== undefined) a.key = key;
  return a;
}

export function analyze(inf: Inference, opts: ElleOptions = {}): ElleResult {
  const models = opts.consistencyModels && opts.consistencyModels.length > 0 ? [...opts.consistencyModels] : [...DEFAULT_MODELS];
  const prohibited = anomaliesProhibitedBy(models);
  const specs = CYCLE_ANOMALIES.filter((t) => prohibited.has(t)).map(cycleSpec);
  const mask = specs.reduce((m, s) => m | s.allowed, 0);
  const { txns } = inf.txns;
  // Order edges alone never form a cycle: with no ww, wr or rw edge (and no anomaly found without
  // the graph) there is nothing to check.
  const dataEdges = inf.edges.length;
  if (mask & relMask('process')) addProcessEdges(txns, inf.edges);
  if (mask & relMask('realtime')) addRealtimeEdges(txns, inf.edges);
  const g = freezeGraph(txns.length, inf.edges);

  const found: AnomalyReport[] = [];
  const components = mask === 0 ? [] : new SccFinder(g).components(mask);
  const searcher = new CycleSearcher(g);
  // Cycles the inference found without the graph (a lost append) and the component holding each.
  const componentOf = new Map<number, number>();
  components.forEach((c, i) => c.forEach((v) => componentOf.set(v, i)));
  let idOf: Map<number, number> | undefined;
  const graphFree = inf.found.map((a) => {
    if ('steps' in a) idOf ??= new Map(txns.map((t) => [t.index, t.id]));
    const cs = 'steps' in a ? a.txns.map((t) => componentOf.get(idOf!.get(t.index)!)) : [];
    return { a, component: cs.length > 0 && cs.every((c) => c === cs[0]) ? cs[0] : undefined };
  });
  const graphFreeTypes = new Map<number, Set<AnomalyName>>();
  for (const { a, component } of graphFree) if (component !== undefined) (graphFreeTypes.get(component) ?? graphFreeTypes.set(component, new Set()).get(component)!).add(a.type);
  /** Per component, what the search found there; Elle reports no anomaly implied by a more severe one found in the same component. */
  const foundIn: AnomalyName[][] = components.map(() => []);
  let stopReason: string | undefined;
  const budgetSpent = () => (stopReason ??= opts.shouldStop?.()) !== undefined;
  const limit = opts.componentTimeLimitMs ?? 1000;
  for (const [ci, component] of components.entries()) {
    if (budgetSpent()) {
      const c = searcher.anyCycle(component);
      found.push(cycleReport(inf, g, c), timeoutReport(component.length, specs.map((s) => s.type), stopReason!));
      continue;
    }
    const deadline = opts.now ? opts.now() + limit : Infinity;
    const stop = () => budgetSpent() || (opts.now !== undefined && opts.now() > deadline);
    const r = searcher.searchComponent(component, specs, stop);
    const plainer = graphFreeTypes.get(ci);
    for (const c of r.cycles) {
      foundIn[ci]!.push(c.type);
      // The graph-free account of the same anomaly among the same transactions reads more plainly.
      if (!plainer?.has(c.type)) found.push(cycleReport(inf, g, c));
    }
    if (r.unfinished.length > 0) found.push(timeoutReport(component.length, r.unfinished, stopReason ?? `the time limit of ${limit} ms per component`));
  }
  for (const { a, component } of graphFree) {
    const worse = component === undefined ? [] : foundIn[component]!.filter((t) => t !== a.type);
    if (!impliedBy(worse).has(a.type)) found.push(a);
  }
  if (dataEdges === 0 && found.length === 0) {
    found.push({ type: 'empty-transaction-graph', txns: [], explanation: 'No transaction read or overwrote another (none committed, or none share a key): there is nothing to check.' });
  }

  const reportable = new Set<AnomalyName>([...prohibited, ...UNKNOWN_ANOMALIES]);
  const max = opts.maxAnomaliesPerType ?? 8;
  const counts: Partial<Record<ReportedAnomaly, number>> = {};
  const anomalies: AnomalyReport[] = [];
  for (const a of found) {
    if (!reportable.has(a.type)) continue;
    counts[a.type] = (counts[a.type] ?? 0) + 1;
    if (counts[a.type]! <= max) anomalies.push(a);
  }
  const anomalyTypes = (Object.keys(counts) as ReportedAnomaly[]).sort();
  const valid = anomalyTypes.some((t) => prohibited.has(t)) ? false : anomalyTypes.length > 0 ? 'unknown' : true;
  const { not, alsoNot } = boundary(found.map((a) => a.type).filter((t) => !(UNKNOWN_ANOMALIES as readonly string[]).includes(t)) as AnomalyName[]);
  let committed = 0;
  let failed = 0;
  for (const t of txns) {
    if (t.type === 'ok') committed++;
    else if (t.type === 'fail') failed++;
  }
  const result: ElleResult = {
    checker: inf.checker,
    valid,
    summary: '',
    anomalyTypes,
    anomalies,
    anomalyCounts: counts,
    not,
    alsoNot,
    consistencyModels: models,
    transactions: txns.length,
    committed,
    indeterminate: txns.length - committed - failed,
    failed,
    keys: inf.txns.keys.length,
    edges: edgeCounts(g),
    components: components.length,
    largestComponent: components.reduce((m, c) => Math.max(m, c.length), 0),
  };
  result.summary = summarize(result);
  return result;
}

function cycleReport(inf: Inference, g: Graph, c: FoundCycle): CycleAnomalyReport {
  const { txns } = inf.txns;
  // Start at the transaction that came first in the history: the same cycle always reads the same way.
  const first = c.edges.reduce((best, e, i) => (txns[g.from[e]!]!.index < txns[g.from[c.edges[best]!]!]!.index ? i : best), 0);
  const edges = [...c.edges.slice(first), ...c.edges.slice(0, first)];
  const cycleTxns = edges.map((e) => txns[g.from[e]!]!);
  const refs = txnRefs(cycleTxns);
  const steps = edges.map((e, i) => {
    const a = cycleTxns[i]!;
    const b = cycleTxns[(i + 1) % cycleTxns.length]!;
    const an = refs[i]!.name;
    const bn = refs[(i + 1) % refs.length]!.name;
    const rel = RELS[g.kind[e]!]!;
    if (g.kind[e] === KIND.process) return { from: an, to: bn, rel, text: processReason(a, b, an, bn) };
    if (g.kind[e] === KIND.realtime) return { from: an, to: bn, rel, text: realtimeReason(a, b, an, bn) };
    return { from: an, to: bn, rel, ...inf.explain(rel as DataRel, a, b, an, bn) };
  });
  return { type: c.type, txns: refs, steps, explanation: cycleText(refs, steps) };
}

function timeoutReport(size: number, unfinished: AnomalyReport['type'][], reason: string): AnomalyReport {
  return {
    type: 'cycle-search-timeout',
    txns: [],
    componentSize: size,
    unfinished: unfinished.filter((t): t is (typeof CYCLE_ANOMALIES)[number] => (CYCLE_ANOMALIES as readonly string[]).includes(t)),
    explanation: `The search of a strongly connected component of ${size} transactions was cut short (${reason}) before it could rule out ${unfinished.join(', ')}; one cycle of it is reported, others may be there.`,
  };
}

function summarize(r: ElleResult): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const scope = `${n(r.transactions)} transactions (${n(r.committed)} committed) on ${n(r.keys)} keys`;
  if (r.valid === true) return `${scope}: nothing ${r.consistencyModels.join(' or ')} forbids`;
  const types = r.anomalyTypes.map((t) => `${t} (${n(r.anomalyCounts[t] ?? 0)})`).join(', ');
  if (r.valid === 'unknown') return `${scope}: could not decide: ${types}`;
  const stronger = r.alsoNot.length > 0 ? `, nor ${r.alsoNot.length} stronger models` : '';
  return `${types}: not ${r.not.join(', ')}${stronger}`;
}
