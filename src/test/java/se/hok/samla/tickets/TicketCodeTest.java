package se.hok.samla.tickets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

/** Signed ticket codes: genuine ones check out, anything else is turned away without an exception. */
class TicketCodeTest {
  static final KeyPair EVENT = keyPair();
  static final KeyPair OTHER = keyPair();

  static KeyPair keyPair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void codesAreStandardEd25519ThatTheJdkItselfAccepts() throws Exception {
    // Signing and checking go through Bouncy Castle for speed; the JDK's own implementation must agree.
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String code = TicketCode.encode(TicketCode.VERSION, 4711, 42, keys.getPrivate());
    byte[] bytes = new Base32().decode(code);
    byte[] signed = java.util.Arrays.copyOfRange(bytes, 0, bytes.length - 64);
    java.security.Signature jdk = java.security.Signature.getInstance("Ed25519");
    jdk.initVerify(keys.getPublic());
    jdk.update(signed);
    assertTrue(jdk.verify(java.util.Arrays.copyOfRange(bytes, bytes.length - 64, bytes.length)));
    jdk.initSign(keys.getPrivate());
    jdk.update(signed);
    byte[] jdkSignature = jdk.sign();
    assertTrue(java.util.Arrays.equals(jdkSignature, java.util.Arrays.copyOfRange(bytes, bytes.length - 64, bytes.length)),
        "Ed25519 is deterministic: the same signature from either implementation");
    assertTrue(TicketCode.verify(code, keys.getPublic()));
  }

  @Test
  void aCodeRoundTrips() {
    String code = TicketCode.encode(TicketCode.VERSION, 4711, 42, EVENT.getPrivate());
    assertTrue(code.matches("^[A-Z2-7]+$"), code);
    assertTrue(TicketCode.verify(code, EVENT.getPublic()));
    assertEquals(Optional.of(new TicketCode.Payload(1, 4711, 42)), TicketCode.decode(code));
    // 1 + 2 + 1 + 64 bytes = 68 bytes = 109 characters; the same code every time (Ed25519 is deterministic).
    assertEquals(109, code.length());
    assertEquals(code, TicketCode.encode(TicketCode.VERSION, 4711, 42, EVENT.getPrivate()));
  }

  @Test
  void lengthGrowsSlowlyWithTheIds() {
    assertEquals(108, TicketCode.encode(1, 1, 1, EVENT.getPrivate()).length());
    assertEquals(111, TicketCode.encode(1, 16_383, 16_383, EVENT.getPrivate()).length());
    assertEquals(114, TicketCode.encode(1, 2_097_151, 2_097_151, EVENT.getPrivate()).length());
    assertEquals(TicketCode.MAX_LENGTH, TicketCode.encode(1, Long.MAX_VALUE, Long.MAX_VALUE, EVENT.getPrivate()).length());
    for (long id : new long[] {0, 127, 128, 16_384, Integer.MAX_VALUE, Long.MAX_VALUE / 2, Long.MAX_VALUE}) {
      String code = TicketCode.encode(1, id, Long.MAX_VALUE - id, EVENT.getPrivate());
      assertTrue(code.length() <= TicketCode.MAX_LENGTH, code.length() + " chars");
      assertEquals(Optional.of(new TicketCode.Payload(1, id, Long.MAX_VALUE - id)), TicketCode.decode(code), "id " + id);
      assertTrue(TicketCode.verify(code, EVENT.getPublic()));
    }
  }

  @Test
  void encodingRefusesWhatItCannotWrite() {
    assertThrows(IllegalArgumentException.class, () -> TicketCode.encode(2, 1, 1, EVENT.getPrivate()));
    assertThrows(IllegalArgumentException.class, () -> TicketCode.encode(1, -1, 1, EVENT.getPrivate()));
  }

