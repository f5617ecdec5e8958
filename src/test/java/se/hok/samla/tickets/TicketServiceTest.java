package se.hok.samla.tickets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.config.Config;
import se.hok.samla.support.Db;
import se.hok.samla.support.DoorVerdict;
import se.hok.samla.support.DoorVerdict.Verdict;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;
import se.hok.samla.web.ConflictException;
import se.hok.samla.web.NotFoundException;

/** Tickets against a real database: one valid ticket per registration, revocation, and codes checked by signature. */
@WithSamla
class TicketServiceTest {
  static final String REFERENCE = "^HÖK-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$";
  static TestApp app;
  static String organiser;
  static TicketService tickets;
  static long eventId;

  @BeforeAll
  static void start() {
    organiser = app.tokenFor("organiser");
    tickets = new TicketService(app.vertx, app.running.database().pool());
    eventId = publishedEvent(100);
  }

  @Test
  void aRegistrationHasOneTicketUntilItIsReissued() {
    UUID reg = register(eventId, "Åsa Öberg-Nguyễn").id();
    Ticket first = await(tickets.current(reg, eventId, false));
    assertEquals(first, await(tickets.current(reg, eventId, false)), "asking again gives the same ticket");
    assertEquals(reg, first.registrationId());
    assertEquals(eventId, first.eventId());
    assertTrue(first.code().matches("^[A-Z2-7]+$"), first.code());
    assertTrue(first.reference().matches(REFERENCE), first.reference());
    assertEquals(Verdict.VALID, DoorVerdict.of(app, first.code()));

    Ticket second = await(tickets.current(reg, eventId, true));
    assertNotEquals(first.id(), second.id());
    assertNotEquals(first.code(), second.code());
    assertNotEquals(first.reference(), second.reference());
    assertEquals(Verdict.REVOKED, DoorVerdict.of(app, first.code()), "the replaced ticket");
    assertEquals(Verdict.VALID, DoorVerdict.of(app, second.code()));
    assertEquals(second, await(tickets.current(reg, eventId, false)));
    assertEquals(List.of(1L), Db.column(app.databaseUrl,
        "select count(*) from ticket where revoked_at is null and registration_id = '" + reg + "'"));
  }

  @Test
  void revokeAllRevokes() {
    UUID reg = register(eventId, "Revokerad").id();
    Ticket ticket = await(tickets.current(reg, eventId, false));
    await(tickets.revokeAll(reg));
    assertEquals(Verdict.REVOKED, DoorVerdict.of(app, ticket.code()));
    await(tickets.revokeAll(reg));  // again: nothing left to revoke, no error
  }

  @Test
  void cancellingTheRegistrationRevokesItsTicket() {
    Registered r = register(eventId, "Avbokar");
    Ticket ticket = await(tickets.current(r.id(), eventId, false));
    HttpResponse<Buffer> cancelled = await(app.client.delete("/api/v1/registrations/" + SignUps.manageToken(app, r.email())).send());
    assertEquals(200, cancelled.statusCode(), cancelled.bodyAsString());
    assertEquals(Verdict.REVOKED, DoorVerdict.of(app, ticket.code()));
    ConflictException refused = assertInstanceOf(ConflictException.class, failure(tickets.current(r.id(), eventId, false)));
    assertEquals("registration_cancelled", refused.code());
  }

  @Test
  void concurrentRequestsMakeOneTicket() {
    UUID reg = register(eventId, "Dubbelklick").id();
    List<Future<Ticket>> all = new ArrayList<>();
    IntStream.range(0, 20).forEach(i -> all.add(tickets.current(reg, eventId, false)));
    await(Future.all(all));
    assertEquals(1, all.stream().map(f -> f.result().id()).distinct().count(), "everyone got the same ticket");
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from ticket where registration_id = '" + reg + "'"));

    // Reissues racing each other and plain requests: still exactly one valid ticket afterwards, and it is the current one.
    List<Future<Ticket>> mixed = new ArrayList<>();
    IntStream.range(0, 20).forEach(i -> mixed.add(tickets.current(reg, eventId, i % 2 == 0)));
    await(Future.join(mixed));
    mixed.forEach(f -> assertTrue(f.succeeded(), () -> String.valueOf(f.cause())));
    assertEquals(List.of(1L), Db.column(app.databaseUrl,
        "select count(*) from ticket where revoked_at is null and registration_id = '" + reg + "'"));
    Ticket now = await(tickets.current(reg, eventId, false));
    assertEquals(Verdict.VALID, DoorVerdict.of(app, now.code()));
  }

  @Test
  void referencesAreUniqueAndReadable() {
    Set<String> references = new HashSet<>();
    for (int i = 0; i < 25; i++) {
      Ticket t = await(tickets.current(register(eventId, "Person " + i).id(), eventId, false));
      assertTrue(t.reference().matches(REFERENCE), t.reference());
      assertTrue(references.add(t.reference()));
    }
    for (int i = 0; i < 10_000; i++) {
      assertTrue(TicketService.newReference().matches(REFERENCE));
    }
  }

