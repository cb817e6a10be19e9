// The dns-oops status page. Every 2 s it asks GET /status for the counts and ONE page of zones
// (not-ready first, filtered on the server by the search box and the selects), so a refresh
// transfers the same with ten zones or a million. The daemon still counts every zone per answer:
// when that takes long (a million zones), the page waits ten times as long as the last answer
// took before asking again, so an open page never costs the daemon more than about a tenth of a
// core. What the user does (search, paging) is asked at once. Builds the DOM with textContent only (zone names and
// failure texts are data, never markup). Times are shown in UTC, like the API gives them.
(function () {
  'use strict';
  var POLL_MS = 2000;
  var wait = POLL_MS;
  var PAGE = 50;
  var token = sessionStorage.getItem('dns-oops-token') || '';
  var cursors = [];     // "after" of each page before the current one; the current page's is the last
  var timer = null;
  var inFlight = false;
  var again = false;
  var asked = '';
  var last = null;
  var renders = 0;

  function $(id) { return document.getElementById(id); }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function badge(text, cls) {
    return el('span', text, 'badge ' + cls);
  }

  function num(n) {
    return Number(n).toLocaleString('en');
  }

  function two(n) { return n < 10 ? '0' + n : '' + n; }

  // "16:55:02 UTC" today (UTC), "2026-12-31 16:55 UTC" on another day.
  function utc(iso, now) {
    var d = new Date(iso);
    var n = new Date(now);
    var t = two(d.getUTCHours()) + ':' + two(d.getUTCMinutes());
    if (d.getUTCFullYear() === n.getUTCFullYear() && d.getUTCMonth() === n.getUTCMonth() && d.getUTCDate() === n.getUTCDate()) {
      return t + ':' + two(d.getUTCSeconds()) + ' UTC';
    }
    return d.getUTCFullYear() + '-' + two(d.getUTCMonth() + 1) + '-' + two(d.getUTCDate()) + ' ' + t + ' UTC';
  }

  function rel(iso, now) {
    var s = Math.round((Date.parse(iso) - now) / 1000);
    var a = Math.abs(s);
    var t = a < 120 ? a + 's' : a < 7200 ? Math.round(a / 60) + 'm' : a < 172800 ? Math.round(a / 3600) + 'h' : Math.round(a / 86400) + 'd';
    return s >= 0 ? 'in ' + t : t + ' ago';
  }

  // A time cell: the UTC time, and how long ago / until in a muted note.
  function when(iso, now) {
    if (!iso) return '-';
    var span = el('span');
    span.appendChild(el('time', utc(iso, now))).setAttribute('datetime', iso);
    span.appendChild(el('span', ' (' + rel(iso, now) + ')', 'muted'));
    return span;
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

  function fill(id, items, cellsOf) {
    var table = $(id);
    var tbody = table.querySelector('tbody');
    var l = Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) { return th.textContent; });
    var frag = document.createDocumentFragment();
    items.forEach(function (item) {
      var tr = row(frag, cellsOf(item), l);
      tr.setAttribute('data-key', item.zone || item.service || item.name || '');
    });
    tbody.textContent = '';
    tbody.appendChild(frag);
  }

  // "3 failing · 97 ready": the states that have zones, worst first, each in its colour.
  function stateChips(states) {
    var order = ['expired', 'expiring', 'failing', 'refresh-failing', 'pending', 'ready'];
    Object.keys(states).forEach(function (k) { if (order.indexOf(k) < 0) order.push(k); });
    var span = el('span', null, 'chips');
    order.forEach(function (k) {
      if (states[k]) span.appendChild(badge(num(states[k]) + ' ' + k, 'state-' + k));
    });
    if (!span.firstChild) span.textContent = 'no zones';
    return span;
  }

  // Route actuators report "services": {name: {route, prefixes, announced}}.
  function routeText(r) {
    if (r && r.route) return r.route + (r.prefixes && r.prefixes.length ? ' ' + r.prefixes.join(', ') : '');
    return JSON.stringify(r);
  }

  function render(s) {
    var now = Date.parse(s.now) || Date.now();
    var sum = s.summary;
    // The daemon's one readiness verdict (the rule of /health/services and `dns-oops status`).
    var r = s.readiness || {};
    var notReady = (r['not-ready'] || []).length;
    var overall = $('overall');
    overall.textContent = !r['first-round-done'] ? 'starting' : r.ready ? 'all services ready'
      : notReady + ' service' + (notReady === 1 ? '' : 's') + ' not ready';
    overall.title = r.summary || '';
    overall.className = 'badge ' + (!r['first-round-done'] ? 'state-pending' : r.ready ? 'yes' : 'no');
    var drain = $('drain');
    drain.hidden = false;
    drain.textContent = s.drained ? 'drained: routes withdrawn' : 'not drained';
    drain.className = 'badge ' + (s.drained ? 'no' : 'plain');
    $('meta').textContent = 'version ' + s.version + ', up ' + rel(s.started, now).replace(' ago', '');
    var counts = $('counts');
    counts.textContent = num(sum.zones) + ' zones: ';
    counts.appendChild(stateChips(sum.states));

    // Services, with each route actuator's view; route services that are no zone group get a row too.
    var groups = {};
    var rows = s.services.map(function (v) { groups[v.service] = true; return v; });
    s.components.forEach(function (c) {
      if (c.services && typeof c.services === 'object') {
        Object.keys(c.services).forEach(function (name) {
          if (!groups[name]) {
            groups[name] = true;
            var a = {};
            a[c.name] = c.services[name];
            rows.push({ service: name, actuators: a, routeOnly: true });
          } else {
            rows.forEach(function (v) {
              if (v.service === name && !v.routeOnly) { v.actuators = v.actuators || {}; v.actuators[c.name] = c.services[name]; }
            });
          }
        });
      }
    });
    fill('services', rows, function (v) {
      var route = v.actuators ? Object.keys(v.actuators).map(function (k) {
        return k + ': ' + routeText(v.actuators[k]);
      }).join('; ') : '-';
      if (v.routeOnly) return [v.service, '-', '-', route];
      var ready = badge(v.ready ? (v.degraded ? 'yes, degraded' : 'yes') : 'no', v.ready ? 'yes' : 'no');
      if (v.reason) ready.title = v.reason;
      return [v.service, ready, v['zones-by-state'] ? stateChips(v['zones-by-state']) : v['ready-zones'] + '/' + v.zones, route];
    });
    var down = sum['servers-down'] || [];
    var probes = s.components.filter(function (c) { return /probe/.test(c.name); }).map(function (c) {
      return c.name + ' ' + c.health + (c.detail ? ' (' + c.detail + ')' : '');
    });
    $('probes').textContent = 'Probed servers down: ' + (down.length ? down.join(', ') : 'none')
      + (probes.length ? '. Probes: ' + probes.join('; ') : '. No probes configured.');

    // The service select follows the services the daemon has.
    var sel = $('service');
    var want = s.services.map(function (v) { return v.service; });
    var have = Array.prototype.slice.call(sel.options, 1).map(function (o) { return o.value; });
    if (want.join('\n') !== have.join('\n')) {
      var chosen = sel.value;
      while (sel.options.length > 1) sel.remove(1);
      want.forEach(function (name) { var o = el('option', name); o.value = name; sel.appendChild(o); });
      sel.value = want.indexOf(chosen) >= 0 ? chosen : '';
    }

    // Zones: one page of the filtered list.
    var filtered = $('search').value.trim() || $('state').value || $('service').value;
    $('zone-count').textContent = filtered ? '(' + num(s['zones-matched']) + ' of ' + num(sum.zones) + ' match)'
      : '(' + num(sum.zones) + ')';
    fill('zones', s.zones, function (z) {
      var st = badge(z.state, 'state-' + z.state);
      if (z['last-failure']) st.title = z['last-failure'];
      return [z.zone, st, z.serial === null ? '-' : z.serial, when(z['last-check'], now), when(z['next-check'], now),
        when(z.expires, now), z['last-notifier'] || '-', z.service, z.state === 'ready' ? '' : el('span', z['last-failure'] || '', 'muted')];
    });
    var from = cursors.length * PAGE;
    $('range').textContent = s.zones.length === 0 ? 'no zones' + (filtered ? ' match' : '')
      : num(from + 1) + '–' + num(from + s.zones.length) + ' of ' + num(s['zones-matched']);
    $('prev').disabled = $('first').disabled = cursors.length === 0;
    $('next').disabled = !s.next;

    fill('components', s.components, function (c) {
      return [c.name, c.kind, badge(c.health, 'health-' + c.health), c.detail || ''];
    });
    var ol = $('conditions');
    var items = document.createDocumentFragment();
    s['recent-conditions'].forEach(function (c) {
      var li = el('li');
      li.appendChild(el('time', utc(c.time, now) + ' ', 'muted')).setAttribute('datetime', c.time);
      li.appendChild(el('span', c.condition + ' ' + c.state, 'mono'));
      var parts = [];
      if (c.zone) parts.push(c.zone);
      if (c.service && !c.zone) parts.push('service ' + c.service);
      if (c.serial !== undefined) parts.push('serial ' + c.serial + (c['old-serial'] !== undefined ? ' (was ' + c['old-serial'] + ')' : ''));
      if (c.source) parts.push('from ' + c.source);
      if (c.detail) parts.push(c.detail);
      if (parts.length) li.appendChild(el('span', ' ' + parts.join(', ')));
      items.appendChild(li);
    });
    ol.textContent = '';
    ol.appendChild(items);
    $('live').textContent = 'updated ' + utc(new Date().toISOString(), Date.now());
    document.body.setAttribute('data-loaded', 'true');
    document.body.setAttribute('data-renders', String(++renders)); // lets a test tell one refresh from the next
  }

  function showError(text) {
    var e = $('error');
    e.textContent = text;
    e.hidden = !text;
  }

  // The request for what the page shows now: the counts and one page of matching zones.
  function url() {
    var p = new URLSearchParams();
    p.set('limit', PAGE);
    var q = $('search').value.trim();
    if (q) p.set('match', /[*?]/.test(q) ? q : '*' + q + '*');
    if ($('state').value) p.set('state', $('state').value);
    if ($('service').value) p.set('service', $('service').value);
    if (cursors.length) p.set('after', cursors[cursors.length - 1]);
    return 'status?' + p.toString();
  }

  function poll() {
    clearTimeout(timer);
    timer = null;
    if (inFlight) { again = url() !== asked; return; } // the answer on its way is the one wanted: wait for it
    if (document.hidden) return; // resumed by visibilitychange: a background tab costs the daemon nothing
    inFlight = true;
    var started = Date.now();
    var headers = token ? { 'Authorization': 'Bearer ' + token } : {};
    asked = url();
    fetch(asked, { headers: headers, cache: 'no-store' }).then(function (r) {
      if (r.status === 401) {
        $('auth').hidden = false;
        throw new Error('this server needs a token');
      }
      if (!r.ok) return r.json().then(function (b) { throw new Error(b.error || 'HTTP ' + r.status); });
      $('auth').hidden = true;
      return r.json();
    }).then(function (s) {
      showError('');
      last = s;
      if (asked === url()) render(s); // else the user changed the question meanwhile: ask it next
    }).catch(function (e) {
      showError('Cannot read status: ' + e.message + ' (retrying)');
    }).then(function () {
      inFlight = false;
      wait = Math.min(60000, Math.max(POLL_MS, 10 * (Date.now() - started)));
      $('live').title = 'updates every ' + Math.round(wait / 1000) + ' s';
      if (again || asked !== url()) { again = false; poll(); } else timer = setTimeout(poll, wait);
    });
  }

  function restart() {
    cursors = [];
    poll();
  }

  var typing = null;
  $('search').addEventListener('input', function () {
    clearTimeout(typing);
    typing = setTimeout(restart, 250);
  });
  $('filter').addEventListener('submit', function (ev) { ev.preventDefault(); clearTimeout(typing); restart(); });
  $('state').addEventListener('change', restart);
  $('service').addEventListener('change', restart);
  $('next').addEventListener('click', function () {
    if (last && last.next) { cursors.push(last.next); poll(); }
  });
  $('prev').addEventListener('click', function () { cursors.pop(); poll(); });
  $('first').addEventListener('click', restart);
  document.addEventListener('visibilitychange', function () { if (!document.hidden) poll(); });
  $('auth').addEventListener('submit', function (ev) {
    ev.preventDefault();
    token = $('token').value;
    sessionStorage.setItem('dns-oops-token', token);
    poll();
  });
  poll();
})();
