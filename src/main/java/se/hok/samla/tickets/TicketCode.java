package se.hok.samla.tickets;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.commons.codec.CodecPolicy;
import org.apache.commons.codec.binary.Base32;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The text in a ticket's QR code: a payload signed with the event's Ed25519 key, so anyone holding the event's
 * public key (a check-in device, offline too) can tell a genuine code from a forged or altered one.
 *
 * <p>Bytes: {@code version (1) | ticket id (unsigned LEB128 varint) | event id (varint) | Ed25519 signature (64)},
 * where the signature covers exactly the bytes before it. The bytes are written as RFC 4648 base32 without padding
 * ({@code A–Z 2–7}): QR alphanumeric mode, and nothing a keyboard-emulating scanner can garble (no case, no
 * punctuation, no keyboard-layout dependent characters). Version 1 with ids below 16384 is 111 characters.
 *
 * <p>Only the canonical spelling of a code is accepted: the text must be exactly what {@link #encode} writes for
 * its bytes, so unused trailing bits, lowercase or overlong varints cannot make a second valid spelling.
 */
public final class TicketCode {
  /** The current (and only) payload format. */
  public static final int VERSION = 1;
  static final int SIGNATURE_BYTES = 64;
  /** The longest a version-1 code can be (both ids at Long.MAX_VALUE: 83 bytes); longer input is refused unread. */
  static final int MAX_LENGTH = ((1 + 9 + 9 + SIGNATURE_BYTES) * 8 + 4) / 5;

  private static final Pattern ALPHABET = Pattern.compile("[A-Z2-7]+");
  // Thread-safe; strict: trailing bits that are not zero are an error, not silently dropped.
  private static final Base32 BASE32 = Base32.builder().setDecodingPolicy(CodecPolicy.STRICT).get();

  private TicketCode() {}

  /** What a code says, before anyone has checked that it is true. */
  public record Payload(int version, long ticketId, long eventId) {}

  public static String encode(int version, long ticketId, long eventId, PrivateKey key) {
    if (version != VERSION) {
      throw new IllegalArgumentException("unknown ticket code version " + version);
    }
    if (ticketId < 0 || eventId < 0) {
      throw new IllegalArgumentException("ids are non-negative");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(80);
    out.write(version);
    writeVarint(out, ticketId);
    writeVarint(out, eventId);
    byte[] signed = out.toByteArray();
    byte[] signature = sign(signed, key);
    out.writeBytes(signature);
    return base32(out.toByteArray());
  }

  /**
   * Reads a code without checking its signature: the event id says whose key to check it with. Never throws:
   * anything that is not a well-formed code (null, wrong letters, wrong length, not canonical) is empty.
   */
  public static Optional<Payload> decode(String code) {
    return parse(code).map(Parsed::payload);
  }

  /** Whether the code is well-formed and signed with the private key belonging to {@code key}. Never throws. */
  public static boolean verify(String code, PublicKey key) {
    byte[] raw = rawKey(key);
    if (raw == null) {
      return false;
    }
    return parse(code).map(p -> {
      try {
        // Bouncy Castle's RFC 8032 verification: the same answer as the JDK's, at a fraction of the cost.
        return Ed25519.verify(p.signature(), 0, raw, 0, p.signed(), 0, p.signed().length);
      } catch (RuntimeException e) {
        return false;
      }
    }).orElse(false);
  }

  /** The 32 bytes of an Ed25519 public key: the end of its X.509 SubjectPublicKeyInfo (a fixed 12-byte prefix). */
  private static byte[] rawKey(PublicKey key) {
    if (key == null || !"Ed25519".equalsIgnoreCase(key.getAlgorithm()) && !"EdDSA".equalsIgnoreCase(key.getAlgorithm())) {
      return null;
    }
    byte[] spki = key.getEncoded();
    if (spki == null || spki.length != 12 + Ed25519.PUBLIC_KEY_SIZE) {
      return null;
    }
    return Arrays.copyOfRange(spki, 12, spki.length);
  }

  private record Parsed(Payload payload, byte[] signed, byte[] signature) {}

  private static Optional<Parsed> parse(String code) {
    if (code == null || code.isEmpty() || code.length() > MAX_LENGTH || !ALPHABET.matcher(code).matches()) {
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = BASE32.decode(code);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    // Canonical spelling only: otherwise two texts (differing in unused trailing bits) would carry one signature.
    if (!base32(bytes).equals(code)) {
      return Optional.empty();
    }
    if (bytes.length < 1 + 1 + 1 + SIGNATURE_BYTES || (bytes[0] & 0xff) != VERSION) {
      return Optional.empty();
    }
    int[] pos = {1};
    long ticketId = readVarint(bytes, pos);
    long eventId = ticketId < 0 ? -1 : readVarint(bytes, pos);
    if (ticketId < 0 || eventId < 0 || bytes.length - pos[0] != SIGNATURE_BYTES) {
      return Optional.empty();
    }
    return Optional.of(new Parsed(new Payload(VERSION, ticketId, eventId),
        Arrays.copyOfRange(bytes, 0, pos[0]), Arrays.copyOfRange(bytes, pos[0], bytes.length)));
  }

  private static byte[] sign(byte[] data, PrivateKey key) {
    byte[] pkcs8 = key.getEncoded();
    if (pkcs8 != null && pkcs8.length == 16 + Ed25519.SECRET_KEY_SIZE) {
      // PKCS#8 of an Ed25519 key (RFC 8410): a fixed 16-byte prefix, then the 32-byte seed. Bouncy Castle signs
      // in a fraction of the JDK's time, and Ed25519 signatures are deterministic: the same bytes either way.
      byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
      Ed25519.sign(pkcs8, 16, data, 0, data.length, signature, 0);
      return signature;
    }
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a ticket code", e);
    }
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** The varint at pos[0] (advancing it), or -1 if it is cut off, overlong, or does not fit a non-negative long. */
  private static long readVarint(byte[] bytes, int[] pos) {
    long value = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      if (pos[0] >= bytes.length) {
        return -1;
      }
      int b = bytes[pos[0]++] & 0xff;
      if (shift > 0 && b == 0) {
        return -1;  // a trailing zero group: an overlong spelling of a shorter number
      }
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    return -1;
  }

  /** RFC 4648 base32 without the padding, which would only add characters outside A–Z 2–7. */
  private static String base32(byte[] bytes) {
    String padded = BASE32.encodeToString(bytes);
    int end = padded.length();
    while (end > 0 && padded.charAt(end - 1) == '=') {
      end--;
    }
    return padded.substring(0, end);
  }
}