  @Test
  void anythingButAGenuineCodeIsInvalid() throws Exception {
    UUID reg = register(eventId, "Äkta").id();
    Ticket ticket = await(tickets.current(reg, eventId, false));
    String code = ticket.code();
    long otherEvent = publishedEvent(10);
    UUID otherReg = register(otherEvent, "Annan").id();
    Ticket other = await(tickets.current(otherReg, otherEvent, false));

    List<String> bad = new ArrayList<>();
    bad.add(TicketCode.encode(1, ticket.id(), eventId, TicketCodeTest.OTHER.getPrivate()));  // forged
    bad.add(code.substring(0, code.length() - 1));
    bad.add(code.substring(0, code.length() / 2));
    bad.add(code.substring(0, 10) + (code.charAt(10) == 'Q' ? 'R' : 'Q') + code.substring(11));
    bad.add(code.substring(0, code.length() - 1) + (code.endsWith("A") ? "B" : "A"));
    bad.add(code.toLowerCase());
    bad.add("");
    bad.add(null);
    bad.add("<script>alert(1)</script>");
    bad.add("Z".repeat(200));
    bad.add(ticket.reference());
    // The other event's ticket, its payload changed to claim this event (and the other way round).
    bad.add(withEventId(other.code(), eventId));
    bad.add(withEventId(code, otherEvent));
    for (String b : bad) {
      assertEquals(Verdict.INVALID, DoorVerdict.of(app, b), String.valueOf(b));
    }
    // A code for an event that has no key at all (or does not exist).
    assertEquals(Verdict.INVALID, DoorVerdict.of(app, withEventId(code, 999_999)));
    // The other event's genuine code is genuine: the check-in desk compares the event id.
    assertEquals(Verdict.VALID, DoorVerdict.of(app, other.code()));
  }


  @Test
  void thePublicKeyChecksCodesOffline() throws Exception {
    Ticket ticket = await(tickets.current(register(eventId, "Skanner").id(), eventId, false));
    String base64 = await(tickets.publicKey(eventId));
    PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    assertTrue(TicketCode.verify(ticket.code(), key));
    assertEquals(base64, await(new TicketService(app.vertx, app.running.database().pool()).publicKey(eventId)),
        "another instance reads the same key");

    // Two instances making a new event's key at once agree on one key.
    long fresh = publishedEvent(5);
    List<Future<String>> keys = new ArrayList<>();
    IntStream.range(0, 8).forEach(i -> keys.add(new TicketService(app.vertx, app.running.database().pool()).publicKey(fresh)));
    await(Future.all(keys));
    assertEquals(1, keys.stream().map(Future::result).distinct().count());
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from event_key where event_id = " + fresh));

    assertInstanceOf(NotFoundException.class, failure(tickets.publicKey(999_999)));
  }

  @Test
  void onlyConfirmedRegistrationsGetTickets() {
    long small = publishedEvent(1);
    UUID confirmed = register(small, "Först").id();
    Registered waiting = register(small, "Sedan");
    assertEquals("waitlisted", waiting.status());
    await(tickets.current(confirmed, small, false));
    ConflictException refused = assertInstanceOf(ConflictException.class, failure(tickets.current(waiting.id(), small, false)));
    assertEquals("registration_not_confirmed", refused.code());
    assertInstanceOf(IllegalArgumentException.class, failure(tickets.current(confirmed, eventId, false)), "wrong event");
    assertInstanceOf(NotFoundException.class, failure(tickets.current(UUID.randomUUID(), small, false)));
  }

  // ------------------------------------------------------------------------------------------------

  record Registered(UUID id, String email, String status) {}

  /** Signed up as an organiser would; the ticket e-mail (with the manage link) goes to the address. */
  static Registered register(long event, String name) {
    String email = "p" + System.nanoTime() + "@example.org";
    JsonObject body = SignUps.byOrganiser(app, organiser, event, new JsonObject().put("name", name).put("email", email));
    return new Registered(UUID.fromString(body.getString("id")), email, body.getString("status"));
  }

  static long publishedEvent(int capacity) {
    return PublishedEvent.by(app, organiser).title("Dialogmöte").kind("dialogmote").capacity(capacity).publishId();
  }

  /** The same code with its event id replaced and its signature kept (re-encoded canonically). */
  static String withEventId(String code, long newEventId) {
    TicketCode.Payload p = TicketCode.decode(code).orElseThrow();
    byte[] raw = new Base32().decode(code);
    byte[] signature = java.util.Arrays.copyOfRange(raw, raw.length - 64, raw.length);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(1);
    varint(out, p.ticketId());
    varint(out, newEventId);
    out.writeBytes(signature);
    return new Base32().encodeToString(out.toByteArray()).replace("=", "");
  }

  private static void varint(java.io.ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  static Throwable failure(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }
}
