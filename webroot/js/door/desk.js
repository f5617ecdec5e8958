// The door: scan (camera or handheld scanner), search by name, walk-ins, undo, live conflicts, and an offline mode
// that verifies ticket signatures on the device (WebCrypto Ed25519), decides as the server would (verdict.js), queues
// check-ins in IndexedDB and replays them with their original time when the network returns.

import { typedCode, referenceOf } from './code.js';
import { decide, deviceList, place } from './verdict.js';
import { client, errorMessage } from './api.js';
import { openQueue } from './queue.js';
import { wireCamera } from './camera.js';

const desk = document.getElementById('desk');
if (desk) {
  start(desk);
}

function start(desk) {
  const T = JSON.parse(document.getElementById('checkin-texts').textContent);
  const eventId = Number(desk.getAttribute('data-event-id'));
  const sessionAttr = desk.getAttribute('data-session-id');
  const sessionId = sessionAttr ? Number(sessionAttr) : null;
  const lang = desk.getAttribute('data-lang') || 'sv';
  const api = client(desk.getAttribute('data-token'), lang);

  const el = (id) => document.getElementById(id);
  const resultBox = el('result');
  const undoButton = el('undo');
  const codeInput = el('code');
  const testScan = el('test-scan');
  const connection = desk.querySelector('[data-connection]');
  const queueLabel = desk.querySelector('[data-queue]');

  function text(key, a, b) {
    let s = T[key] || key;
    if (a !== undefined) {
      s = s.replace('{0}', a);
    }
    return b !== undefined ? s.replace('{1}', b) : s.replace('{1}', '');
  }

  const uuid = () => (window.crypto && crypto.randomUUID ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (x) => (x + 256).toString(16).substring(1)).join(''));

  // Times as people at the door read them: Swedish local time, whatever the device's own zone.
  const LOCALE = lang === 'en' ? 'en-GB' : 'sv-SE';
  function clock(iso) {
    return iso ? new Date(iso).toLocaleTimeString(LOCALE, { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Stockholm' }) : '';
  }
  function dateTime(iso) {
    return iso ? new Date(iso).toLocaleString(LOCALE, {
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Stockholm'
    }) : '';
  }

  // -------------------------------------------------------------------------------------------- the device's name
  const deviceInput = el('device-name');
  let device = localStorage.getItem('samla.device');
  if (!device) {
    device = text('deviceDefault') + ' ' + uuid().substring(0, 4).toUpperCase();
    localStorage.setItem('samla.device', device);
  }
  deviceInput.value = device;
  deviceInput.addEventListener('change', () => {
    const v = deviceInput.value.trim().substring(0, 60);
    if (v) {
      device = v;
      localStorage.setItem('samla.device', v);
    } else {
      deviceInput.value = device;
    }
  });

  // -------------------------------------------------------------------------------------------- sound
  // One high tone for OK, two for a warning, one low for a refusal (WebAudio, no files).
  let audio = null;
  const unlockAudio = () => {
    if (!audio && (window.AudioContext || window.webkitAudioContext)) {
      try {
        audio = new (window.AudioContext || window.webkitAudioContext)();
      } catch (e) {
        audio = null;
      }
    }
  };
  document.addEventListener('keydown', unlockAudio, { once: true });
  document.addEventListener('pointerdown', unlockAudio, { once: true });
  function beep(kind) {
    if (!audio) {
      return;
    }
    const tones = kind === 'ok' ? [[880, 0, 0.15]] : kind === 'warn' ? [[660, 0, 0.12], [660, 0.2, 0.12]] : [[220, 0, 0.45]];
    tones.forEach(([freq, at, length]) => {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.value = 0.2;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(audio.currentTime + at);
      osc.stop(audio.currentTime + at + length);
    });
  }

  // -------------------------------------------------------------------------------------------- showing a result
  // Large, in words and an icon as well as colour, announced by the live region.
  const KIND = {
    ok: 'ok', already_checked_in: 'warn', not_in_session: 'warn', waitlisted: 'warn', test: 'warn',
    cancelled: 'error', wrong_event: 'error', invalid: 'error', revoked: 'error', too_early: 'error', too_late: 'error'
  };
  const ICON = { ok: '✓', warn: '!', error: '✕' };
  let last = null;

  function node(tag, cls, content) {
    const n = document.createElement(tag);
    if (cls) {
      n.className = cls;
    }
    if (content !== undefined && content !== null) {
      n.textContent = content;
    }
    return n;
  }

  // An organisation's name is Swedish: on the English page it is marked so, for screen readers.
  function swedish(words) {
    const span = node('span', null, words);
    if (lang !== 'sv') {
      span.lang = 'sv';
    }
    return span;
  }

  function show(r, note) {
    const kind = KIND[r.result] || 'error';
    resultBox.className = 'checkin-result result-' + kind;
    resultBox.setAttribute('data-result', r.result);
    resultBox.textContent = '';
    const title = node('p', 'result-title');
    const icon = node('span', 'result-icon', ICON[kind]);
    icon.setAttribute('aria-hidden', 'true');
    title.appendChild(icon);
    title.appendChild(document.createTextNode(' ' + text('result.' + r.result) + (note ? ' ' + note : '')));
    resultBox.appendChild(title);
    const reg = r.registration;
    if (reg) {
      resultBox.appendChild(node('p', 'result-name', reg.name));
      if (reg.organisation || reg.reference) {
        const details = node('p', 'result-details');
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
        const list = node('ul', 'result-needs');
        reg.needs.forEach((n) => list.appendChild(node('li', null, lang === 'en' ? n.en : n.sv)));
        resultBox.appendChild(list);
      }
    }
    if (r.result === 'already_checked_in' && r.firstCheckinAt) {
      resultBox.appendChild(node('p', 'result-first', text('already', clock(r.firstCheckinAt), r.firstDeviceId || '')));
    }
    if (r.result === 'wrong_event' && r.event) {
      resultBox.appendChild(node('p', null, text('hint.wrong_event', lang === 'en' && r.event.titleEn ? r.event.titleEn : r.event.title)));
    }
    if (r.result === 'too_early' || r.result === 'too_late') {
      const at = r.result === 'too_early' ? (r.doorOpens || hours.opens) : (r.doorCloses || hours.closes);
      resultBox.appendChild(node('p', null, text('hint.' + r.result, dateTime(at))));
    }
    if (r.result === 'test' && r.wouldBe) {
      resultBox.appendChild(node('p', null, text('hint.test', text('result.' + r.wouldBe))));
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

  function showMessage(message, kind) {
    resultBox.className = 'checkin-result result-' + (kind || 'error');
    resultBox.removeAttribute('data-result');
    resultBox.textContent = '';
    resultBox.appendChild(node('p', 'result-message', message));
    if (kind !== 'info') {
      beep(kind || 'error');
    }
  }

  // -------------------------------------------------------------------------------------------- online or not
  // A scan that has no answer by then is decided on the device and queued, as when offline: someone waiting at the
  // door should not wait on a server that hangs (its replay, with the same idempotency key, cannot count twice).
  const SCAN_WAIT_MS = 5000;
  let online = true;
  let list = null; // the device's list (verdict.deviceList), from the last sync
  let key = null; // the event's public key (WebCrypto), from the last sync
  const hours = { opens: null, closes: null };

  // The connection line is a live region: it speaks only when the connection changes, never after every scan.
  function setOnline(value) {
    online = value;
    const words = value ? text('online') : text('offline');
    if (connection.textContent !== words) {
      connection.textContent = words;
    }
    desk.classList.toggle('is-offline', !value);
  }

  function importKey(base64) {
    if (!window.crypto || !crypto.subtle) {
      return Promise.resolve(null);
    }
    const der = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return crypto.subtle.importKey('spki', der, { name: 'Ed25519' }, false, ['verify']).catch(() => null);
  }

  function sync() {
    return api('GET', '/events/' + eventId + '/checkin-sync').then((res) => {
      if (!res.ok) {
        return null;
      }
      return res.json().then((data) => importKey(data.publicKey).then((k) => {
        key = k;
        list = deviceList(data);
        hours.opens = data.doorOpens;
        hours.closes = data.doorCloses;
        showConflicts(data.conflicts || []);
        desk.setAttribute('data-synced', data.syncedAt);
      }));
    }).catch(() => { /* offline: keep what we have */ });
  }

  function decideHere(scan) {
    return decide(scan, {
      eventId, sessionId, list, now: Date.now(),
      verify: key ? (signature, signed) => crypto.subtle.verify({ name: 'Ed25519' }, key, signature, signed) : null
    });
  }

  // -------------------------------------------------------------------------------------------- conflicts, live
  const conflictSection = el('conflicts');
  const conflictRows = el('conflict-rows');
  let conflictsShown = conflictRows ? conflictRows.children.length : 0;
  function showConflicts(conflicts) {
    if (!conflictSection || !conflictRows) {
      return;
    }
    conflictRows.textContent = '';
    conflicts.forEach((c) => {
      const tr = node('tr');
      tr.appendChild(node('th', null, c.name)).setAttribute('scope', 'row');
      tr.appendChild(node('td', null, [c.deviceId, dateTime(c.scannedAt)].filter(Boolean).join(', ')));
      tr.appendChild(node('td', null, [c.firstDevice, dateTime(c.firstAt)].filter(Boolean).join(', ')));
      tr.appendChild(node('td', null, c.claimedAt ? text('conflictTime', dateTime(c.claimedAt)) : text('conflictElsewhere')));
      conflictRows.appendChild(tr);
    });
    conflictsShown = conflicts.length;
    conflictSection.hidden = conflicts.length === 0;
  }
  // The live counts (live.js) say how many conflicts there are: when that changes, the list is fetched again.
  let resyncing = null;
  document.addEventListener('samla:counts', (e) => {
    if (e.detail && typeof e.detail.conflicts === 'number' && e.detail.conflicts !== conflictsShown && !resyncing) {
      resyncing = sync().finally(() => { resyncing = null; });
    }
  });

  // -------------------------------------------------------------------------------------------- the queue
  let queue = null;
  function showQueue() {
    return queue.all().then((all) => {
      queueLabel.textContent = all.length ? text('queued', all.length) : '';
      desk.setAttribute('data-queued', String(all.length));
      return all;
    });
  }

  let flushing = false;
  async function flush() {
    if (flushing || !queue) {
      return;
    }
    flushing = true;
    try {
      const all = await queue.all();
      let sent = 0;
      let allSent = true;
      for (const scan of all.filter((s) => s.eventId === eventId)) {
        let res;
        try {
          res = await api('POST', '/checkins', scan, SCAN_WAIT_MS);
        } catch (e) {
          allSent = false;
          break;
        }
        if (res.status >= 500) {
          allSent = false;
          break;
        }
        // Answered (or refused for good: a 4xx will not change on a retry): no longer queued.
        sent++;
        await queue.remove(scan.idempotencyKey);
      }
      if (sent > 0) {
        setOnline(true);
        queueLabel.textContent = text('sent', sent);
        await sync();
      } else if (all.length && !allSent) {
        setOnline(false);
      }
      await showQueue();
    } finally {
      flushing = false;
    }
  }

  // -------------------------------------------------------------------------------------------- checking in
  function send(scan) {
    return api('POST', '/checkins', scan, SCAN_WAIT_MS).then((res) => {
      setOnline(true);
      if (res.status === 200) {
        return res.json().then((r) => {
          if ((r.result === 'ok' || r.result === 'already_checked_in') && r.registration && list) {
            list.inside.set(place(r.registration.id, sessionId), { at: r.firstCheckinAt, deviceId: r.firstDeviceId });
          }
          r.typed = scan.code;
          show(r);
        });
      }
      if (res.status >= 500) {
        throw new Error('HTTP ' + res.status);
      }
      return errorMessage(res, text('expired')).then((m) => showMessage(m));
    }).catch(() => {
      // No answer: decide on the device and keep the scan for later, with its original time.
      setOnline(false);
      return decideHere(scan).then((local) => {
        if (local.result === 'unverified') {
          showMessage(text('unverified'), 'warn');
        } else {
          if (local.admit) {
            scan.admittedOffline = true;
            local.queuedKey = scan.idempotencyKey;
            if (local.registration) {
              list.inside.set(place(local.registration.id, sessionId), { at: scan.scannedAt, deviceId: device });
            }
          }
          local.typed = scan.code;
          show(local, text('offlineNote') + (local.note ? ' – ' + text(local.note) : ''));
        }
        // Every scan is recorded, rejected ones too: the server replays them into its scan log.
        return queue.add(scan).then(showQueue);
      });
    });
  }

  const recent = new Map();
  function submitCode(raw, fromCamera) {
    const code = typedCode(raw);
    if (!code) {
      return Promise.resolve();
    }
    const now = Date.now();
    // The camera sees the same code many times a second: one scan per code every 4 seconds.
    if (fromCamera && recent.has(code) && now - recent.get(code) < 4000) {
      return Promise.resolve();
    }
    recent.set(code, now);
    return send(scanOf({ code }));
  }

  function scanOf(what) {
    const scan = {
      ...what, eventId, sessionId, deviceId: device, scannedAt: new Date().toISOString(), idempotencyKey: uuid()
    };
    if (testScan && testScan.checked) {
      scan.test = true;
    }
    return scan;
  }

  el('scan-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = codeInput.value;
    codeInput.value = '';
    submitCode(value, false).then(() => codeInput.focus());
  });

  undoButton.addEventListener('click', () => {
    if (!last) {
      return;
    }
    const undone = last;
    const forget = () => {
      if (list && undone.registration) {
        list.inside.delete(place(undone.registration.id, sessionId));
      }
      finishUndo(undone);
    };
    if (undone.queuedKey) {
      queue.remove(undone.queuedKey).then(showQueue);
      forget();
      return;
    }
    api('DELETE', '/checkins/' + undone.checkinId).then((res) => {
      if (res.status === 204) {
        forget();
      } else {
        showMessage(text('undoFailed'));
      }
    }, () => showMessage(text('undoFailed')));
  });

  function finishUndo(undone) {
    last = null;
    undoButton.hidden = true;
    showMessage(text('undone', undone.registration ? undone.registration.name : ''), 'info');
    codeInput.focus();
  }

  // -------------------------------------------------------------------------------------------- search
  // By name, organisation or reference: on the server, or (offline) in the list the device holds.
  const searchStatus = el('search-status');
  const searchResults = el('search-results');

  function offlineMatches(q) {
    if (!list) {
      return [];
    }
    const needle = q.toLocaleLowerCase('sv');
    const reference = referenceOf(q);
    const found = [];
    list.tickets.forEach((t) => {
      const hit = (t.name || '').toLocaleLowerCase('sv').includes(needle)
        || (t.organisation || '').toLocaleLowerCase('sv').includes(needle) || (reference && t.reference === reference);
      if (hit) {
        const inside = list.inside.get(place(t.registrationId, sessionId));
        found.push({
          registrationId: t.registrationId, name: t.name, organisation: t.organisation, reference: t.reference,
          status: t.status, checkedInAt: inside ? inside.at : null
        });
      }
    });
    found.sort((a, b) => (b.status === 'confirmed') - (a.status === 'confirmed') || a.name.localeCompare(b.name, 'sv'));
    return found.slice(0, 25);
  }

  function showMatches(q, matches) {
    searchStatus.textContent = (matches.length === 1 ? text('match') : matches.length ? text('matches', matches.length)
      : text('noMatches', q)) + (online ? '' : ' ' + text('searchOffline'));
    matches.forEach((a) => {
      const li = node('li', 'search-result');
      li.appendChild(node('p', 'search-name', a.name));
      const info = node('p', 'hint');
      if (a.organisation) {
        info.appendChild(swedish(a.organisation));
        info.appendChild(document.createTextNode(' · '));
      }
      info.appendChild(document.createTextNode([a.reference, text('status.' + a.status)].filter(Boolean).join(' · ')));
      li.appendChild(info);
      if (a.checkedInAt) {
        li.appendChild(node('p', 'hint', text('checkedInAt', clock(a.checkedInAt))));
      }
      const button = node('button', 'button small', text('checkInPerson'));
      button.type = 'button';
      button.appendChild(node('span', 'visually-hidden', ' ' + a.name));
      button.addEventListener('click', () => {
        send(scanOf({ registrationId: a.registrationId })).then(() => {
          // The result is announced by its live region; the focus goes back to the search, ready for the next name.
          resultBox.scrollIntoView({ block: 'nearest' });
          const field = el('q');
          field.focus();
          field.select();
        });
      });
      li.appendChild(button);
      searchResults.appendChild(li);
    });
  }

  el('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = el('q').value.trim();
    searchResults.textContent = '';
    if (!q) {
      searchStatus.textContent = '';
      return;
    }
    searchStatus.textContent = text('searching');
    const path = '/events/' + eventId + '/attendees?q=' + encodeURIComponent(q) + (sessionId ? '&sessionId=' + sessionId : '');
    api('GET', path, null, SCAN_WAIT_MS).then((res) => {
      setOnline(true);
      if (!res.ok) {
        return errorMessage(res, text('expired')).then((m) => { searchStatus.textContent = m; });
      }
      return res.json().then((body) => showMatches(q, body.attendees));
    }, () => {
      setOnline(false);
      showMatches(q, offlineMatches(q));
    });
  });

  // -------------------------------------------------------------------------------------------- walk-in
  const walkIn = el('walkin-form');
  const over = el('walkin-over');
  const FIELDS = ['name', 'email', 'organisationId', 'needs', 'consent'];

  function clearFieldErrors() {
    FIELDS.forEach((f) => {
      const err = el('walkin-' + f + '-error');
      const wrap = walkIn.querySelector('[data-field="' + f + '"]');
      if (err) {
        err.hidden = true;
        err.textContent = '';
      }
      if (wrap) {
        wrap.classList.remove('has-error');
      }
      const input = el('walkin-' + f);
      if (input) {
        input.removeAttribute('aria-invalid');
      }
    });
  }

  function walkInBody(overCapacity) {
    const organisation = el('walkin-organisationId');
    const consent = el('walkin-consent');
    return {
      name: el('walkin-name').value, email: el('walkin-email').value, companion: el('walkin-companion').checked,
      organisationId: organisation && organisation.value ? Number(organisation.value) : null,
      needs: Array.from(walkIn.querySelectorAll('input[name="needs"]:checked'), (c) => c.value),
      consent: consent ? consent.checked : false,
      overCapacity, sessionId, language: lang, deviceId: device, idempotencyKey: uuid()
    };
  }

  function registerWalkIn(overCapacity) {
    clearFieldErrors();
    over.hidden = true;
    api('POST', '/events/' + eventId + '/walk-ins', walkInBody(overCapacity)).then((res) => {
      setOnline(true);
      if (res.status === 201) {
        return res.json().then((r) => {
          walkIn.reset();
          show(r);
        });
      }
      return res.json().then((b) => {
        if (res.status === 409 && b.error === 'event_full_no_shows') {
          // Full on paper, with seats held by people who have not come: door staff decide.
          el('walkin-over-text').textContent = b.message;
          over.hidden = false;
          showMessage(b.message, 'warn');
          el('walkin-over-capacity').focus();
          return;
        }
        const fields = b.fields || {};
        let first = null;
        Object.keys(fields).forEach((f) => {
          const name = f.indexOf('needs') === 0 ? 'needs' : f;
          const err = el('walkin-' + name + '-error');
          if (err) {
            err.textContent = fields[f];
            err.hidden = false;
            walkIn.querySelector('[data-field="' + name + '"]').classList.add('has-error');
            const input = el('walkin-' + name) || walkIn.querySelector('input[name="needs"]');
            input.setAttribute('aria-invalid', 'true');
            input.setAttribute('aria-describedby', 'walkin-' + name + '-error');
            first = first || input;
          }
        });
        showMessage(first ? text('fixFields') : (b.message || String(res.status)), 'warn');
        if (first) {
          first.focus();
        }
      }, () => showMessage(String(res.status)));
    }, () => {
      setOnline(false);
      showMessage(text('walkInOffline'), 'warn');
    });
  }

  walkIn.addEventListener('submit', (e) => {
    e.preventDefault();
    registerWalkIn(false);
  });
  el('walkin-over-capacity').addEventListener('click', () => registerWalkIn(true));

  // -------------------------------------------------------------------------------------------- camera
  const cameraStatus = el('camera-status');
  wireCamera({
    video: el('camera'), startButton: el('camera-start'), stopButton: el('camera-stop'), desk,
    onCode: (value) => submitCode(value, true), status: (k) => { cameraStatus.textContent = text(k); }
  });

  // -------------------------------------------------------------------------------------------- start
  // Sync for offline use, send what an earlier visit left queued, keep trying while offline.
  window.addEventListener('online', flush);
  window.addEventListener('offline', () => setOnline(false));
  openQueue().then((q) => {
    queue = q;
    return showQueue();
  }).then(sync).then(flush).then(() => {
    desk.setAttribute('data-ready', 'true');
  });
  setInterval(flush, 10000);
  setInterval(() => {
    if (online) {
      sync();
    }
  }, 60000);
}
