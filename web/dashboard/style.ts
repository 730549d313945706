// The dashboard's stylesheet, injected once by index.tsx (no framework: a few dozen rules).
export const STYLE = `
:root {
  --bg: #f5f6f8; --panel: #fff; --text: #1d2433; --muted: #667085; --line: #e4e7ec; --soft: #f2f4f7;
  --accent: #3b4cca; --accent-soft: #eef0fd; --danger: #b42318; --danger-soft: #fef3f2; --warn: #b54708; --warn-soft: #fffaeb;
  --ok: #067647; --ok-soft: #ecfdf3; --radius: 8px;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
code, pre { font-family: var(--mono); font-size: 12.5px; }
h1 { font-size: 20px; margin: 0; display: flex; align-items: center; gap: 10px; }
h2 { font-size: 14px; margin: 0; }
h4 { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 6px; }
.muted { color: var(--muted); } .small { font-size: 12px; } .strong { font-weight: 600; } .nowrap { white-space: nowrap; }
.pad { padding: 16px 0; } .center { text-align: center; margin: 16px 0; }

.top { position: sticky; top: 0; z-index: 10; display: flex; align-items: center; gap: 24px; padding: 0 24px; height: 52px; background: #161b2e; color: #fff; }
.brand { font-weight: 700; letter-spacing: .02em; }
.top nav { display: flex; gap: 4px; }
.top nav a { color: #c5cbe0; padding: 6px 12px; border-radius: 6px; }
.top nav a:hover { background: #252c45; text-decoration: none; color: #fff; }
.top nav a.active { background: #2c3558; color: #fff; }
.top .spacer { flex: 1; } .top form { margin: 0; }
.top .btn.ghost { color: #c5cbe0; border-color: #3a4263; }
.main { max-width: 1280px; margin: 0 auto; padding: 24px; }
.page-head { display: flex; align-items: flex-end; justify-content: space-between; margin-bottom: 16px; }
.back { font-size: 13px; display: inline-block; margin-bottom: 4px; }

.btn { display: inline-flex; align-items: center; gap: 6px; padding: 7px 14px; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); color: var(--text); font: inherit; font-weight: 500; cursor: pointer; }
.btn:hover { background: var(--soft); text-decoration: none; }
.btn:disabled { opacity: .5; cursor: default; }
.btn.primary { background: var(--accent); border-color: var(--accent); color: #fff; } .btn.primary:hover { background: #2f3eb0; }
.btn.danger { color: var(--danger); border-color: #fecdca; } .btn.danger:hover { background: var(--danger-soft); }
.btn.ghost { background: transparent; } .btn.small { padding: 4px 10px; font-size: 12.5px; }

.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 11.5px; font-weight: 600; background: var(--soft); color: var(--muted); margin-left: 6px; vertical-align: 1px; white-space: nowrap; }
h1 .badge { font-size: 12px; margin-left: 0; }
.outcome-booked { background: var(--ok-soft); color: var(--ok); }
.outcome-lead { background: var(--accent-soft); color: var(--accent); }
.outcome-open { background: #eff8ff; color: #175cd3; }
.outcome-error { background: var(--danger-soft); color: var(--danger); }
.outcome-limit { background: #fff6ed; color: #c4320a; }
.outcome-ended-by-agent, .outcome-caller-left, .muted-badge { background: var(--soft); color: var(--muted); }
td .badge { margin-left: 0; }
.badge.warn { background: var(--warn-soft); color: var(--warn); }
.badge.ok { background: var(--ok-soft); color: var(--ok); }
.badge.bad { background: var(--danger-soft); color: var(--danger); }
.delivery summary { cursor: pointer; list-style-position: inside; }
.delivery .attempts { margin: 4px 0 6px 18px; padding: 0; font-size: 12.5px; }
.error.small, span.error { color: var(--danger); }

.alert { border-radius: var(--radius); padding: 10px 14px; margin-bottom: 12px; }
.alert.error { background: var(--danger-soft); color: var(--danger); border: 1px solid #fecdca; }
.alert.warn { background: var(--warn-soft); color: var(--warn); border: 1px solid #fedf89; }
pre.problem { white-space: pre-wrap; margin: 6px 0 0; color: inherit; }
.empty { padding: 40px; text-align: center; color: var(--muted); background: var(--panel); border: 1px dashed var(--line); border-radius: var(--radius); }

.card { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); margin-bottom: 16px; }
.card-head { display: flex; align-items: center; justify-content: space-between; gap: 12px; padding: 12px 16px; border-bottom: 1px solid var(--line); }
.card-body { padding: 14px 16px; }
.card.danger .card-head { color: var(--danger); }
.actions { display: flex; gap: 6px; }

.filters { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 12px; margin-bottom: 16px; padding: 12px 16px; background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); }
label { display: flex; flex-direction: column; gap: 4px; font-size: 12px; font-weight: 600; color: var(--muted); }
select, input { font: inherit; color: var(--text); padding: 6px 10px; border: 1px solid var(--line); border-radius: 6px; background: #fff; min-width: 140px; }
select:focus, input:focus { outline: 2px solid var(--accent-soft); border-color: var(--accent); }

.table { width: 100%; border-collapse: collapse; background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); overflow: hidden; }
.card .table { border: 0; }
.table th { text-align: left; font-size: 12px; font-weight: 600; color: var(--muted); background: var(--soft); padding: 8px 12px; border-bottom: 1px solid var(--line); }
.table td { padding: 9px 12px; border-bottom: 1px solid var(--line); vertical-align: top; }
.table tr:last-child td { border-bottom: 0; }
.table.clickable tbody tr { cursor: pointer; } .table.clickable tbody tr:hover { background: #fafbff; }
.num { text-align: right; }
.preview { color: var(--muted); max-width: 420px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }

.facts { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 0 0 20px; padding: 12px 16px; background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); }
.facts dt, .fields dt { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.facts dd, .fields dd { margin: 0; }
.fields { margin: 0; display: grid; gap: 8px; }
.fields.cols { grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 10px 24px; }
.fields dd { word-break: break-word; }

.split { display: grid; grid-template-columns: minmax(0, 1fr) 340px; gap: 20px; align-items: start; }
.side { position: sticky; top: 72px; }
.side audio { width: 100%; margin-bottom: 6px; }
@media (max-width: 980px) { .split { grid-template-columns: 1fr; } .side { position: static; } }

.transcript { display: flex; flex-direction: column; gap: 10px; }
.turn { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 10px 14px; border-left: 3px solid transparent; }
.turn.agent { border-left-color: var(--accent); }
.turn.caller { border-left-color: #98a2b3; background: #fcfcfd; }
.turn.playing { box-shadow: 0 0 0 2px var(--accent-soft); border-color: var(--accent); }
.line { display: grid; grid-template-columns: 56px 44px 1fr; gap: 8px; align-items: baseline; }
.line.seekable { cursor: pointer; } .line.seekable:hover .text { color: var(--accent); }
.who { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.turn.agent .who { color: var(--accent); }
.at { font-family: var(--mono); font-size: 12px; color: var(--muted); }
.unheard { color: #98a2b3; }
.turn-extra { margin: 8px 0 0 108px; display: flex; flex-direction: column; gap: 6px; }
details > summary { cursor: pointer; font-size: 12.5px; color: var(--muted); user-select: none; }
details[open] > summary { margin-bottom: 6px; }
.hits { margin: 0; padding-left: 18px; font-size: 13px; }

.tool-call { border: 1px solid var(--line); border-radius: 6px; background: #fbfbfe; margin-bottom: 10px; }
.tool-call.failed { border-color: #fecdca; background: #fffbfa; }
.tool-head { display: flex; gap: 10px; align-items: center; padding: 7px 12px; border-bottom: 1px solid var(--line); }
.tool-name { font-family: var(--mono); font-weight: 600; font-size: 13px; }
.tool-cols { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 12px; padding: 10px 12px; }
.tool-cols.two { grid-template-columns: repeat(2, minmax(0, 1fr)); padding: 6px 0 0; }
.tool-call .more { padding: 0 12px 10px; }
@media (max-width: 1100px) { .tool-cols { grid-template-columns: 1fr; } }
pre.json { margin: 0; padding: 8px 10px; background: #f7f8fa; border: 1px solid var(--line); border-radius: 6px; max-height: 260px; overflow: auto; white-space: pre-wrap; word-break: break-word; }
blockquote.said { margin: 0; padding: 8px 10px; border-left: 3px solid var(--accent); background: var(--accent-soft); border-radius: 0 6px 6px 0; }

.waterfall { display: flex; flex-direction: column; gap: 3px; max-width: 640px; }
.wf-row { display: grid; grid-template-columns: 230px 1fr 64px; gap: 8px; align-items: center; font-size: 12px; }
.wf-label { color: var(--muted); }
.wf-track { position: relative; height: 10px; background: var(--soft); border-radius: 3px; }
.wf-bar { position: absolute; top: 0; bottom: 0; border-radius: 3px; min-width: 2px; }
.wf-value { font-family: var(--mono); text-align: right; }
.wf-endpointing { background: #98a2b3; } .wf-stt { background: #36bffa; } .wf-llm { background: #7a5af8; }
.wf-tts { background: #ee46bc; } .wf-first-audio { background: #16b364; } .wf-total { background: #98a2b3; }

.booking + .booking { border-top: 1px solid var(--line); margin-top: 10px; padding-top: 10px; }
.error-row + .error-row { margin-top: 8px; }

.sandbox-bar { display: flex; align-items: flex-end; gap: 10px; flex-wrap: wrap; margin-bottom: 12px; }
.state { padding: 6px 12px; border-radius: 999px; font-weight: 600; font-size: 12.5px; background: var(--soft); }
.state-listening { background: var(--ok-soft); color: var(--ok); }
.state-thinking { background: var(--warn-soft); color: var(--warn); }
.state-speaking { background: var(--accent-soft); color: var(--accent); }
.chat { height: calc(100vh - 300px); min-height: 320px; overflow-y: auto; display: flex; flex-direction: column; gap: 8px; padding: 16px; background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); }
.bubble { max-width: 72%; padding: 8px 12px; border-radius: 12px; white-space: pre-wrap; }
.bubble.agent { align-self: flex-start; background: var(--soft); border-bottom-left-radius: 4px; }
.bubble.caller { align-self: flex-end; background: var(--accent); color: #fff; border-bottom-right-radius: 4px; }
.bubble.partial { opacity: .7; }
.bubble.tool { align-self: center; background: none; color: var(--muted); font-size: 12px; font-family: var(--mono); padding: 0; }
.bubble.error { align-self: center; background: var(--danger-soft); color: var(--danger); font-size: 13px; }
.ended { align-self: center; color: var(--muted); font-size: 13px; margin-top: 8px; }
.composer { display: flex; gap: 8px; margin-top: 10px; }
.composer input { flex: 1; }

.agents { display: grid; gap: 16px; }
.desc { margin: 0 0 12px; color: var(--muted); }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; vertical-align: -1px; border: 1px solid rgba(0,0,0,.1); }
pre.snippet { margin: 0; padding: 12px 14px; background: #161b2e; color: #e4e7ec; border-radius: 6px; white-space: pre-wrap; word-break: break-all; }
.origins { margin: 0 0 12px; padding-left: 18px; }

.filters label.grow { flex: 1; min-width: 220px; } .filters label.grow input { width: 100%; }
.filters label.check { flex-direction: row; align-items: center; gap: 6px; padding-bottom: 8px; }
.filters label.check input { width: auto; min-width: 0; margin: 0; padding: 0; }
.caller-cell { white-space: nowrap; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 16px; }
.tile { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 12px 16px; }
.tile-label { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.tile-value { font-size: 24px; font-weight: 650; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px; margin-bottom: 16px; }
.grid2 .card { margin: 0; min-width: 0; }
.chart { width: 100%; min-height: 120px; }
.chart .u-legend { font-size: 11.5px; }
.funnel { display: grid; gap: 8px; margin-bottom: 8px; }
.funnel .step { display: grid; grid-template-columns: 120px 1fr 90px; align-items: center; gap: 8px; }
.funnel .step-bar { height: 22px; background: var(--accent); border-radius: 4px; opacity: .85; }
.funnel .step-n { font-weight: 600; }
.table.compact td, .table.compact th { padding: 6px 8px; }
.tabs { display: flex; gap: 16px; } .tabs a { color: var(--muted); } .tabs a.active { color: var(--text); } .tabs a:hover { text-decoration: none; }
.analysis .summary { margin: 0 0 10px; }
.criteria { list-style: none; margin: 10px 0; padding: 0; display: grid; gap: 8px; }
.criteria .badge { margin-left: 0; }
.danger-badge { background: var(--danger-soft); color: var(--danger); }
`;