  @Test
  void everythingButTheGenuineCodeFails() {
    String code = TicketCode.encode(1, 4711, 42, EVENT.getPrivate());
    List<String> bad = new ArrayList<>();
    bad.add(TicketCode.encode(1, 4711, 42, OTHER.getPrivate()));  // forged: signed with another key
    bad.add(code.substring(0, code.length() - 1));                   // truncated
    bad.add(code.substring(0, 20));
    bad.add(code + "A");                                               // lengthened
    bad.add(code.toLowerCase());
    bad.add("");
    bad.add("HÖK-7Q4M-9XK2");
    bad.add("not a ticket at all \u0000 ☃ 😀");
    bad.add("A".repeat(5000));
    bad.add("01890189");                                               // digits outside base32
    bad.add(" " + code);
    bad.add(code + "\n");
    bad.add(code + "====");
    for (int i = 0; i < code.length(); i++) {                          // each character altered
      char c = code.charAt(i);
      bad.add(code.substring(0, i) + (c == 'A' ? 'B' : 'A') + code.substring(i + 1));
      bad.add(code.substring(0, i) + (c == '7' ? '2' : '7') + code.substring(i + 1));
    }
    // Another event's id with this event's signature (payload altered, signature kept).
    byte[] raw = new Base32().decode(code);
    raw[3] = 43;
    bad.add(new Base32().encodeToString(raw).replace("=", ""));
    for (String b : bad) {
      assertFalse(TicketCode.verify(b, EVENT.getPublic()), b);
    }
    assertFalse(TicketCode.verify(null, EVENT.getPublic()));
    assertFalse(TicketCode.verify(code, null));
    assertFalse(TicketCode.verify(code, OTHER.getPublic()));
  }

  @Test
  void decodingAcceptsOnlyTheCanonicalSpelling() {
    String code = TicketCode.encode(1, 4711, 42, EVENT.getPrivate());
    assertTrue(TicketCode.decode(code).isPresent());
    assertEquals(Optional.empty(), TicketCode.decode(code.toLowerCase()));
    assertEquals(Optional.empty(), TicketCode.decode(null));
    assertEquals(Optional.empty(), TicketCode.decode("AAAA"));
    // An overlong varint (4711 written in three groups instead of two) is refused even before the signature.
    byte[] raw = {1, (byte) 0xE7, (byte) 0xA4, 0x00, 42};
    byte[] withSignature = java.util.Arrays.copyOf(raw, raw.length + 64);
    assertEquals(Optional.empty(), TicketCode.decode(new Base32().encodeToString(withSignature).replace("=", "")));
    // A version this code does not know.
    byte[] v2 = new Base32().decode(code);
    v2[0] = 2;
    assertEquals(Optional.empty(), TicketCode.decode(new Base32().encodeToString(v2).replace("=", "")));
  }

  /**
   * The vectors the door's script is tested against too (support/DoorScriptTest in Chromium): what each code decodes
   * to, and whether it is genuine, is the server's answer, so the offline parse can be held to exactly this.
   */
  @Test
  void theSharedVectorsAreWhatTheServerSays() throws Exception {
    io.vertx.core.json.JsonObject vectors;
    try (java.io.InputStream in = TicketCodeTest.class.getResourceAsStream("/ticket-code-vectors.json")) {
      vectors = new io.vertx.core.json.JsonObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    java.security.PublicKey key = java.security.KeyFactory.getInstance("Ed25519").generatePublic(
        new java.security.spec.X509EncodedKeySpec(java.util.Base64.getDecoder().decode(vectors.getString("publicKey"))));
    io.vertx.core.json.JsonArray codes = vectors.getJsonArray("codes");
    assertTrue(codes.size() >= 10);
    java.util.Set<String> kinds = new java.util.HashSet<>();
    for (Object o : codes) {
      io.vertx.core.json.JsonObject v = (io.vertx.core.json.JsonObject) o;
      String name = v.getString("name");
      kinds.add(v.getString("offline"));
      io.vertx.core.json.JsonObject decodes = v.getJsonObject("decodes");
      Optional<TicketCode.Payload> payload = TicketCode.decode(v.getString("code"));
      if (decodes == null) {
        assertEquals(Optional.empty(), payload, name);
      } else {
        assertEquals(Optional.of(new TicketCode.Payload(1, Long.parseLong(decodes.getString("ticketId")),
            Long.parseLong(decodes.getString("eventId")))), payload, name);
      }
      assertEquals(v.getBoolean("genuine"), TicketCode.verify(v.getString("code"), key), name);
    }
    assertEquals(java.util.Set.of("ok", "invalid", "wrong_event", "revoked"), kinds, "valid, forged, other event, revoked");
  }
}
