/**
 * The debrief as one HTML file that stands alone (no network, no other file): the expectations ticked or
 * crossed with their times and evidence (critical errors first), the score, charts of programmed vs truly
 * delivered dose, reservoir (calculated vs true), spasticity, spasms and the withdrawal/overdose stages,
 * the document's other expected benefits over time (pain, sleep, daily activities, caregiver burden), with
 * the alarms and the learner's actions marked, and the event log. Printable (PDF through the browser's print).
 *
 * Charts: uPlot (npm `uplot`, MIT, ~50 KB), inlined: a well-kept library made for dense time series, small
 * enough to embed in every debrief so the file opens anywhere, offline, years later.
 */
import { DEBRIEF_CHARTS } from '../../src/shared/debrief-charts';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Debrief } from '../../src/training/scenario/debrief';
import { formatCaseTime, formatPumpTime } from '../../src/shared/clinical/format';

let assets: { js: string; css: string } | null = null;
function uplotAssets(): { js: string; css: string } {
  if (assets) return assets;
  const require = createRequire(import.meta.url);
  const js = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  assets = { js, css };
  return assets;
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The pump's clock beside the case time: UTC, as the engineer's record of the case. */
const clock = (t: number): string => formatPumpTime(t);

/** JSON inside a script element: never lets the text close the element. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

export function renderDebriefHtml(d: Debrief): string {
  const { js, css } = uplotAssets();
  const rows = d.expectations
    .map((x) => {
      const mark = x.status === 'met' ? '✔' : x.status === 'missed' ? '✘' : '…';
      const when = x.t !== null ? `${formatCaseTime(x.t, d.startTime)} (${clock(x.t)})` : '—';
      const deadline = x.deadline !== null ? formatCaseTime(x.deadline, d.startTime) : '—';
      return `<tr class="${x.status}${x.critical ? ' critical' : ''}">
  <td class="mark" aria-label="${x.status}">${mark}</td>
  <td>${esc(x.description)}${x.critical ? ' <strong>(critical)</strong>' : ''}${x.source ? `<div class="src">${esc(x.source)}</div>` : ''}</td>
  <td>${x.weight}</td><td>${when}</td><td>${deadline}</td><td>${esc(x.evidence)}</td></tr>`;
    })
    .join('\n');
  const events = d.events
    .map(
      (e) =>
        `<tr class="${e.actor}"><td>${formatCaseTime(e.t, d.startTime)}</td><td>${clock(e.t)}</td><td>${e.actor}</td><td>${esc(e.text)}</td></tr>`,
    )
    .join('\n');
  const markers = d.events
    .filter((e) => e.kind === 'alarm' || e.actor === 'learner')
    .map((e) => ({ t: e.t, alarm: e.kind === 'alarm', text: e.text }));
  const outcome =
    d.outcome === 'passed' ? 'Passed' : d.outcome === 'failed' ? 'Failed (critical error)' : 'In progress';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Debrief: ${esc(d.scenario.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${css}
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#111}
h1{font-size:1.4rem;margin:0 0 .3rem} .bench{color:#555;font-size:.85rem}
.outcome{font-size:1.2rem;font-weight:600;padding:.4rem .8rem;display:inline-block;border-radius:4px}
.outcome.passed{background:#e3f5e1} .outcome.failed{background:#fbe0e0} .outcome.inProgress{background:#eee}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem} td,th{border-bottom:1px solid #ddd;padding:.3rem .4rem;text-align:left;vertical-align:top}
tr.missed td.mark{color:#b00020;font-weight:700} tr.met td.mark{color:#1b7f2a;font-weight:700}
tr.critical.missed{background:#fff0f0} .src{color:#555;font-size:.8rem}
.chart{margin:.5rem 0 1rem} tr.learner td{font-weight:600}
@media print{.chart{break-inside:avoid} body{margin:0}}
</style></head><body>
<p class="bench">Training bench, not a medical device. Times: day and hours from the start of the case, and the pump's clock.</p>
<h1>Debrief: ${esc(d.scenario.title)}</h1>
<p>${esc(d.scenario.source)}</p>
<p><span class="outcome ${d.outcome}" id="outcome">${outcome}</span>
 Score <strong id="score">${d.score.percent}%</strong> (${d.score.met} of ${d.score.total} points)${d.endReason ? `. Ended ${formatCaseTime(d.now, d.startTime)}: ${esc(d.endReason)}` : ''}</p>
<h2>Objectives</h2><ul>${d.scenario.objectives.map((o) => `<li>${esc(o)}</li>`).join('')}</ul>
<h2>Expectations</h2>
<table id="expectations"><thead><tr><th></th><th>Expectation</th><th>Weight</th><th>When</th><th>Deadline</th><th>Evidence</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h2>Timeline</h2>
<p>Vertical lines: red, alarms; blue, the learner's actions.</p>
${DEBRIEF_CHARTS.map((c) => `<div class="chart" id="${c.id}"></div>`).join('\n')}
<h2>Event log</h2>
<table id="events"><thead><tr><th>Case time</th><th>Pump clock</th><th>Who</th><th>What</th></tr></thead><tbody>
${events}
</tbody></table>
<script type="application/json" id="debrief-data">${scriptJson({ series: d.series, markers, start: d.startTime, charts: DEBRIEF_CHARTS })}</script>
<script>${js.replace(/<\/script/gi, '<\\/script')}</script>
<script>
(function(){
  var data = JSON.parse(document.getElementById('debrief-data').textContent);
  var s = data.series, start = data.start;
  var hours = s.t.map(function(t){ return (t - start) / 3600; });
  var width = Math.min(1100, document.body.clientWidth || 1000);
  function markers(u){
    var ctx = u.ctx; ctx.save();
    data.markers.forEach(function(m){
      var x = u.valToPos((m.t - start) / 3600, 'x', true);
      ctx.strokeStyle = m.alarm ? 'rgba(200,0,0,0.7)' : 'rgba(0,70,200,0.7)';
      ctx.lineWidth = 1.5; ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
    });
    ctx.restore();
  }
  function chart(el, title, series, values, yLabel){
    return new uPlot({ title: title, width: width, height: 220, hooks: { draw: [markers] },
      scales: { x: { time: false } },
      axes: [{ label: 'hours from the start' }, { label: yLabel }],
      series: [{ label: 'hours' }].concat(series) }, [hours].concat(values), document.getElementById(el));
  }
  data.charts.forEach(function(c){
    chart(c.id, c.title,
      c.series.map(function(x){ return { label: x.label, stroke: x.color, width: 2 }; }),
      c.series.map(function(x){ return s[x.key] || []; }), c.yLabel);
  });
})();
</script>
</body></html>
`;
}
