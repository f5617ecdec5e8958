// Ticket codes as the server writes them (tickets/TicketCode): exactly as strict as TicketCode.decode, so a device
// offline never admits a spelling the server would refuse. Pure: no page, no network (tested in Chromium against
// src/test/resources/ticket-code-vectors.json, which TicketCodeTest checks on the server too).
//
// Bytes: version (1) | ticket id (unsigned LEB128 varint) | event id (varint) | Ed25519 signature (64), written as
// RFC 4648 base32 without padding. Only the canonical spelling counts: upper case, no padding, no unused bits set,
// no overlong varint.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const VERSION = 1;
const SIGNATURE_BYTES = 64;
/** The longest a version-1 code can be (both ids at 2^63 - 1); longer input is refused unread. */
export const MAX_LENGTH = Math.floor(((1 + 9 + 9 + SIGNATURE_BYTES) * 8 + 4) / 5);

/** RFC 4648 base32 without padding. */
export function base32Encode(bytes) {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) {
    out += ALPHABET[(value << (5 - bits)) & 31];
  }
  return out;
}

/** The bytes of a canonical unpadded base32 text, or null (other letters, an impossible length, unused bits set). */
export function base32Decode(text) {
  if (typeof text !== 'string' || !/^[A-Z2-7]*$/.test(text)) {
    return null;
  }
  const out = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    value = ((value << 5) | ALPHABET.indexOf(ch)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  const bytes = new Uint8Array(out);
  // Canonical only: the text must be exactly what encoding its bytes gives (this refuses lengths that cannot
  // occur and trailing bits that are not zero), or two texts would carry one signature.
  return base32Encode(bytes) === text ? bytes : null;
}

/** The varint at pos.at (advancing it) as a BigInt, or null when cut off or overlong (as TicketCode.readVarint). */
function varint(bytes, pos) {
  let value = 0n;
  for (let shift = 0n; shift < 63n; shift += 7n) {
    if (pos.at >= bytes.length) {
      return null;
    }
    const b = bytes[pos.at++];
    if (shift > 0n && b === 0) {
      return null; // a trailing zero group: an overlong spelling of a shorter number
    }
    value |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) {
      return value;
    }
  }
  return null;
}

/**
 * What a code says, before anyone has checked that it is true: { ticketId, eventId } (decimal strings: ids may pass
 * JavaScript's safe integers), with the signed bytes and the signature; null for anything that is not a well-formed,
 * canonical version-1 code. Never throws.
 */
export function parseCode(code) {
  if (typeof code !== 'string' || code.length === 0 || code.length > MAX_LENGTH) {
    return null;
  }
  const bytes = base32Decode(code);
  if (!bytes || bytes.length < 1 + 1 + 1 + SIGNATURE_BYTES || bytes[0] !== VERSION) {
    return null;
  }
  const pos = { at: 1 };
  const ticketId = varint(bytes, pos);
  const eventId = ticketId === null ? null : varint(bytes, pos);
  if (ticketId === null || eventId === null || bytes.length - pos.at !== SIGNATURE_BYTES) {
    return null;
  }
  return {
    ticketId: ticketId.toString(),
    eventId: eventId.toString(),
    signed: bytes.slice(0, pos.at),
    signature: bytes.slice(pos.at)
  };
}

/** A scanned or typed code as the server reads it: a handheld scanner may add spaces, a person may type lower case. */
export function typedCode(raw) {
  return String(raw || '').replace(/\s+/g, '').toUpperCase();
}

/**
 * A ticket reference as people type it ("HÖK-V8MT-3UZR", "hok v8mt 3uzr", "V8MT3UZR"), as it is stored; null when
 * the text is not one. The same rule as the server's (tickets/TicketService.reference).
 */
export function referenceOf(typed) {
  let s = String(typed || '').replace(/[\s\-–]/g, '').toUpperCase();
  if (s.indexOf('HÖK') === 0 || s.indexOf('HOK') === 0) {
    s = s.substring(3);
  }
  return /^[A-HJ-NP-Z2-9]{8}$/.test(s) ? 'HÖK-' + s.substring(0, 4) + '-' + s.substring(4) : null;
}
