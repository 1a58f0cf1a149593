// Renders a Surge run into #surge-report. Every value from the run is set with textContent, never as HTML.
// SurgeReport.render(data) draws a whole run; SurgeReport.appendPoint(point) adds one timeline point and
// redraws the charts, and SurgeReport.update({ run, thresholds }) refreshes the headline numbers and thresholds,
// so a live page can feed the same renderer as the run goes on (SurgeReport.el builds its own elements).
(function () {
  'use strict';

  const COLORS = { rps: '#2563eb', errors: '#dc2626', vus: '#9ca3af', p50: '#16a34a', p90: '#ca8a04', p95: '#ea580c', p99: '#dc2626',
    cpu: '#7c3aed', machine: '#9ca3af', lag: '#ea580c' };
  const PERCENTILES = ['p50', 'p90', 'p95', 'p99'];
  let data = null;
  const charts = {};

  // --- formatting (fixed notation, independent of the browser's locale) ---
  const fmt = {
    num: (v) => (v == null ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(2)),
    rate: (v) => (v == null ? '–' : v.toFixed(1) + '/s'),
    // Rounded first, so a tiny negative share reads 0.00%, not -0.00%.
    pct: (v) => (v == null ? '–' : (Math.round(v * 10000) / 100 || 0).toFixed(2) + '%'),
    ms: (v) => {
      if (v == null) return '–';
      if (v === 0) return '0ms';
      if (v < 1) return (v * 1000).toFixed(0) + 'µs';
      if (v < 1000) return v.toFixed(v < 10 ? 2 : 1) + 'ms';
      return (v / 1000).toFixed(2) + 's';
    },
    secs: (v) => (v > 0 && v < 1 ? Math.round(v * 1000) + 'ms'
      : v < 60 ? v.toFixed(v % 1 === 0 ? 0 : 1) + 's' : Math.floor(v / 60) + 'm' + Math.round(v % 60) + 's'),
    bytes: (v) => {
      const units = ['B', 'kB', 'MB', 'GB', 'TB'];
      let i = 0;
      while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
      return (i > 0 && v < 10 ? v.toFixed(1) : v.toFixed(0)) + ' ' + units[i];
    },
  };

  // --- DOM helpers ---
  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const child of children || []) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function section(title, id, children) {
    return el('section', { id }, [el('h2', { textContent: title }), ...children]);
  }

  function table(headers, rows, id) {
    const head = el('thead', {}, [el('tr', {}, headers.map((h) => el('th', { textContent: h })))]);
    const body = el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => (c instanceof Node && c.tagName === 'TD' ? c : el('td', {}, [c]))))));
    return el('table', { id: id || '' }, [head, body]);
  }

  function mark(passed) {
    return el('td', { className: passed ? 'pass' : 'fail', textContent: passed ? '✓' : '✗' });
  }

  function counts(map) {
    return Object.entries(map).map(([key, count]) => key + ' ×' + count).join(', ');
  }

  // --- sections ---
  function header(run) {
    const badge = el('span', { className: 'badge ' + (run.passed ? 'pass' : 'fail'), textContent: run.outcome });
    return el('header', { id: 'run-header' }, [
      el('h1', {}, ['Surge report ', badge]),
      el('p', { className: 'meta', textContent: 'started ' + run.startedAt + ' · ' + fmt.secs(run.duration) }),
    ]);
  }

  function tiles(run) {
    const items = [
      ['requests', fmt.num(run.requests)], ['throughput', fmt.rate(run.rps)], ['failure rate', fmt.pct(run.failureRate)],
      ['p95', fmt.ms(run.p95)], ['p99', fmt.ms(run.p99)], ['iterations', fmt.num(run.iterations)],
      ['dropped', fmt.num(run.dropped)], ['VUs max', fmt.num(run.vusMax)],
      ['data in / out', fmt.bytes(run.dataReceived) + ' / ' + fmt.bytes(run.dataSent)],
      ['duration', fmt.secs(run.duration)], ['outcome', run.outcome],
    ];
    return el('div', { className: 'tiles', id: 'tiles' }, items.map(([label, value]) =>
      el('div', { className: 'tile' }, [el('div', { className: 'value', textContent: value }), el('div', { className: 'label', textContent: label })])));
  }

  // The test's own metrics (business KPIs) as tiles: each shows its headline value and, below, the rest.
  function customTiles() {
    const metrics = data.customMetrics || [];
    if (!metrics.length) return el('div', { id: 'custom-metrics' });
    return section('Custom metrics', 'custom-metrics', [el('div', { className: 'tiles' }, metrics.map((m) =>
      el('div', { className: 'tile' }, [
        el('div', { className: 'value', textContent: m.value }),
        el('div', { className: 'label', textContent: m.name + ' (' + m.kind + ')' }),
        el('div', { className: 'label', textContent: m.detail }),
      ])))]);
  }

  function groupsSection() {
    const groups = data.groups || [];
    if (!groups.length) return el('div', { id: 'groups' });
    const parts = [];
    for (const [tag, title] of [['scenario', 'Scenarios'], ['user', 'Users']]) {
      const rows = groups.filter((g) => g.tag === tag).map((g) => [g.name, fmt.num(g.requests), fmt.rate(g.rps), fmt.ms(g.p95),
        fmt.num(g.failed), fmt.pct(g.errorRate), fmt.num(g.iterations)]);
      if (rows.length) {
        parts.push(el('h3', { textContent: title }),
          table([tag, 'requests', 'rps', 'p95', 'failed', 'errors', 'iterations'], rows, tag + '-table'));
      }
    }
    return section('Scenarios and users', 'groups', parts);
  }

  // --- the test's own metrics over time: one chart each, keyed 'custom:' + name ---
  const CUSTOM_LINES = { trend: ['p50', 'p95', 'p99'], gauge: ['value', 'min', 'max'], counter: ['value'], rate: ['value'] };
  const CUSTOM_COLORS = { p50: COLORS.p50, p95: COLORS.p95, p99: COLORS.p99, value: COLORS.rps, min: COLORS.vus, max: COLORS.errors };
  const CUSTOM_FORMATS = { 'share of passes': fmt.pct, ms: fmt.ms, bytes: fmt.bytes, 'bytes per second': (v) => (v == null ? '–' : fmt.bytes(v) + '/s'),
    'per second': fmt.rate };

  function customMetric(kind) {
    return kind.startsWith('custom:') ? (data.customMetrics || []).find((m) => 'custom:' + m.name === kind) : null;
  }

  function customKinds() {
    return (data.customMetrics || []).filter((m) => CUSTOM_LINES[m.kind]).map((m) => 'custom:' + m.name);
  }

  function chartData(kind) {
    const t = data.timeline.map((p) => p.t);
    const custom = customMetric(kind);
    if (custom) {
      return [t, ...CUSTOM_LINES[custom.kind].map((field) => data.timeline.map((p) => {
        const slice = p.custom && p.custom[custom.name];
        return slice && slice[field] != null ? slice[field] : null;
      }))];
    }
    const perSecond = (field) => data.timeline.map((p) => (p.length > 0 ? p[field] / p.length : null));
    if (kind === 'throughput') {
      return [t, perSecond('requests'), perSecond('failed'), data.timeline.map((p) => p.vus)];
    }
    if (kind === 'generator') {
      const g = (field) => data.timeline.map((p) => (p.generator && p.generator[field] != null ? p.generator[field] : null));
      return [t, g('cpu'), g('machineCpu'), g('lag')];
    }
    return [t, ...PERCENTILES.map((k) => data.timeline.map((p) => p[k]))];
  }

  function chartOptions(kind, width) {
    const x = { scale: 'x', values: (u, ticks) => ticks.map(fmt.secs) };
    const time = { label: 'time', value: (u, v) => (v == null ? '–' : fmt.secs(v)) };
    const line = (label, color, scale, value) => ({ label, stroke: color, width: 2, scale, value: (u, v) => value(v) });
    // The x axis spans the run as measured, from 0 to the end of the last slice: left to itself, uPlot pads a lone
    // point of a sub-second run out to 100 s.
    const xRange = () => {
      const last = data.timeline[data.timeline.length - 1];
      return [0, last ? Math.max(last.t + last.length, 0.001) : 1];
    };
    const chart = (series, axes) => ({ width, height: 260, scales: { x: { time: false, range: xRange } }, series: [time, ...series], axes: [x, ...axes] });
    const custom = customMetric(kind);
    if (custom) {
      const format = CUSTOM_FORMATS[custom.unit] || fmt.num;
      return chart(
        CUSTOM_LINES[custom.kind].map((field) => line(field === 'value' ? custom.name : field, CUSTOM_COLORS[field], 'y', format)),
        [{ scale: 'y', label: custom.name + ' (' + custom.unit + ')', values: (u, ticks) => ticks.map(format), size: 70 }]);
    }
    if (kind === 'throughput') {
      return chart(
        [line('requests/s', COLORS.rps, 'rate', fmt.rate), line('errors/s', COLORS.errors, 'rate', fmt.rate), line('VUs', COLORS.vus, 'vus', fmt.num)],
        [{ scale: 'rate', label: 'per second' }, { scale: 'vus', side: 1, label: 'VUs', grid: { show: false } }]);
    }
    if (kind === 'generator') {
      return chart(
        [line('Surge CPU', COLORS.cpu, 'share', fmt.pct), line('machine CPU', COLORS.machine, 'share', fmt.pct), line('timer lag', COLORS.lag, 'lag', fmt.ms)],
        [{ scale: 'share', label: 'CPU (of the cores it may use)', values: (u, ticks) => ticks.map(fmt.pct), size: 70 },
          { scale: 'lag', side: 1, label: 'scheduler lag', values: (u, ticks) => ticks.map(fmt.ms), grid: { show: false }, size: 70 }]);
    }
    return chart(
      PERCENTILES.map((k) => line(k, COLORS[k], 'ms', fmt.ms)),
      [{ scale: 'ms', label: 'http_req_duration', values: (u, ticks) => ticks.map(fmt.ms), size: 70 }]);
  }

  function chartsSection() {
    const boxes = ['throughput', 'latency', 'generator'].map((kind) => el('div', { className: 'chart', id: 'chart-' + kind }));
    // The generator's panel appears once a point carries its health (runs that watched themselves).
    const generator = el('div', { id: 'generator-panel', hidden: !hasGenerator() }, [
      el('h3', { textContent: 'The generator itself: Surge CPU, machine CPU and scheduler lag' }), boxes[2],
      el('p', { className: 'meta', textContent: 'Saturated when Surge uses 90% or more of the CPU it may use, or its 1 ms timer fires more than 10 ms late, for 3 s or more: then the figures describe Surge, not the server.' }),
    ]);
    const node = section('Over time', 'over-time', [
      el('h3', { textContent: 'Requests/s, errors/s and VUs' }), boxes[0],
      el('h3', { textContent: 'Latency percentiles (http_req_duration)' }), boxes[1],
      generator,
      ...customKinds().flatMap((kind) => {
        const m = customMetric(kind);
        const what = { trend: 'p50, p95 and p99', gauge: 'average reading, min and max', counter: 'per second', rate: 'share of passes' }[m.kind];
        return [el('h3', { textContent: m.name + ' (' + m.unit + '): ' + what }),
          el('div', { className: 'chart custom-chart', id: 'chart-custom-' + m.name })];
      }),
    ]);
    if (data.timeline.length === 0) {
      node.append(el('p', { className: 'empty', id: 'no-timeline', textContent: 'No timeline was recorded for this run.' }));
    }
    return node;
  }

  function hasGenerator() {
    return data.timeline.some((p) => p.generator);
  }

  function drawCharts() {
    const panel = document.getElementById('generator-panel');
    if (panel && hasGenerator()) panel.hidden = false;
    for (const kind of ['throughput', 'latency', 'generator', ...customKinds()]) {
      const box = document.getElementById('chart-' + kind.replace(':', '-'));
      if (charts[kind]) {
        charts[kind].setData(chartData(kind));
      } else if (data.timeline.length > 0 && (kind !== 'generator' || hasGenerator())) {
        const width = Math.max(300, box.clientWidth || 800);
        charts[kind] = new uPlot(chartOptions(kind, width), chartData(kind), box);
      }
    }
  }

  function findingsSection() {
    return section('Findings', 'findings', data.findings.map((part) => el('div', { className: 'finding' }, [
      el('h3', { textContent: part.title }),
      el('ul', {}, part.lines.map((line) => el('li', {}, line.map((p) => (p.code ? el('code', { textContent: p.text }) : p.text))))),
    ])));
  }

  function endpointsSection() {
    const rows = data.endpoints.map((e) => [
      (e.method + ' ' + e.name).trim(), fmt.num(e.requests), fmt.rate(e.rps), fmt.ms(e.p50), fmt.ms(e.p90), fmt.ms(e.p95),
      fmt.ms(e.p99), fmt.ms(e.max), fmt.pct(e.errorRate), counts(e.statuses) + (Object.keys(e.errors).length ? '; ' + counts(e.errors) : ''),
    ]);
    return section('Endpoints', 'endpoints', [table(['endpoint', 'requests', 'rps', 'p50', 'p90', 'p95', 'p99', 'max', 'errors', 'statuses'], rows, 'endpoint-table')]);
  }

  function breakdownSection() {
    const statuses = {};
    const errors = {};
    for (const e of data.endpoints) {
      for (const [k, v] of Object.entries(e.statuses)) statuses[k] = (statuses[k] || 0) + v;
      for (const [k, v] of Object.entries(e.errors)) errors[k] = (errors[k] || 0) + v;
    }
    const statusRows = Object.entries(statuses).map(([k, v]) => [k === '0' ? '0 (network error)' : k, fmt.num(v)]);
    const errorRows = Object.entries(errors).map(([k, v]) => [k, fmt.num(v)]);
    const th = data.throttling;
    const spikeRows = th.spikes.map((s) => [fmt.secs(s.start), s.recovery == null ? 'not recovered' : fmt.secs(s.recovery),
      fmt.pct(s.peakShare), fmt.num(s.status429), fmt.num(s.status503)]);
    return section('Statuses and errors', 'breakdown', [
      el('div', { className: 'columns' }, [
        el('div', {}, [el('h3', { textContent: 'Status codes' }), table(['status', 'responses'], statusRows)]),
        el('div', {}, [el('h3', { textContent: 'Error codes' }), errorRows.length ? table(['error', 'requests'], errorRows) : el('p', { className: 'empty', textContent: 'No network errors.' })]),
        el('div', {}, [el('h3', { textContent: 'Throttling' }), el('p', { textContent: '429 ×' + th.status429 + ' · 503 ×' + th.status503 })]),
      ]),
      el('h3', { textContent: 'Error spikes and recovery time' }),
      spikeRows.length ? table(['spike at', 'recovered after', 'peak error share', '429', '503'], spikeRows, 'spike-table')
        : el('p', { className: 'empty', textContent: 'No error spike above the run\'s calm level.' }),
    ]);
  }

  function resultsSection() {
    const parts = [];
    if (data.thresholds.length) {
      parts.push(el('h3', { textContent: 'Thresholds' }),
        table(['', 'metric', 'threshold', 'observed'], data.thresholds.map((t) => [mark(t.passed), t.metric, t.expression, t.observed]), 'threshold-table'));
    }
    if (data.checks.length) {
      parts.push(el('h3', { textContent: 'Checks' }),
        table(['', 'group', 'check', 'passes', 'fails'], data.checks.map((c) => [mark(c.fails === 0), c.group, c.name, fmt.num(c.passes), fmt.num(c.fails)]), 'check-table'));
    }
    if (data.verifications.length) {
      parts.push(el('h3', { textContent: 'Verify' }),
        table(['', 'ledger', 'result'], data.verifications.map((v) => [mark(v.passed), v.ledger, v.text]), 'verify-table'));
    }
    if (data.run.warnings.length) {
      parts.push(el('h3', { textContent: 'Warnings' }), el('ul', {}, data.run.warnings.map((w) => el('li', { textContent: w }))));
    }
    return parts.length ? section('Thresholds, checks and verify', 'results', parts) : el('div', { id: 'results' });
  }

  function render(runData) {
    data = runData;
    for (const kind of Object.keys(charts)) {
      charts[kind].destroy();
      delete charts[kind];
    }
    const root = document.getElementById('surge-report');
    root.replaceChildren(header(data.run), tiles(data.run), customTiles(), chartsSection(), findingsSection(), endpointsSection(),
      groupsSection(), breakdownSection(), resultsSection());
    drawCharts();
  }

  function appendPoint(point) {
    data.timeline.push(point);
    document.getElementById('no-timeline')?.remove();
    drawCharts();
  }

  function update(status) {
    data.run = status.run;
    data.thresholds = status.thresholds;
    document.getElementById('run-header').replaceWith(header(data.run));
    document.getElementById('tiles').replaceWith(tiles(data.run));
    document.getElementById('results').replaceWith(resultsSection());
  }

  window.SurgeReport = { render, appendPoint, update, charts, el };

  const blob = document.getElementById('surge-data');
  if (blob && blob.textContent.trim()) {
    render(JSON.parse(blob.textContent));
  }
})();
