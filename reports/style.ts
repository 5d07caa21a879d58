/**
 * The report's stylesheet, inline in every page. Colours of outcomes
 * (ok / fail / info), fault kinds and verdicts are defined here only.
 */
export const CSS = `
:root { --ok: #3a8f4a; --fail: #c9452f; --info: #d9a21b; --ink: #1d2329; --muted: #66707a; --line: #d9dde2; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; background: #f6f7f9; }
main { max-width: 1280px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 20px; margin: 0; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0 0 6px; }
h4 { font-size: 14px; margin: 12px 0 4px; }
h5 { font-size: 13px; margin: 12px 0 4px; color: #39424b; }
code, pre, .cmd { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.muted { color: var(--muted); }
.verdict { border-radius: 8px; padding: 18px 22px; color: #fff; margin: 12px 0 16px; display: flex; align-items: baseline; gap: 24px; flex-wrap: wrap; }
.verdict .big { font-size: 44px; font-weight: 800; letter-spacing: 0.02em; }
.verdict .what { font-size: 17px; opacity: 0.95; }
.verdict.v-valid { background: var(--ok); }
.verdict.v-invalid { background: #b3261e; }
.verdict.v-unknown { background: #8a6d00; }
.verdict.v-incomplete { background: #6b7580; }
.badge { display: inline-block; border-radius: 4px; padding: 1px 8px; color: #fff; font-size: 12px; font-weight: 700; vertical-align: 1px; }
.badge.v-valid { background: var(--ok); }
.badge.v-invalid { background: #b3261e; }
.badge.v-unknown { background: #8a6d00; }
.badge.v-incomplete { background: #6b7580; }
.badge.v-reported { background: #b86e00; }
.params { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
.params dt { color: var(--muted); }
.params dd { margin: 0; }
.cmd { background: #1d2329; color: #e8eaed; padding: 10px 12px; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 8px 0; }
.notes { background: #fff4e0; border: 1px solid #f0c36d; border-radius: 6px; padding: 8px 12px; }
.notes.heal-failed { background: #fdecea; border-color: #b3261e; }
.reasons { margin: 6px 0 12px; padding-left: 20px; }
.side-by-side { display: flex; flex-wrap: wrap; gap: 12px 32px; align-items: flex-start; }
.checker { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 10px 0; }
.summary { margin: 0 0 6px; }
.facts { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 4px 0; color: var(--muted); }
.facts dt { display: inline; } .facts dt::after { content: ':'; }
.facts dd { display: inline; margin: 0 0 0 -14px; color: var(--ink); }
.counterexample { border-left: 4px solid #d6008f; padding: 2px 0 2px 12px; margin: 10px 0; }
.explanation { font-size: 15px; background: #fdf0ee; padding: 8px 12px; border-radius: 4px; }
.culprit-op table { border: 2px solid #d6008f; }
.hint { color: var(--muted); font-size: 12.5px; }
table { border-collapse: collapse; background: #fff; margin: 4px 0; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #eef0f3; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.ok { color: var(--ok); } td.fail, td.failed { color: var(--fail); } td.info, td.unknown { color: #9a7000; }
tr.total td { font-weight: 600; }
.value-list p { margin: 2px 0; line-height: 1.8; }
.value-list code { background: #eef0f3; padding: 1px 4px; border-radius: 3px; }
.value-list.bad h5 { color: #b3261e; }
details.json summary { cursor: pointer; color: var(--muted); }
details.json pre { background: #f1f3f5; padding: 8px; max-height: 480px; overflow: auto; }
.legend { display: flex; gap: 16px; flex-wrap: wrap; font-size: 12.5px; color: var(--muted); margin: 4px 0; }
.legend span::before { content: ''; display: inline-block; width: 14px; height: 10px; margin-right: 5px; vertical-align: -1px; border-radius: 2px; background: var(--c); border: var(--b, none); }
.plot-notes { font-size: 12.5px; color: var(--muted); margin: 2px 0; }
svg.chart { width: 100%; height: auto; background: #fff; border: 1px solid var(--line); border-radius: 4px; display: block; }
svg text { font: 11px system-ui, sans-serif; fill: var(--ink); }
svg .tick, svg .lane-label, svg .axis-title { fill: var(--muted); }
svg .grid { stroke: #eceef1; stroke-width: 1; }
svg .op.ok { fill: var(--ok); } svg .op.fail { fill: var(--fail); } svg .op.info { fill: var(--info); } svg .op.info.tail { opacity: 0.5; }
svg .op.hl { stroke-width: 2.5; opacity: 1; }
svg .op.hl-culprit { stroke: #d6008f; fill: #d6008f; }
svg .hl-mark { stroke: #d6008f; stroke-width: 1; stroke-dasharray: 3 3; }
svg .op.hl-concurrent { stroke: #ff7a00; }
svg .hl-label { fill: #d6008f; font-weight: 700; }
svg .op.selected { stroke: #000; stroke-width: 2; }
svg .pt.ok { fill: var(--ok); opacity: 0.7; } svg .pt.fail { fill: var(--fail); } svg .pt.info { fill: var(--info); }
svg .tp { fill: none; stroke-width: 1.6; } svg .tp.ok { stroke: var(--ok); } svg .tp.fail { stroke: var(--fail); } svg .tp.info { stroke: var(--info); }
svg .fault { fill: #8c96a0; opacity: 0.16; }
svg .fault-partition { fill: #5b6bd6; } svg .fault-kill { fill: #c9452f; } svg .fault-pause { fill: #9b59b6; }
svg .fault-clock { fill: #1f9bb0; } svg .fault-packet { fill: #a0782c; }
svg .fault-label { font-size: 10.5px; font-weight: 600; }
svg .fault-strip { opacity: 0.85; }
svg .fault-label-partition { fill: #3b4bb6; } svg .fault-label-kill { fill: #a9351f; } svg .fault-label-pause { fill: #7b3996; }
svg .fault-label-clock { fill: #137b90; } svg .fault-label-packet { fill: #80581c; }
#op-detail { font-family: ui-monospace, monospace; font-size: 12.5px; min-height: 1.5em; color: var(--ink); }
.elle-anomaly { border-left: 4px solid #d6008f; padding: 2px 0 2px 12px; margin: 10px 0; }
.elle-anomaly pre.explanation { white-space: pre-wrap; font-size: 12.5px; }
.cycle-drawing { float: right; margin: 0 0 8px 12px; }
.elle-anomaly::after { content: ''; display: block; clear: both; }
svg.cycle { background: #fff; border: 1px solid var(--line); border-radius: 4px; max-width: 100%; height: auto; }
svg.cycle .cyc-node circle { fill: #eef0f3; stroke: #39424b; stroke-width: 1.5; }
svg.cycle .cyc-node text { font-weight: 700; }
svg .cyc-arrow { fill: none; stroke-width: 2; }
svg .cyc-label { font-size: 11px; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg .cyc-arrow.cyc-ww { stroke: #7b3996; } svg .cyc-head.cyc-ww, svg .cyc-label.cyc-ww { fill: #7b3996; }
svg .cyc-arrow.cyc-wr { stroke: #1f6fb4; } svg .cyc-head.cyc-wr, svg .cyc-label.cyc-wr { fill: #1f6fb4; }
svg .cyc-arrow.cyc-rw { stroke: #d6008f; stroke-dasharray: 6 3; } svg .cyc-head.cyc-rw, svg .cyc-label.cyc-rw { fill: #d6008f; }
svg .cyc-arrow.cyc-process { stroke: #3a8f4a; } svg .cyc-head.cyc-process, svg .cyc-label.cyc-process { fill: #3a8f4a; }
svg .cyc-arrow.cyc-realtime { stroke: #a0782c; } svg .cyc-head.cyc-realtime, svg .cyc-label.cyc-realtime { fill: #a0782c; }
.cyc-key { font-weight: 600; } .cyc-key.cyc-ww { color: #7b3996; } .cyc-key.cyc-wr { color: #1f6fb4; } .cyc-key.cyc-rw { color: #d6008f; }
.cyc-key.cyc-process { color: #3a8f4a; } .cyc-key.cyc-realtime { color: #a0782c; }
.runs td, .runs th { white-space: nowrap; }
.runs td.cmdcell { white-space: normal; }
`;
