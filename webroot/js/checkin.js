// The door: scan (camera or handheld scanner), search by name, walk-ins, undo, and an offline mode that verifies
// ticket signatures on the device (WebCrypto Ed25519), queues check-ins in IndexedDB and replays them with their
// original time when the network returns. Talks to /api/v1 with the page's own device token.
(function () {
  'use strict';

  var desk = document.getElementById('desk');
  if (!desk) {
    return;
  }
  var T = JSON.parse(document.getElementById('checkin-texts').textContent);
  var eventId = Number(desk.getAttribute('data-event-id'));
  var sessionAttr = desk.getAttribute('data-session-id');
  var sessionId = sessionAttr ? Number(sessionAttr) : null;
  var token = desk.getAttribute('data-token');
  var lang = desk.getAttribute('data-lang') || 'sv';

  var el = function (id) { return document.getElementById(id); };
  var resultBox = el('result');
  var undoButton = el('undo');
  var codeInput = el('code');
  var connection = desk.querySelector('[data-connection]');
  var queueLabel = desk.querySelector('[data-queue]');

  function text(key, arg) {
    var s = T[key] || key;
    return arg === undefined ? s : s.replace('{0}', arg).replace('{1}', arguments.length > 2 ? arguments[2] : '');
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).substring(1); }).join('');
  }

  function clock(iso) {
    if (!iso) {
      return '';
    }
    return new Date(iso).toLocaleTimeString(lang === 'en' ? 'en-GB' : 'sv-SE', { hour: '2-digit', minute: '2-digit' });
  }

  // ---------------------------------------------------------------------------------------------
  // The device's name, shown to the others ("checked in on Entré norr")
  // ---------------------------------------------------------------------------------------------
  var deviceInput = el('device-name');
  var device = localStorage.getItem('samla.device');
  if (!device) {
    device = text('deviceDefault') + ' ' + uuid().substring(0, 4).toUpperCase();
    localStorage.setItem('samla.device', device);
  }
  deviceInput.value = device;
  deviceInput.addEventListener('change', function () {
    var v = deviceInput.value.trim().substring(0, 60);
    if (v) {
      device = v;
      localStorage.setItem('samla.device', v);
    } else {
      deviceInput.value = device;
    }
  });

  // ---------------------------------------------------------------------------------------------
  // Sound: one high tone for OK, two for a warning, one low for a refusal (WebAudio, no files)
  // ---------------------------------------------------------------------------------------------
  var audio = null;
  function unlockAudio() {
    if (!audio && (window.AudioContext || window.webkitAudioContext)) {
      try {
        audio = new (window.AudioContext || window.webkitAudioContext)();
      } catch (e) {
        audio = null;
      }
    }
  }
  document.addEventListener('keydown', unlockAudio, { once: true });
  document.addEventListener('pointerdown', unlockAudio, { once: true });
  function beep(kind) {
    if (!audio) {
      return;
    }
    var tones = kind === 'ok' ? [[880, 0, 0.15]] : kind === 'warn' ? [[660, 0, 0.12], [660, 0.2, 0.12]] : [[220, 0, 0.45]];
    tones.forEach(function (t) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = t[0];
      gain.gain.value = 0.2;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(audio.currentTime + t[1]);
      osc.stop(audio.currentTime + t[1] + t[2]);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Showing a result: large, in words and an icon as well as colour, announced by the live region
  // ---------------------------------------------------------------------------------------------
  var KIND = {
    ok: 'ok', already_checked_in: 'warn', not_in_session: 'warn', waitlisted: 'warn',
    cancelled: 'error', wrong_event: 'error', invalid: 'error', revoked: 'error'
  };
  var ICON = { ok: '✓', warn: '!', error: '✕' };
  var last = null;

  function node(tag, cls, content) {
    var n = document.createElement(tag);
    if (cls) {
      n.className = cls;
    }
    if (content !== undefined && content !== null) {
      n.textContent = content;
    }
    return n;
  }

  function show(r, note) {
    var kind = KIND[r.result] || 'error';
    resultBox.className = 'checkin-result result-' + kind;
    resultBox.setAttribute('data-result', r.result);
    resultBox.textContent = '';
    var title = node('p', 'result-title');
    var icon = node('span', 'result-icon', ICON[kind]);
    icon.setAttribute('aria-hidden', 'true');
    title.appendChild(icon);
    title.appendChild(document.createTextNode(' ' + text('result.' + r.result) + (note ? ' ' + note : '')));
    resultBox.appendChild(title);
    var reg = r.registration;
    if (reg) {
      resultBox.appendChild(node('p', 'result-name', reg.name));
      if (reg.organisation || reg.reference) {
        var details = node('p', 'result-details');
        if (reg.organisation) {
          details.appendChild(swedish(reg.organisation));
        }
        if (reg.reference) {
          details.appendChild(document.createTextNode((reg.organisation ? ' · ' : '') + reg.reference));
        }
        resultBox.appendChild(details);
      }
      if (reg.companion) {
        resultBox.appendChild(node('p', 'result-companion', text('companion')));
      }
      if (reg.needs && reg.needs.length) {
        resultBox.appendChild(node('p', 'result-needs-title', text('needs')));
        var list = node('ul', 'result-needs');
        reg.needs.forEach(function (n) { list.appendChild(node('li', null, lang === 'en' ? n.en : n.sv)); });
        resultBox.appendChild(list);
      }
    }
    if (r.result === 'already_checked_in' && r.firstCheckinAt) {
      resultBox.appendChild(node('p', 'result-first', text('already', clock(r.firstCheckinAt), r.firstDeviceId || '')));
    }
    if (r.result === 'wrong_event' && r.event) {
      resultBox.appendChild(node('p', null, text('hint.wrong_event', lang === 'en' && r.event.titleEn ? r.event.titleEn : r.event.title)));
    }
    if (r.result === 'invalid' && r.typed && referenceOf(r.typed)) {
      // A reference that names no ticket: a typo, never a forgery.
      resultBox.appendChild(node('p', null, text('hint.referenceUnknown', referenceOf(r.typed))));
    } else if (r.result === 'invalid' || r.result === 'revoked') {
      resultBox.appendChild(node('p', null, text('hint.' + r.result)));
    }
    beep(kind);
    last = r.result === 'ok' ? r : last;
    undoButton.hidden = !(r.result === 'ok' && (r.checkinId || r.queuedKey));
  }

  // An organisation's name is Swedish: on the English page it is marked so, for screen readers.
  function swedish(words) {
    var span = node('span', null, words);
    if (lang !== 'sv') {
      span.lang = 'sv';
    }
    return span;
  }

  function showMessage(message, kind) {
    resultBox.className = 'checkin-result result-' + (kind || 'error');
    resultBox.removeAttribute('data-result');
    resultBox.textContent = '';
    resultBox.appendChild(node('p', 'result-message', message));
    if (kind !== 'info') {
      beep(kind || 'error');
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The API
  // ---------------------------------------------------------------------------------------------
  // A scan that has no answer by then is decided on the device and queued, as when offline: someone waiting at the
  // door should not wait on a server that hangs (its replay, with the same idempotency key, cannot count twice).
  var SCAN_WAIT_MS = 5000;

  function api(method, path, body, waitMs) {
    var controller = waitMs && window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, waitMs) : null;
    return fetch('/api/v1' + path, {
      method: method,
      headers: {
        'Authorization': 'Bearer ' + token,
        'Content-Type': 'application/json',
        'Accept-Language': lang
      },
      body: body ? JSON.stringify(body) : undefined,
      cache: 'no-store',
      signal: controller ? controller.signal : undefined
    }).then(function (res) {
      clearTimeout(timer);
      return res;
    }, function (e) {
      clearTimeout(timer);
      throw e;
    });
  }

  function errorMessage(res) {
    return res.json().then(function (b) {
      if (res.status === 401) {
        return text('expired');
      }
      var fields = b.fields ? Object.keys(b.fields).map(function (k) { return b.fields[k]; }) : [];
      return fields.length ? fields.join(' ') : (b.message || String(res.status));
    }, function () { return String(res.status); });
  }

  // ---------------------------------------------------------------------------------------------
  // Offline: what was synced, the queue in IndexedDB, the signature check
  // ---------------------------------------------------------------------------------------------
  var online = true;
  var synced = null; // { key, tickets: Map(ticketId → ticket), inside: Map(regId|session → {at, deviceId}) }

  function place(regId, session) {
    return regId + '|' + (session || 0);
  }

  // The connection line is a live region: it speaks only when the connection changes, never after every scan.
  function setOnline(value) {
    online = value;
    var words = value ? text('online') : text('offline');
    if (connection.textContent !== words) {
      connection.textContent = words;
    }
    desk.classList.toggle('is-offline', !value);
  }

  // A ticket reference as people type it ("HÖK-V8MT-3UZR", "hok v8mt 3uzr", "V8MT3UZR"), as it is stored; null when
  // the text is not one. The same rule as the server's (tickets/TicketService.reference).
  function referenceOf(typed) {
    var s = String(typed || '').replace(/[\s\-–]/g, '').toUpperCase();
    if (s.indexOf('HÖK') === 0 || s.indexOf('HOK') === 0) {
      s = s.substring(3);
    }
    return /^[A-HJ-NP-Z2-9]{8}$/.test(s) ? 'HÖK-' + s.substring(0, 4) + '-' + s.substring(4) : null;
  }

  function sync() {
    return api('GET', '/events/' + eventId + '/checkin-sync').then(function (res) {
      if (!res.ok) {
        return;
      }
      return res.json().then(function (data) {
        var tickets = new Map();
        data.tickets.forEach(function (t) { tickets.set(t.ticketId, t); });
        var inside = new Map();
        data.checkedIn.forEach(function (c) { inside.set(place(c.registrationId, c.sessionId), c); });
        return importKey(data.publicKey).then(function (key) {
          synced = { key: key, tickets: tickets, inside: inside, at: data.syncedAt };
          desk.setAttribute('data-synced', data.syncedAt);
        });
      });
    }).catch(function () { /* offline: keep what we have */ });
  }

  function importKey(base64) {
    if (!window.crypto || !crypto.subtle) {
      return Promise.resolve(null);
    }
    var der = Uint8Array.from(atob(base64), function (c) { return c.charCodeAt(0); });
    return crypto.subtle.importKey('spki', der, { name: 'Ed25519' }, false, ['verify']).catch(function () { return null; });
  }

  // RFC 4648 base32 without padding, as the server writes it.
  function base32(textValue) {
    var alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    var bits = 0;
    var value = 0;
    var out = [];
    for (var i = 0; i < textValue.length; i++) {
      var idx = alphabet.indexOf(textValue.charAt(i));
      if (idx < 0) {
        return null;
      }
      value = (value << 5) | idx;
      bits += 5;
      if (bits >= 8) {
        out.push((value >>> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return new Uint8Array(out);
  }

  // version (1) | ticket id (varint) | event id (varint) | Ed25519 signature (64)
  function parseCode(code) {
    var bytes = base32(code);
    if (!bytes || bytes.length < 1 + 2 + 64 || bytes[0] !== 1) {
      return null;
    }
    var pos = 1;
    function varint() {
      var result = 0;
      var scale = 1;
      for (var n = 0; n < 9 && pos < bytes.length; n++) {
        var b = bytes[pos++];
        result += (b & 0x7f) * scale;
        if ((b & 0x80) === 0) {
          return result;
        }
        scale *= 128;
      }
      return null;
    }
    var ticketId = varint();
    var codeEvent = varint();
    if (ticketId === null || codeEvent === null || bytes.length - pos !== 64) {
      return null;
    }
    return { ticketId: ticketId, eventId: codeEvent, signed: bytes.slice(0, pos), signature: bytes.slice(pos) };
  }

  function decideOffline(scan) {
    if (!scan.code) {
      return Promise.resolve({ result: 'invalid' });
    }
    var reference = referenceOf(scan.code);
    if (reference && synced) {
      // A typed reference: the synced list says whose ticket it is (its signature was checked when it was issued).
      var found = null;
      synced.tickets.forEach(function (t) { if (t.reference === reference) { found = t; } });
      return Promise.resolve(found ? decideTicket(found, scan) : { result: 'invalid' });
    }
    var p = parseCode(scan.code);
    if (!p) {
      return Promise.resolve({ result: 'invalid' });
    }
    if (!synced || !synced.key) {
      return Promise.resolve({ result: 'unverified' });
    }
    return crypto.subtle.verify({ name: 'Ed25519' }, synced.key, p.signature, p.signed).then(function (genuine) {
      if (!genuine) {
        return { result: 'invalid' };
      }
      if (p.eventId !== eventId) {
        return { result: 'wrong_event' };
      }
      var t = synced.tickets.get(p.ticketId);
      if (!t) {
        return { result: 'ok', note: text('notSynced') };
      }
      return decideTicket(t, scan);
    }, function () { return { result: 'unverified' }; });
  }

  // A genuine ticket of this event from the synced list: let in, or why not.
  function decideTicket(t, scan) {
    var reg = { id: t.registrationId, name: t.name, organisation: t.organisation, companion: t.companion, reference: t.reference, needs: [] };
    if (!t.valid) {
      return { result: t.status === 'cancelled' ? 'cancelled' : t.status === 'waitlisted' ? 'waitlisted' : 'revoked', registration: reg };
    }
    if (sessionId && t.sessions.indexOf(sessionId) < 0) {
      return { result: 'not_in_session', registration: reg };
    }
    var first = synced.inside.get(place(t.registrationId, sessionId));
    if (first) {
      return { result: 'already_checked_in', registration: reg, firstCheckinAt: first.at, firstDeviceId: first.deviceId };
    }
    synced.inside.set(place(t.registrationId, sessionId), { at: scan.scannedAt, deviceId: device });
    return { result: 'ok', registration: reg };
  }

  var db = null;
  function openQueue() {
    if (!window.indexedDB) {
      return Promise.resolve(null);
    }
    return new Promise(function (resolve) {
      var req = indexedDB.open('samla-checkin', 1);
      req.onupgradeneeded = function () { req.result.createObjectStore('queue', { keyPath: 'idempotencyKey' }); };
      req.onsuccess = function () { db = req.result; resolve(db); };
      req.onerror = function () { resolve(null); };
    });
  }

  function queueStore(mode) {
    return db.transaction('queue', mode).objectStore('queue');
  }

  function enqueue(scan) {
    if (!db) {
      memoryQueue.push(scan);
      return Promise.resolve();
    }
    return new Promise(function (resolve) {
      var req = queueStore('readwrite').put(scan);
      req.onsuccess = req.onerror = function () { resolve(); };
    });
  }

  var memoryQueue = [];
  function queued() {
    if (!db) {
      return Promise.resolve(memoryQueue.slice());
    }
    return new Promise(function (resolve) {
      var req = queueStore('readonly').getAll();
      req.onsuccess = function () { resolve(req.result || []); };
      req.onerror = function () { resolve([]); };
    });
  }

  function dequeue(key) {
    memoryQueue = memoryQueue.filter(function (s) { return s.idempotencyKey !== key; });
    if (!db) {
      return Promise.resolve();
    }
    return new Promise(function (resolve) {
      var req = queueStore('readwrite').delete(key);
      req.onsuccess = req.onerror = function () { resolve(); };
    });
  }

  function showQueue() {
    return queued().then(function (list) {
      queueLabel.textContent = list.length ? text('queued', list.length) : '';
      desk.setAttribute('data-queued', String(list.length));
      return list;
    });
  }

  var flushing = false;
  function flush() {
    if (flushing) {
      return Promise.resolve();
    }
    flushing = true;
    return queued().then(function (list) {
      var sent = 0;
      var chain = Promise.resolve(true);
      list.filter(function (s) { return s.eventId === eventId; }).forEach(function (scan) {
        chain = chain.then(function (go) {
          if (!go) {
            return false;
          }
          return api('POST', '/checkins', scan, SCAN_WAIT_MS).then(function (res) {
            if (res.status >= 500) {
              return false;
            }
            // Answered (or refused for good: a 4xx will not change on a retry): no longer queued.
            sent++;
            return dequeue(scan.idempotencyKey).then(function () { return true; });
          }, function () { return false; });
        });
      });
      return chain.then(function (allSent) {
        if (sent > 0) {
          setOnline(true);
          showMessageLine(text('sent', sent));
          sync();
        } else if (list.length && !allSent) {
          setOnline(false);
        }
      });
    }).then(showQueue).then(function () { flushing = false; }, function () { flushing = false; });
  }

  function showMessageLine(message) {
    queueLabel.textContent = message;
  }

  // ---------------------------------------------------------------------------------------------
  // Checking in
  // ---------------------------------------------------------------------------------------------
  function send(scan) {
    return api('POST', '/checkins', scan, SCAN_WAIT_MS).then(function (res) {
      setOnline(true);
      if (res.status === 200) {
        return res.json().then(function (r) {
          if ((r.result === 'ok' || r.result === 'already_checked_in') && r.registration && synced) {
            synced.inside.set(place(r.registration.id, sessionId), { at: r.firstCheckinAt, deviceId: r.firstDeviceId });
          }
          r.typed = scan.code;
          show(r);
        });
      }
      if (res.status >= 500) {
        throw new Error('HTTP ' + res.status);
      }
      return errorMessage(res).then(function (m) { showMessage(m); });
    }).catch(function () {
      // No answer: decide on the device and keep the scan for later, with its original time.
      setOnline(false);
      return decideOffline(scan).then(function (local) {
        if (local.result === 'unverified') {
          showMessage(text('unverified'), 'warn');
        } else {
          if (local.result === 'ok') {
            scan.admittedOffline = true;
            local.queuedKey = scan.idempotencyKey;
          }
          local.typed = scan.code;
          show(local, text('offlineNote') + (local.note ? ' – ' + local.note : ''));
        }
        // Every scan is recorded, rejected ones too: the server replays them into its scan log.
        return enqueue(scan).then(showQueue);
      });
    });
  }

  var recent = new Map();
  function submitCode(raw, fromCamera) {
    var code = String(raw || '').replace(/\s+/g, '').toUpperCase();
    if (!code) {
      return Promise.resolve();
    }
    var now = Date.now();
    // The camera sees the same code many times a second: one scan per code every 4 seconds.
    if (fromCamera && recent.has(code) && now - recent.get(code) < 4000) {
      return Promise.resolve();
    }
    recent.set(code, now);
    return send({
      code: code, eventId: eventId, sessionId: sessionId, deviceId: device,
      scannedAt: new Date().toISOString(), idempotencyKey: uuid()
    });
  }

  el('scan-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var value = codeInput.value;
    codeInput.value = '';
    submitCode(value, false).then(function () { codeInput.focus(); });
  });

  undoButton.addEventListener('click', function () {
    if (!last) {
      return;
    }
    var undone = last;
    if (undone.queuedKey) {
      dequeue(undone.queuedKey).then(showQueue);
      if (synced && undone.registration) {
        synced.inside.delete(place(undone.registration.id, sessionId));
      }
      finishUndo(undone);
      return;
    }
    api('DELETE', '/checkins/' + undone.checkinId).then(function (res) {
      if (res.status === 204) {
        if (synced && undone.registration) {
          synced.inside.delete(place(undone.registration.id, sessionId));
        }
        finishUndo(undone);
      } else {
        showMessage(text('undoFailed'));
      }
    }, function () { showMessage(text('undoFailed')); });
  });

  function finishUndo(undone) {
    last = null;
    undoButton.hidden = true;
    showMessage(text('undone', undone.registration ? undone.registration.name : ''), 'info');
    codeInput.focus();
  }

  // ---------------------------------------------------------------------------------------------
  // Search by name, organisation or reference
  // ---------------------------------------------------------------------------------------------
  var searchStatus = el('search-status');
  var searchResults = el('search-results');
  el('search-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var q = el('q').value.trim();
    searchResults.textContent = '';
    if (!q) {
      searchStatus.textContent = '';
      return;
    }
    searchStatus.textContent = text('searching');
    var path = '/events/' + eventId + '/attendees?q=' + encodeURIComponent(q) + (sessionId ? '&sessionId=' + sessionId : '');
    api('GET', path).then(function (res) {
      setOnline(true);
      if (!res.ok) {
        return errorMessage(res).then(function (m) { searchStatus.textContent = m; });
      }
      return res.json().then(function (body) {
        var list = body.attendees;
        searchStatus.textContent = list.length === 1 ? text('match') : list.length ? text('matches', list.length)
          : text('noMatches', q);
        list.forEach(function (a) {
          var li = node('li', 'search-result');
          var who = node('p', 'search-name', a.name);
          li.appendChild(who);
          var info = node('p', 'hint');
          if (a.organisation) {
            info.appendChild(swedish(a.organisation));
            info.appendChild(document.createTextNode(' · '));
          }
          info.appendChild(document.createTextNode([a.reference, text('status.' + a.status)].filter(Boolean).join(' · ')));
          li.appendChild(info);
          if (a.checkedInAt) {
            li.appendChild(node('p', 'hint', text('checkedInAt', clock(a.checkedInAt))));
          }
          var button = node('button', 'button small', text('checkInPerson'));
          button.type = 'button';
          var hidden = node('span', 'visually-hidden', ' ' + a.name);
          button.appendChild(hidden);
          button.addEventListener('click', function () {
            send({
              registrationId: a.registrationId, eventId: eventId, sessionId: sessionId, deviceId: device,
              scannedAt: new Date().toISOString(), idempotencyKey: uuid()
            }).then(function () {
              // The result is announced by its live region; the focus goes back to the search, ready for the next name.
              resultBox.scrollIntoView({ block: 'nearest' });
              var field = el('q');
              field.focus();
              field.select();
            });
          });
          li.appendChild(button);
          searchResults.appendChild(li);
        });
      });
    }, function () {
      setOnline(false);
      searchStatus.textContent = text('searchOffline');
    });
  });

  // ---------------------------------------------------------------------------------------------
  // Walk-in
  // ---------------------------------------------------------------------------------------------
  var walkIn = el('walkin-form');
  walkIn.addEventListener('submit', function (e) {
    e.preventDefault();
    ['name', 'email'].forEach(function (f) {
      var err = el('walkin-' + f + '-error');
      err.hidden = true;
      err.textContent = '';
      walkIn.querySelector('[data-field="' + f + '"]').classList.remove('has-error');
      el('walkin-' + f).removeAttribute('aria-invalid');
    });
    var body = {
      name: el('walkin-name').value, email: el('walkin-email').value, companion: el('walkin-companion').checked,
      sessionId: sessionId, language: lang, deviceId: device, idempotencyKey: uuid()
    };
    api('POST', '/events/' + eventId + '/walk-ins', body).then(function (res) {
      setOnline(true);
      if (res.status === 201) {
        return res.json().then(function (r) {
          walkIn.reset();
          show(r);
        });
      }
      return res.json().then(function (b) {
        var fields = b.fields || {};
        var first = null;
        Object.keys(fields).forEach(function (f) {
          var err = el('walkin-' + f + '-error');
          if (err) {
            err.textContent = fields[f];
            err.hidden = false;
            walkIn.querySelector('[data-field="' + f + '"]').classList.add('has-error');
            el('walkin-' + f).setAttribute('aria-invalid', 'true');
            el('walkin-' + f).setAttribute('aria-describedby', 'walkin-' + f + '-error');
            first = first || el('walkin-' + f);
          }
        });
        showMessage(first ? text('fixFields') : (b.message || String(res.status)), 'warn');
        if (first) {
          first.focus();
        }
      }, function () { showMessage(String(res.status)); });
    }, function () {
      setOnline(false);
      showMessage(text('walkInOffline'), 'warn');
    });
  });

  // ---------------------------------------------------------------------------------------------
  // Camera: the browser's BarcodeDetector where it has one, ZXing (from npm) where it has not
  // ---------------------------------------------------------------------------------------------
  var video = el('camera');
  var cameraStatus = el('camera-status');
  var startButton = el('camera-start');
  var stopButton = el('camera-stop');
  var stream = null;
  var scanning = false;
  var canvas = document.createElement('canvas');

  function makeDetector() {
    if ('BarcodeDetector' in window) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf('qr_code') >= 0) {
          var detector = new window.BarcodeDetector({ formats: ['qr_code'] });
          return function () {
            return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
          };
        }
        return zxingDetector();
      }, zxingDetector);
    }
    return Promise.resolve(zxingDetector());
  }

  function zxingDetector() {
    if (!window.ZXing) {
      return null;
    }
    var reader = new window.ZXing.QRCodeReader();
    var hints = new Map();
    hints.set(window.ZXing.DecodeHintType.TRY_HARDER, true);
    return function () {
      var w = video.videoWidth;
      var h = video.videoHeight;
      if (!w || !h) {
        return Promise.resolve(null);
      }
      canvas.width = w;
      canvas.height = h;
      canvas.getContext('2d', { willReadFrequently: true }).drawImage(video, 0, 0, w, h);
      try {
        var source = new window.ZXing.HTMLCanvasElementLuminanceSource(canvas);
        var bitmap = new window.ZXing.BinaryBitmap(new window.ZXing.HybridBinarizer(source));
        return Promise.resolve(reader.decode(bitmap, hints).getText());
      } catch (e) {
        return Promise.resolve(null);
      } finally {
        reader.reset();
      }
    };
  }

  startButton.addEventListener('click', function () {
    if (!window.isSecureContext) {
      cameraStatus.textContent = text('cameraInsecure');
      return;
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      cameraStatus.textContent = text('cameraUnsupported');
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      return video.play();
    }).then(makeDetector).then(function (detect) {
      if (!detect) {
        stopCamera();
        cameraStatus.textContent = text('cameraUnsupported');
        return;
      }
      startButton.hidden = true;
      stopButton.hidden = false;
      cameraStatus.textContent = text('cameraOn');
      desk.setAttribute('data-camera', 'on');
      scanning = true;
      var loop = function () {
        if (!scanning) {
          return;
        }
        detect().then(function (value) {
          return value ? submitCode(value, true) : null;
        }).catch(function () { return null; }).then(function () {
          setTimeout(loop, 150);
        });
      };
      loop();
    }).catch(function (e) {
      stopCamera();
      var name = e && e.name;
      cameraStatus.textContent = name === 'NotAllowedError' || name === 'SecurityError' ? text('cameraDenied')
        : name === 'NotFoundError' || name === 'OverconstrainedError' ? text('cameraMissing') : text('cameraUnsupported');
    });
  });

  function stopCamera() {
    scanning = false;
    if (stream) {
      stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
    }
    video.hidden = true;
    startButton.hidden = false;
    stopButton.hidden = true;
    desk.removeAttribute('data-camera');
  }

  stopButton.addEventListener('click', function () {
    stopCamera();
    cameraStatus.textContent = text('cameraOff');
    startButton.focus();
  });

  // ---------------------------------------------------------------------------------------------
  // Start: sync for offline use, send what an earlier visit left queued, keep trying while offline
  // ---------------------------------------------------------------------------------------------
  window.addEventListener('online', flush);
  window.addEventListener('offline', function () { setOnline(false); });
  openQueue().then(showQueue).then(function () {
    return sync();
  }).then(flush).then(function () {
    desk.setAttribute('data-ready', 'true');
  });
  setInterval(function () {
    flush();
  }, 10000);
  setInterval(function () {
    if (online) {
      sync();
    }
  }, 60000);
})();
