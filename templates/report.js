/* tcpautopsy report: page switching, table filter and sort, copy buttons. No dependencies. */
(function () {
  'use strict';

  // Several captures: show the overview or one capture at a time, following the URL hash.
  var several = document.body.getAttribute('data-several') === 'true';
  var pages = Array.prototype.slice.call(document.querySelectorAll('section.capture, section.overview'));
  function route() {
    if (!several) { return; }
    var id = (location.hash || '').slice(1);
    var target = id ? document.getElementById(id) : null;
    var page = target ? target.closest('section.capture, section.overview') : null;
    if (!page) { page = document.getElementById('overview'); }
    pages.forEach(function (p) { p.classList.toggle('current', p === page); });
    if (target && target !== page) { target.scrollIntoView(); } else { window.scrollTo(0, 0); }
  }
  if (several) {
    document.body.classList.add('paged');
    window.addEventListener('hashchange', route);
    route();
  }

  // Tooltips: what each class, by value and tag means, from the one map the page carries.
  var tipsNode = document.getElementById('tips');
  var tips = tipsNode ? JSON.parse(tipsNode.textContent) : {};
  function tip(el, key) {
    if (!el.title && tips[key]) { el.title = tips[key]; }
  }
  Array.prototype.forEach.call(document.querySelectorAll('.chip, .tag'), function (el) {
    tip(el, el.textContent.trim().split(' ')[0]);
  });
  Array.prototype.forEach.call(document.querySelectorAll('td.by, .flow-card .by'), function (el) {
    tip(el, 'by ' + el.textContent.trim().replace(/^by /, ''));
  });

  // Connections tables: filter by class, host, port and abnormal; sort by any typed column.
  Array.prototype.forEach.call(document.querySelectorAll('.flows-block'), function (block) {
    var table = block.querySelector('table.flows');
    if (!table) { return; }
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var fClass = block.querySelector('.f-class');
    var fHost = block.querySelector('.f-host');
    var fPort = block.querySelector('.f-port');
    var fAbnormal = block.querySelector('.f-abnormal');
    var count = block.querySelector('.f-count');
    var onlyNote = block.querySelector('.only');
    var only = null;

    function apply() {
      var cls = fClass.value;
      var host = fHost.value.trim().toLowerCase();
      var port = fPort.value.trim();
      var abnormal = fAbnormal.checked;
      var shown = 0;
      rows.forEach(function (r) {
        var ok = (!only || only[r.getAttribute('data-stream')] === true) && (!cls || r.getAttribute('data-class') === cls)
          && (!host || r.getAttribute('data-hosts').toLowerCase().indexOf(host) >= 0)
          && (!port || r.getAttribute('data-ports').split(' ').indexOf(port) >= 0)
          && (!abnormal || r.getAttribute('data-abnormal') === 'true');
        r.hidden = !ok;
        if (ok) { shown++; }
      });
      count.textContent = shown + ' of ' + rows.length + ' shown';
    }
    // a finding's link shows only its connections, until "show all"
    block.showOnly = function (streams, title) {
      only = {};
      streams.forEach(function (s) { only[s] = true; });
      onlyNote.querySelector('.only-title').textContent = title;
      onlyNote.hidden = false;
      apply();
      block.scrollIntoView();
    };
    onlyNote.querySelector('.only-clear').addEventListener('click', function () {
      only = null;
      onlyNote.hidden = true;
      apply();
    });
    [fClass, fHost, fPort, fAbnormal].forEach(function (el) {
      el.addEventListener('input', apply);
      el.addEventListener('change', apply);
    });

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var type = th.getAttribute('data-type');
      if (!type) { return; }
      th.addEventListener('click', function () {
        var dir = th.getAttribute('data-dir') === 'asc' ? 'desc' : 'asc';
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { o.removeAttribute('data-dir'); });
        th.setAttribute('data-dir', dir);
        var i = th.cellIndex;
        function key(r) {
          var c = r.cells[i];
          var v = c.getAttribute('data-v');
          return v === null ? c.textContent.trim() : v;
        }
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var d = type === 'num' ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
          return dir === 'asc' ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    apply();
  });

  // A finding's link: its capture's connections table, filtered to the connections it explains.
  Array.prototype.forEach.call(document.querySelectorAll('a.f-streams'), function (a) {
    a.addEventListener('click', function (e) {
      e.preventDefault();
      var page = a.closest('section.capture');
      var block = page ? page.querySelector('.flows-block') : null;
      if (block && block.showOnly) {
        block.showOnly(a.getAttribute('data-streams').split(' '), a.closest('li').querySelector('.f-title').textContent);
      }
    });
  });

  // Copy a Wireshark filter; where the clipboard is not allowed (file:// in some browsers), select it.
  Array.prototype.forEach.call(document.querySelectorAll('button.copy'), function (b) {
    b.addEventListener('click', function () {
      var text = b.getAttribute('data-copy');
      function selectIt() {
        var code = b.previousElementSibling;
        var range = document.createRange();
        range.selectNodeContents(code);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () {
          b.textContent = 'copied';
          setTimeout(function () { b.textContent = 'copy'; }, 1200);
        }, selectIt);
      } else {
        selectIt();
      }
    });
  });
})();
