import { CHART_WIDTH } from './charts/svg.js'

/**
 * The widest a chart is drawn: as wide as beside another chart on a wide screen (its viewBox
 * scaled about 1.1 times). A chart alone in its row (one kind of project) would otherwise fill the
 * row, and its text would grow with it to twice its size.
 */
const CHART_MAX_WIDTH = Math.round(CHART_WIDTH * 1.125)

// The report's one stylesheet: light by default, dark when the reader's system prefers it; fluid
// from 360 px phones to wide screens (grids wrap, wide tables scroll inside their own box).
export const REPORT_STYLE = `
  :root { color-scheme: light dark; --bg: #ffffff; --ink: #111827; --muted: #5b6472; --line: #e5e7eb; --grid: #eef0f3; --card: #f8fafc; --axis: #9ca3af;
    --good: #15803d; --good-bg: #f0fdf4; --warn: #b45309; --warn-bg: #fffbeb; --info-bg: #f1f5f9; --bad: #dc2626;
    --c0: #4f46e5; --c1: #0891b2; --c2: #16a34a; --c3: #d97706; --c4: #dc2626; --c5: #9333ea; --c6: #db2777; --c7: #65a30d; --c8: #0d9488; --c9: #ea580c; }
  @media (prefers-color-scheme: dark) {
    :root { --bg: #0f1115; --ink: #e5e7eb; --muted: #9aa3af; --line: #2a2f38; --grid: #1f242c; --card: #161a21; --axis: #6b7280;
      --good: #4ade80; --good-bg: #10241a; --warn: #fbbf24; --warn-bg: #2a2110; --info-bg: #1b2029; --bad: #f87171;
      --c0: #818cf8; --c1: #22d3ee; --c2: #4ade80; --c3: #fbbf24; --c4: #f87171; --c5: #c084fc; --c6: #f472b6; --c7: #a3e635; --c8: #2dd4bf; --c9: #fb923c; }
  }
  * { box-sizing: border-box; }
  html { -webkit-text-size-adjust: 100%; }
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
  main { max-width: 1180px; margin: 0 auto; padding: 28px clamp(12px, 3vw, 24px) 64px; }
  h1 { font-size: clamp(22px, 4vw, 28px); margin: 0 0 4px; line-height: 1.2; }
  h2 { font-size: 19px; margin: 40px 0 6px; } h3 { font-size: 16px; margin: 0 0 2px; }
  .sub, .intro, .note { color: var(--muted); margin: 0; overflow-wrap: anywhere; } .intro { margin-bottom: 14px; } .note { font-size: 13px; margin-top: 8px; }
  code { font-size: 13px; background: var(--info-bg); padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
  nav { margin-top: 14px; display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 14px; } nav a { color: var(--muted); }
  .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 140px), 1fr)); gap: 10px; margin-top: 20px; }
  .kpi { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
  .kpi b { display: block; font-size: 22px; } .kpi span { color: var(--muted); font-size: 13px; }
  .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 440px), 1fr)); gap: 14px; }
  .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px; min-width: 0; }
  .card .chart { border: 0; padding: 0; margin-top: 10px; background: transparent; }
  .verdict { margin: 10px 0 0; padding: 10px 12px; border-radius: 8px; border-left: 4px solid var(--muted); background: var(--info-bg); overflow-wrap: anywhere; }
  .verdict-clear .verdict { border-color: var(--good); background: var(--good-bg); }
  .verdict-close .verdict { border-color: var(--warn); background: var(--warn-bg); }
  .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 440px), 1fr)); gap: 14px; }
  .chart { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px; min-width: 0; }
  .chart.featured { max-width: 760px; }
  figcaption { font-weight: 600; font-size: 14px; margin-bottom: 6px; }
  .chart svg { width: 100%; max-width: ${String(CHART_MAX_WIDTH)}px; height: auto; display: block; overflow: hidden; }
  svg text { fill: var(--ink); font-size: 12px; } svg .tick, svg .muted { fill: var(--muted); } svg .axis-label { font-size: 12.5px; font-weight: 600; fill: var(--muted); }
  svg .label { font-size: 12.5px; } svg .value { font-size: 12px; }
  svg .gridline { stroke: var(--grid); } svg .axis { stroke: var(--axis); }
  svg .whisker { stroke-width: 2; } svg .interval { stroke-width: 6; stroke-linecap: round; opacity: .55; }
  svg .front { fill: none; stroke: var(--muted); stroke-width: 1.5; stroke-dasharray: 5 4; } svg .front-ring { fill: none; stroke: var(--ink); stroke-width: 1.5; }
  svg .faint { opacity: .45; } svg .inside { fill: #fff; font-weight: 600; }
  /* Charts scale with their box: on a phone, larger text in chart units keeps it readable. */
  @media (max-width: 600px) { svg text { font-size: 16px; } svg .label, svg .value, svg .axis-label { font-size: 16px; } }
  .legend { list-style: none; margin: 8px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 13px; }
  .legend li { display: flex; align-items: center; overflow-wrap: anywhere; min-width: 0; }
  .swatch { display: inline-block; flex: none; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
  .scroll { overflow-x: auto; max-width: 100%; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
  th { color: var(--muted); font-weight: 600; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .muted { color: var(--muted); } tr.front-row td:first-child { font-weight: 600; } .halted { color: var(--bad); font-weight: 600; }
  footer { margin-top: 48px; color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
`
