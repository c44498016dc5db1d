// The panel's live part: polls the panel's own state (same origin, so the browser's admin
// login goes with it; this script holds no credential) and redraws in place, without a reload.
(function () {
  'use strict';
  const panel = document.getElementById('panel');
  const stateUrl = panel.dataset.stateUrl;
  const registerUrl = panel.dataset.registerUrl;
  const refresh = Number(panel.dataset.refresh) || 2000;
  const filter = document.getElementById('log-filter');
  const live = document.getElementById('live');

  const countsChart = new Chart(document.getElementById('counts-chart'), {
    type: 'bar',
    data: { labels: [], datasets: [{ label: 'registrations', data: [], backgroundColor: '#2563eb' }] },
    options: { animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } },
               scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
  const rateChart = new Chart(document.getElementById('rate-chart'), {
    type: 'line',
    data: { labels: [], datasets: [{ label: 'registrations/s', data: [], borderColor: '#15803d', pointRadius: 0, tension: 0.2 }] },
    options: { animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } },
               scales: { y: { beginAtZero: true } } }
  });
  window.registroPanel = { countsChart: countsChart, rateChart: rateChart, loadedAt: Date.now(), renders: 0 };

  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text == null ? '' : String(text);
    if (className) td.className = className;
    return td;
  }

  function rows(tbody, items, toCells, emptyText, columns) {
    const fresh = document.createElement('tbody');
    if (items.length === 0) {
      const tr = document.createElement('tr');
      tr.className = 'empty';
      const td = cell(emptyText);
      td.colSpan = columns;
      tr.appendChild(td);
      fresh.appendChild(tr);
    }
    items.forEach(function (item) {
      const tr = document.createElement('tr');
      toCells(item).forEach(function (td) { tr.appendChild(td); });
      fresh.appendChild(tr);
    });
    tbody.replaceWith(fresh);
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

    rows(document.querySelector('#counts tbody'), counts.services, function (s) {
      return [cell(s.serviceId), cell(s.count, 'num'), cell(s.lastRegistration)];
    }, counts.asOf == null ? 'No counts: reporte has not answered yet.' : 'No registrations yet.', 3);
    countsChart.data.labels = counts.services.map(function (s) { return s.serviceId; });
    countsChart.data.datasets[0].data = counts.services.map(function (s) { return s.count; });
    countsChart.update();

    rateChart.data.labels = state.rates.map(function (p) { return clock(p.at); });
    rateChart.data.datasets[0].data = state.rates.map(function (p) { return Math.round(p.perSecond * 100) / 100; });
    rateChart.update();

    rows(document.querySelector('#log tbody'), state.log.events, function (e) {
      return [cell(e.time, 'time'), cell(e.serviceId), cell(e.level, 'level-' + e.level), cell(e.message), cell(e.messageId, 'id')];
    }, 'No events.', 5);

    const known = Array.from(filter.options).map(function (o) { return o.value; });
    counts.services.forEach(function (s) {
      if (known.indexOf(s.serviceId) < 0) filter.add(new Option(s.serviceId, s.serviceId));
    });

    const parts = document.getElementById('parts');
    const list = document.createElement('ul');
    list.id = 'parts';
    list.className = 'parts';
    state.parts.forEach(function (p) {
      const li = document.createElement('li');
      li.className = p.status === 'UP' ? 'up' : 'down';
      [['name', p.name], ['status', p.status], ['detail', p.detail]].forEach(function (pair) {
        const span = document.createElement('span');
        span.className = pair[0];
        span.textContent = pair[1];
        li.appendChild(span);
      });
      list.appendChild(li);
    });
    parts.replaceWith(list);
    window.registroPanel.renders++;
  }

  let pending = null;
  function poll() {
    const url = stateUrl + (filter.value ? '?service=' + encodeURIComponent(filter.value) : '');
    pending = fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) throw new Error('panel answered ' + response.status);
        return response.json();
      })
      .then(function (state) {
        live.textContent = 'live · ' + clock(state.generatedAt);
        live.classList.remove('offline');
        render(state);
      })
      .catch(function () {
        live.textContent = 'panel unreachable: showing last known values';
        live.classList.add('offline');
      });
    return pending;
  }

  document.querySelectorAll('button.register').forEach(function (button) {
    button.addEventListener('click', function () {
      const service = button.dataset.service;
      const result = document.getElementById('register-result');
      button.disabled = true;
      fetch(registerUrl + '/' + encodeURIComponent(service), { method: 'POST', headers: { Accept: 'application/json' } })
        .then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (body) {
            if (response.ok) {
              result.textContent = service + ' registered at ' + body.registered.time + ' (' + body.registered.message_id + ')';
              result.classList.remove('bad');
            } else {
              result.textContent = service + ' could not register: ' + (body.error || ('status ' + response.status));
              result.classList.add('bad');
            }
          });
        })
        .catch(function () {
          result.textContent = service + ' could not register: the panel did not answer';
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
