// The door's verdict offline, the same rules in the same order as the server's scan (checkin/CheckinService
// SCAN_SQL): a code that is not well-formed or not genuine is invalid, another event's is wrong_event, outside the
// door's hours it is too_early / too_late, then cancelled, waitlisted, revoked, not_in_session, already_checked_in,
// ok; a test scan never admits. Pure: the list on the device, the time and the signature check are passed in.

import { parseCode, referenceOf } from './code.js';

/**
 * The list as synced (GET /events/{id}/checkin-sync) in the shape the verdict reads: tickets by id and by
 * registration, who is inside by place (registration | session), the door's hours.
 */
export function deviceList(data) {
  const tickets = new Map();
  const byRegistration = new Map();
  for (const t of data.tickets || []) {
    tickets.set(String(t.ticketId), t);
    byRegistration.set(t.registrationId, t);
  }
  const inside = new Map();
  for (const c of data.checkedIn || []) {
    inside.set(place(c.registrationId, c.sessionId), { at: c.at, deviceId: c.deviceId });
  }
  return {
    tickets, byRegistration, inside,
    doorOpens: data.doorOpens ? Date.parse(data.doorOpens) : null,
    doorCloses: data.doorCloses ? Date.parse(data.doorCloses) : null
  };
}

export function place(registrationId, sessionId) {
  return registrationId + '|' + (sessionId || 0);
}

/** The person as a result shows them; needs only where they are let in (or already in), as the server answers. */
function person(t, withNeeds) {
  return {
    id: t.registrationId, name: t.name, organisation: t.organisation, companion: t.companion,
    reference: t.reference, needs: withNeeds ? (t.needs || []) : []
  };
}

/** Outside the door's hours: too_early or too_late; null within them (or when the list does not say). */
export function outsideHours(list, now) {
  if (list.doorOpens !== null && now < list.doorOpens) {
    return 'too_early';
  }
  if (list.doorCloses !== null && now > list.doorCloses) {
    return 'too_late';
  }
  return null;
}

/** A ticket of this event from the list, at the time {@code now} (ms), for {@code sessionId} (null: the event). */
export function decideTicket(t, list, sessionId, now) {
  const window = outsideHours(list, now);
  if (window) {
    return { result: window, registration: person(t, false) };
  }
  if (!t.valid) {
    const why = t.status === 'cancelled' ? 'cancelled' : t.status === 'waitlisted' ? 'waitlisted' : 'revoked';
    return { result: why, registration: person(t, false) };
  }
  if (sessionId && (t.sessions || []).indexOf(sessionId) < 0) {
    return { result: 'not_in_session', registration: person(t, false) };
  }
  const first = list.inside.get(place(t.registrationId, sessionId));
  if (first) {
    return {
      result: 'already_checked_in', registration: person(t, true),
      firstCheckinAt: first.at, firstDeviceId: first.deviceId
    };
  }
  return { result: 'ok', registration: person(t, true), admit: true };
}

/**
 * The verdict for a scan offline. scan: { code } or { registrationId }, and { test }. ctx: { eventId, sessionId,
 * list (deviceList), now (ms), verify(signature, signed) → Promise<boolean> (null: cannot check signatures here) }.
 * Resolves to { result, registration?, admit?, note? }; { result: 'unverified' } when a code cannot be checked on
 * this device. Whoever admits records the admission in list.inside; this function changes nothing.
 */
export async function decide(scan, ctx) {
  // A test scan says what a real one would, the door's hours aside (as the server's wouldBe).
  const list = ctx.list && scan.test ? { ...ctx.list, doorOpens: null, doorCloses: null } : ctx.list;
  if (scan.registrationId) {
    const t = list && list.byRegistration.get(scan.registrationId);
    if (!t) {
      return { result: 'invalid' };
    }
    return testOr(scan, decideTicket(t, list, ctx.sessionId, ctx.now));
  }
  const reference = referenceOf(scan.code);
  if (reference && list) {
    // A typed reference: the list says whose ticket it is (its signature was checked when it was issued).
    let found = null;
    list.tickets.forEach((t) => { if (t.reference === reference) { found = t; } });
    return testOr(scan, found ? decideTicket(found, list, ctx.sessionId, ctx.now) : { result: 'invalid' });
  }
  const p = parseCode(scan.code);
  if (!p) {
    return testOr(scan, { result: 'invalid' });
  }
  if (p.eventId !== String(ctx.eventId)) {
    // Refused whether or not it is genuine: it is not for this door.
    return testOr(scan, { result: 'wrong_event' });
  }
  if (!list || !ctx.verify) {
    return { result: 'unverified' };
  }
  let genuine;
  try {
    genuine = await ctx.verify(p.signature, p.signed);
  } catch (e) {
    return { result: 'unverified' };
  }
  if (!genuine) {
    return testOr(scan, { result: 'invalid' });
  }
  const t = list.tickets.get(p.ticketId);
  if (!t) {
    // Genuine and for this event, but issued after the last sync: let in within the door's hours.
    const window = outsideHours(list, ctx.now);
    return testOr(scan, window ? { result: window } : { result: 'ok', admit: true, note: 'notSynced' });
  }
  return testOr(scan, decideTicket(t, list, ctx.sessionId, ctx.now));
}

/** A test scan: what a real one would have said, and nobody let in. */
function testOr(scan, verdict) {
  if (!scan.test) {
    return verdict;
  }
  return { result: 'test', wouldBe: verdict.result, registration: verdict.registration ? { ...verdict.registration, needs: [] } : undefined };
}
