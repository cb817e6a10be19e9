// The dns-oops status page: polls GET /status every 2 s and renders it. Builds the DOM with
// textContent only (zone names and failure texts are data, never markup).
(function () {
  'use strict';
  var POLL_MS = 2000;
  var token = sessionStorage.getItem('dns-oops-token') || '';

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function badge(text, cls) {
    return el('span', text, 'badge ' + cls);
  }

  function rel(iso, now) {
    if (!iso) return '-';
    var s = Math.round((Date.parse(iso) - now) / 1000);
    var a = Math.abs(s);
    var t = a < 120 ? a + 's' : a < 7200 ? Math.round(a / 60) + 'm' : a < 172800 ? Math.round(a / 3600) + 'h' : Math.round(a / 86400) + 'd';
    return s >= 0 ? 'in ' + t : t + ' ago';
  }

  function row(tbody, cells, labels) {
    var tr = document.createElement('tr');
    cells.forEach(function (c, i) {
      var td = document.createElement('td');
      td.setAttribute('data-label', labels[i]);
      if (c instanceof Node) td.appendChild(c); else td.textContent = c;
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
    return tr;
  }

  function labels(table) {
    return Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) { return th.textContent; });
  }

  function fill(id, items, cellsOf) {
    var table = document.getElementById(id);
    var tbody = table.querySelector('tbody');
    var l = labels(table);
    tbody.textContent = '';
    items.forEach(function (item) {
      var tr = row(tbody, cellsOf(item), l);
      tr.setAttribute('data-key', item.zone || item.service || item.name || '');
    });
  }

  function render(s) {
    var now = Date.parse(s.now) || Date.now();
    // The daemon's one readiness verdict (the rule of /health/services and `dns-oops status`).
    var r = s.readiness || {};
    var notReady = (r['not-ready'] || []).length;
    var overall = document.getElementById('overall');
    overall.textContent = !r['first-round-done'] ? 'starting' : r.ready ? 'all services ready'
      : notReady + ' service' + (notReady === 1 ? '' : 's') + ' not ready';
    overall.title = r.summary || '';
    overall.className = 'badge ' + (!r['first-round-done'] ? 'state-pending' : r.ready ? 'yes' : 'no');
    document.getElementById('meta').textContent = 'version ' + s.version + ', up ' + rel(s.started, now).replace(' ago', '');
    document.getElementById('zone-count').textContent = '(' + s.zones.length + ')';
    fill('zones', s.zones, function (z) {
      var tip = z['last-failure'] ? badge(z.state, 'state-' + z.state) : badge(z.state, 'state-' + z.state);
      if (z['last-failure']) tip.title = z['last-failure'];
      return [z.zone, tip, z.serial === null ? '-' : z.serial, rel(z['last-check'], now), rel(z['next-check'], now),
        rel(z.expires, now), z['last-notifier'] || '-', z.service];
    });
    fill('services', s.services, function (v) {
      var acts = v.actuators ? Object.keys(v.actuators).map(function (k) {
        return k + ': ' + JSON.stringify(v.actuators[k]);
      }).join('; ') : '-';
      var ready = badge(v.ready ? (v.degraded ? 'yes, degraded' : 'yes') : 'no', v.ready ? 'yes' : 'no');
      if (v.reason) ready.title = v.reason;
      return [v.service, ready, v['ready-zones'] + '/' + v.zones, acts];
    });
    fill('components', s.components, function (c) {
      return [c.name, c.kind, badge(c.health, 'health-' + c.health), c.detail || ''];
    });
    var ol = document.getElementById('conditions');
    ol.textContent = '';
    s['recent-conditions'].forEach(function (c) {
      var li = el('li');
      li.appendChild(el('span', new Date(c.time).toLocaleTimeString() + ' ', 'muted'));
      li.appendChild(el('span', c.condition + ' ' + c.state, 'mono'));
      var parts = [];
      if (c.zone) parts.push(c.zone);
      if (c.service && !c.zone) parts.push('service ' + c.service);
      if (c.serial !== undefined) parts.push('serial ' + c.serial + (c['old-serial'] !== undefined ? ' (was ' + c['old-serial'] + ')' : ''));
      if (c.source) parts.push('from ' + c.source);
      if (c.detail) parts.push(c.detail);
      if (parts.length) li.appendChild(el('span', ' ' + parts.join(', ')));
      ol.appendChild(li);
    });
    document.getElementById('live').textContent = 'updated ' + new Date().toLocaleTimeString();
    document.body.setAttribute('data-loaded', 'true');
  }

  function showError(text) {
    var e = document.getElementById('error');
    e.textContent = text;
    e.hidden = !text;
  }

  function poll() {
    var headers = token ? { 'Authorization': 'Bearer ' + token } : {};
    fetch('status', { headers: headers, cache: 'no-store' }).then(function (r) {
      if (r.status === 401) {
        document.getElementById('auth').hidden = false;
        throw new Error('this server needs a token');
      }
      if (!r.ok) throw new Error('HTTP ' + r.status);
      document.getElementById('auth').hidden = true;
      return r.json();
    }).then(function (s) {
      showError('');
      render(s);
    }).catch(function (e) {
      showError('Cannot read status: ' + e.message + ' (retrying)');
    }).then(function () {
      setTimeout(poll, POLL_MS);
    });
  }

  document.getElementById('auth').addEventListener('submit', function (ev) {
    ev.preventDefault();
    token = document.getElementById('token').value;
    sessionStorage.setItem('dns-oops-token', token);
  });
  poll();
})();
