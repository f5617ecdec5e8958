// Live check-in counts: every element with data-live-counts and data-live="<SSE url>" is kept up to date from
// the server's Server-Sent Events (the browser reconnects by itself). Counts are written into the children
// marked data-count="checkedIn" (event) or data-count="session.checkedIn" (the session named by data-session-id).
(function () {
  'use strict';

  function update(panel, counts) {
    var sessionId = panel.getAttribute('data-session-id');
    var session = null;
    if (sessionId && counts.sessions) {
      for (var i = 0; i < counts.sessions.length; i++) {
        if (String(counts.sessions[i].id) === sessionId) {
          session = counts.sessions[i];
        }
      }
    }
    panel.querySelectorAll('[data-count]').forEach(function (el) {
      var name = el.getAttribute('data-count');
      var value = name.indexOf('session.') === 0 ? (session ? session[name.substring(8)] : null) : counts[name];
      if (value !== null && value !== undefined && el.textContent !== String(value)) {
        el.textContent = String(value);
      }
    });
    panel.querySelectorAll('[data-session-counts]').forEach(function (list) {
      (counts.sessions || []).forEach(function (s) {
        var row = list.querySelector('[data-session="' + s.id + '"]');
        if (row) {
          row.querySelector('[data-count="checkedIn"]').textContent = String(s.checkedIn);
          row.querySelector('[data-count="expected"]').textContent = String(s.expected);
        }
      });
    });
    panel.querySelectorAll('[data-show-if-conflicts]').forEach(function (el) {
      el.hidden = !counts.conflicts;
    });
    panel.setAttribute('data-updated', new Date().toISOString());
    // The door page listens: new conflicts are fetched and shown without a reload.
    panel.dispatchEvent(new CustomEvent('samla:counts', { detail: counts, bubbles: true }));
  }

  function connect(panel) {
    var url = panel.getAttribute('data-live');
    if (!url || !window.EventSource) {
      return;
    }
    var source = new EventSource(url);
    source.addEventListener('counts', function (e) {
      try {
        update(panel, JSON.parse(e.data));
      } catch (err) {
        // A malformed message changes nothing; the next one will.
      }
    });
  }

  function start() {
    document.querySelectorAll('[data-live-counts][data-live]').forEach(connect);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
