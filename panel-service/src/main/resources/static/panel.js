// The panel's live part: polls the panel's own state (same origin, so the browser's admin login
// goes with it; this script holds no credential) and updates the page in place, without a reload.
// The server paints every table; this only changes cells, by key, and adds a row from the table's
// <template> for a key it has not seen. Its words come from the page, in the page's language.
(function () {
  'use strict';
  const panel = document.getElementById('panel');
  const words = panel.dataset;
  const refresh = Number(panel.dataset.refresh) || 2000;
  const filter = document.getElementById('log-filter');
  const live = document.getElementById('live');

  function say(word) {
    const args = Array.prototype.slice.call(arguments, 1);
    return word.replace(/\{(\d+)\}/g, function (all, i) { return args[i] == null ? '' : String(args[i]); });
  }

  const countsChart = new Chart(document.getElementById('counts-chart'), {
    type: 'bar',
    data: { labels: [], datasets: [{ data: [], backgroundColor: '#2563eb' }] },
    options: { animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } },
               scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
  const rateChart = new Chart(document.getElementById('rate-chart'), {
    type: 'line',
    data: { labels: [], datasets: [{ data: [], borderColor: '#15803d', pointRadius: 0, tension: 0.2 }] },
    options: { animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } },
               scales: { y: { beginAtZero: true } } }
  });

  // The row of `key` in the table (a new one from its template, placed first or last), its
  // cells filled from `values` by their data-field.
  function row(table, key, values, first) {
    const tbody = table.querySelector('tbody');
    let tr = tbody.querySelector('tr[data-key="' + CSS.escape(String(key)) + '"]');
    if (!tr) {
      tr = table.querySelector('template').content.firstElementChild.cloneNode(true);
      tr.dataset.key = key;
      tbody.insertBefore(tr, first ? tbody.firstChild : tbody.querySelector('tr.empty'));
    }
    tr.querySelectorAll('[data-field]').forEach(function (cell) {
      const value = values[cell.dataset.field];
      cell.textContent = value == null ? '' : String(value);
    });
    return tr;
  }

  function empty(table, isEmpty) {
    table.querySelector('tr.empty').hidden = !isEmpty;
  }

  function stale(name, isStale) {
    document.querySelectorAll('[data-stale="' + name + '"]').forEach(function (note) {
      note.classList.toggle('shown', isStale);
    });
  }

  function clock(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  }

  function render(state) {
    const counts = state.counts;
    document.getElementById('total').textContent = counts.total;
    document.getElementById('rejected').textContent = counts.rejected;
    document.getElementById('queue-registro').textContent = state.queues.registro == null ? '–' : state.queues.registro;
    document.getElementById('queue-dlq').textContent = state.queues.deadLetters == null ? '–' : state.queues.deadLetters;
    stale('counts', counts.stale);
    stale('queues', state.queues.stale);
    stale('log', state.log.stale);

    const countsTable = document.getElementById('counts');
    counts.services.forEach(function (service) { row(countsTable, service.serviceId, service, false); });
    empty(countsTable, counts.services.length === 0);
    countsChart.data.labels = counts.services.map(function (s) { return s.serviceId; });
    countsChart.data.datasets[0].data = counts.services.map(function (s) { return s.count; });
    countsChart.update();

    rateChart.data.labels = state.rates.map(function (p) { return clock(p.at); });
    rateChart.data.datasets[0].data = state.rates.map(function (p) { return Math.round(p.perSecond * 100) / 100; });
    rateChart.update();

    const logTable = document.getElementById('log');
    const shown = new Set(state.log.events.map(function (e) { return String(e.seq); }));
    logTable.querySelectorAll('tbody tr[data-key]').forEach(function (tr) {
      if (!shown.has(tr.dataset.key)) tr.remove();
    });
    state.log.events.slice().reverse().forEach(function (event) {
      row(logTable, event.seq, event, true).querySelector('[data-field="level"]').className = 'level-' + event.level;
    });
    empty(logTable, state.log.events.length === 0);

    const known = Array.from(filter.options).map(function (o) { return o.value; });
    counts.services.forEach(function (s) {
      if (known.indexOf(s.serviceId) < 0) filter.add(new Option(s.serviceId, s.serviceId));
    });

    state.parts.forEach(function (part) {
      const li = document.querySelector('#parts li[data-key="' + CSS.escape(part.name) + '"]');
      if (!li) return;
      li.className = part.status === 'UP' ? 'up' : 'down';
      li.querySelector('[data-field="status"]').textContent = part.status;
      li.querySelector('[data-field="detail"]').textContent = part.detail;
    });
    panel.dataset.shown = state.generatedAt;
  }

  let polling = false;
  function poll() {
    // Never two polls of a page in flight: a slow answer is waited for, not overtaken.
    if (polling) return Promise.resolve();
    polling = true;
    const url = words.stateUrl + (filter.value ? '?service=' + encodeURIComponent(filter.value) : '');
    return fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) throw new Error('panel answered ' + response.status);
        return response.json();
      })
      .then(function (state) {
        live.textContent = say(words.wordLiveAt, clock(state.generatedAt));
        live.classList.remove('offline');
        render(state);
      })
      .catch(function () {
        live.textContent = words.wordOffline;
        live.classList.add('offline');
      })
      .finally(function () { polling = false; });
  }

  document.querySelectorAll('button.register').forEach(function (button) {
    button.addEventListener('click', function () {
      const service = button.dataset.service;
      const result = document.getElementById('register-result');
      button.disabled = true;
      fetch(words.registerUrl + '/' + encodeURIComponent(service), { method: 'POST', headers: { Accept: 'application/json' } })
        .then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (body) {
            if (response.ok) {
              result.textContent = say(words.wordDone, service, body.registered.time, body.registered.message_id);
              result.classList.remove('bad');
            } else {
              result.textContent = say(words.wordFailed, service, body.error || say(words.wordStatus, response.status));
              result.classList.add('bad');
            }
          });
        })
        .catch(function () {
          result.textContent = say(words.wordFailed, service, words.wordUnreachable);
          result.classList.add('bad');
        })
        .finally(function () {
          button.disabled = false;
          poll();
        });
    });
  });

  filter.addEventListener('change', poll);
  render(JSON.parse(document.getElementById('initial-state').textContent));
  setInterval(poll, refresh);
})();
