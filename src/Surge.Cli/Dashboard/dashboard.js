// The live dashboard: feeds the report page (SurgeReport) from the server's events and adds a status panel with
// the scenarios, a stop button and VU controls for externally-controlled scenarios. Every value is set with
// textContent. Control requests carry the page's token in a header, which other sites' pages cannot send.
(function () {
  'use strict';

  const live = window.SurgeLive;
  const rows = {};
  let source = null;

  const style = document.createElement('style');
  style.textContent = [
    '#surge-live { max-width: 1200px; margin: 0 auto; padding: 12px 24px 0; }',
    '#surge-live .bar { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }',
    '#live-state { font-weight: 600; }',
    '#live-state.running { color: #2563eb; } #live-state.finished { color: #15803d; }',
    '#surge-live button { font: inherit; padding: 2px 10px; cursor: pointer; }',
    '#surge-live input { font: inherit; width: 5em; }',
    '#live-message { color: #b91c1c; }',
    'body.live-running #findings, body.live-running #endpoints, body.live-running #breakdown { display: none; }',
  ].join('\n');
  document.head.append(style);

  const el = SurgeReport.el;

  const state = el('span', { id: 'live-state' });
  const elapsed = el('span', { id: 'live-elapsed', className: 'meta' });
  const stop = el('button', { id: 'stop-run', type: 'button', textContent: 'Stop the run' });
  const message = el('span', { id: 'live-message' });
  const body = el('tbody');
  const panel = el('section', { id: 'surge-live' }, [
    el('div', { className: 'bar' }, [el('strong', { textContent: 'Live' }), state, elapsed, stop, message]),
    el('table', { id: 'live-scenarios' }, [
      el('thead', {}, [el('tr', {}, ['scenario', 'executor', 'state', 'VUs', 'target', 'iterations', 'time', 'control']
        .map((h) => el('th', { textContent: h })))]),
      body,
    ]),
  ]);
  document.body.insertBefore(panel, document.getElementById('surge-report'));

  function post(path, text) {
    const headers = { 'Content-Type': 'text/plain' };
    headers[live.header] = live.token;
    return fetch(path, { method: 'POST', headers, body: text || '' }).then((response) =>
      response.ok ? response.text() : response.text().then((reason) => Promise.reject(new Error(reason.trim()))));
  }

  function seconds(v) {
    return v.toFixed(1) + 's';
  }

  function control(name, maxVus) {
    const input = el('input', { type: 'number', min: '0', max: String(maxVus), step: '1', className: 'vus-input' });
    input.dataset.scenario = name;
    const button = el('button', { type: 'button', textContent: 'Set VUs', className: 'vus-set' });
    button.addEventListener('click', () => {
      message.textContent = '';
      post('/scenarios/' + encodeURIComponent(name) + '/vus', input.value)
        .then((vus) => { rows[name].target.textContent = vus.trim(); })
        .catch((error) => { message.textContent = error.message; });
    });
    return el('td', {}, [input, ' ', button]);
  }

  function row(s) {
    if (!rows[s.name]) {
      const cells = {};
      for (const key of ['name', 'executor', 'state', 'vus', 'target', 'iterations', 'time']) cells[key] = el('td', { className: 'live-' + key });
      const tr = el('tr', {}, Object.values(cells));
      tr.dataset.scenario = s.name;
      tr.append(live.controllable.includes(s.name) ? control(s.name, s.maxVus) : el('td'));
      body.append(tr);
      rows[s.name] = cells;
    }
    const cells = rows[s.name];
    cells.name.textContent = s.name;
    cells.executor.textContent = s.executor;
    cells.state.textContent = s.state;
    cells.vus.textContent = s.vus + ' / ' + s.maxVus;
    cells.target.textContent = s.target == null ? '–' : String(s.target);
    cells.iterations.textContent = String(s.iterations) + (s.interrupted ? ' (' + s.interrupted + ' interrupted)' : '') + (s.dropped ? ' (' + s.dropped + ' dropped)' : '');
    cells.time.textContent = seconds(s.elapsed) + ' / ' + (s.duration > 0 ? seconds(s.duration) : 'until stopped');
  }

  function running() {
    document.body.classList.add('live-running');
    state.textContent = 'running';
    state.className = 'running';
    const badge = document.querySelector('#run-header .badge');
    if (badge) {
      badge.textContent = 'running';
      badge.className = 'badge';
    }
    // No verdict before the end: the outcome tile says so too, while the thresholds panel shows how they stand.
    for (const tile of document.querySelectorAll('#tiles .tile')) {
      if (tile.querySelector('.label').textContent === 'outcome') tile.querySelector('.value').textContent = 'running';
    }
  }

  function finished(outcome) {
    document.body.classList.remove('live-running');
    state.textContent = 'finished' + (outcome ? ': ' + outcome : '');
    state.className = 'finished';
    stop.disabled = true;
    for (const node of panel.querySelectorAll('.vus-input, .vus-set')) node.disabled = true;
    for (const cells of Object.values(rows)) cells.state.textContent = 'done';
    if (source) source.close();
  }

  stop.addEventListener('click', () => {
    stop.disabled = true;
    message.textContent = '';
    state.textContent = 'stopping';
    post('/stop').catch((error) => {
      stop.disabled = false;
      message.textContent = error.message;
    });
  });

  if (live.finished) {
    finished(null);
    return;
  }
  running();
  // The page's data is as of the last update; its scenario rows show at once instead of with the next event.
  if (live.last) for (const s of live.last.scenarios) row(s);
  source = new EventSource('/events?after=' + live.after);
  source.addEventListener('update', (event) => {
    const update = JSON.parse(event.data);
    SurgeReport.appendPoint(update.point);
    SurgeReport.update(update.status);
    if (state.textContent !== 'stopping') running();
    for (const s of update.scenarios) row(s);
    if (update.scenarios.length) elapsed.textContent = seconds(Math.max(...update.scenarios.map((s) => s.elapsed)));
  });
  source.addEventListener('done', (event) => {
    const report = JSON.parse(event.data).report;
    SurgeReport.render(report);
    finished(report.run.outcome);
  });
  source.addEventListener('reload', () => window.location.reload());
})();
