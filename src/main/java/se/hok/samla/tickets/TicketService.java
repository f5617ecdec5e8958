package se.hok.samla.tickets;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import se.hok.samla.web.ConflictException;
import se.hok.samla.web.Msg;
import se.hok.samla.web.NotFoundException;

/**
 * Tickets: issuing the one valid ticket of a registration, revoking it, and checking scanned codes.
 *
 * <p>Each event has its own Ed25519 key pair, made the first time it is needed and kept in the database for good
 * (printed tickets must stay verifiable). Keys never change, so they are cached here; the private keys never leave
 * this class. The door looks its codes up by the exact code issued (see the checkin package); a door device offline
 * checks a code's signature with the event's {@link #publicKey}. All SQL about tickets and keys lives here.
 */
public final class TicketService {
  /** References: 32 symbols without 0/O and 1/I, so 5 bits each and no look-alikes. */
  static final String REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  private static final int REFERENCE_ATTEMPTS = 5;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Pool pool;
  private final ConcurrentMap<Long, PublicKey> publicKeys = new ConcurrentHashMap<>();
  private final ConcurrentMap<Long, PrivateKey> privateKeys = new ConcurrentHashMap<>();

  /** The Vert.x instance is not needed yet: signing and checking are fast enough for the event loop. */
  public TicketService(Vertx vertx, Pool pool) {
    this.pool = pool;
  }

  /**
   * A ticket reference as people say or type it – "HÖK-V8MT-3UZR", "hok v8mt 3uzr", "V8MT3UZR" – as it is stored;
   * empty when the text is not a reference (a scanned code, a name).
   */
  public static java.util.Optional<String> reference(String typed) {
    if (typed == null) {
      return java.util.Optional.empty();
    }
    String s = typed.replaceAll("[\\s\\-–]", "").toUpperCase(java.util.Locale.ROOT);
    if (s.startsWith("HÖK") || s.startsWith("HOK")) {
      s = s.substring(3);
    }
    if (s.length() != 8 || !s.chars().allMatch(c -> REFERENCE_ALPHABET.indexOf(c) >= 0)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of("HÖK-" + s.substring(0, 4) + "-" + s.substring(4));
  }

  /** The code of the ticket with this reference (revoked or not: the door says which), if there is one. */
  public Future<java.util.Optional<String>> codeOf(String reference) {
    return pool.preparedQuery("select code from ticket where reference = $1").execute(Tuple.of(reference))
        .map(rows -> rows.size() == 0 ? java.util.Optional.<String>empty()
            : java.util.Optional.of(rows.iterator().next().getString("code")));
  }

  /** The registration's valid ticket: the current one, or a new one (revoking older ones) when there is none or reissue is true. */
  public Future<Ticket> current(UUID registrationId, long eventId, boolean reissue) {
    if (!reissue) {
      return signingKey(eventId).compose(key -> currentOrNew(registrationId, eventId, key));
    }
    return signingKey(eventId).compose(key -> pool.withTransaction(conn -> confirmed(conn, registrationId, eventId)
        .compose(v -> revoke(conn, registrationId))
        .compose(v -> issue(conn, registrationId, eventId, key, REFERENCE_ATTEMPTS))));
  }

  /**
   * The common case (every ticket e-mail but "changed") in one or two statements and no transaction: one query
   * checks the registration, finds its valid ticket, and only when there is none draws the new ticket's id; then
   * one insert. No lock was ever taken here (the checks and the insert were separate statements before too); the
   * one-valid-ticket index settles a race, as in {@link #issue}.
   */
  private Future<Ticket> currentOrNew(UUID registrationId, long eventId, PrivateKey key) {
    return pool.preparedQuery("""
            select r.event_id as registration_event_id, r.status, e.status as event_status,
              t.id, t.registration_id, t.event_id, t.code, t.reference, t.issued_at,
              case when t.id is null then nextval(pg_get_serial_sequence('ticket', 'id')) end as new_id
            from registration r join event e on e.id = r.event_id
              left join ticket t on t.registration_id = r.id and t.revoked_at is null
            where r.id = $1""")
        .execute(Tuple.of(registrationId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new NotFoundException("registration"));
          }
          Row r = rows.iterator().next();
          Future<Void> ok = confirmed(r, registrationId, eventId);
          if (ok.failed()) {
            return Future.failedFuture(ok.cause());
          }
          if (r.getLong("id") != null) {
            return Future.succeededFuture(ticket(r));
          }
          long id = r.getLong("new_id");
          return pool.preparedQuery(INSERT_TICKET)
              .execute(Tuple.of(id, registrationId, eventId, TicketCode.encode(TicketCode.VERSION, id, eventId, key), newReference()))
              .compose(inserted -> inserted.size() == 1
                  ? Future.succeededFuture(ticket(inserted.iterator().next()))
                  // Another ticket won the race, or (40 random bits) the reference was taken: the careful way.
                  : pool.withTransaction(conn -> current(conn, registrationId).compose(winner -> winner.isPresent()
                      ? Future.succeededFuture(winner.get())
                      : issue(conn, registrationId, eventId, key, REFERENCE_ATTEMPTS))));
        });
  }

  private static final String INSERT_TICKET = """
      insert into ticket (id, registration_id, event_id, code, reference) overriding system value
      values ($1, $2, $3, $4, $5)
      on conflict do nothing
      returning id, registration_id, event_id, code, reference, issued_at""";

  /** Revokes every ticket of the registration (e.g. cancelled). */
  Future<Void> revokeAll(UUID registrationId) {
    return pool.withConnection(conn -> revoke(conn, registrationId));
  }

  /**
   * Revokes the registration's valid ticket inside the caller's transaction, so the old code is turned away at the
   * door from the moment the change that made it wrong commits (not only once the next e-mail issues a new one).
   * The next ticket e-mail issues a new ticket, since there is no valid one left.
   */
  public static Future<Void> revokeIn(SqlConnection conn, UUID registrationId) {
    return revoke(conn, registrationId);
  }



  /** The event's public key, X.509 SubjectPublicKeyInfo, base64 (for check-in devices). */
  public Future<String> publicKey(long eventId) {
    return keys(eventId).map(keys -> Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()));
  }

  // ------------------------------------------------------------------------------------------------
  // Issuing
  // ------------------------------------------------------------------------------------------------

  /** Tickets are for confirmed registrations of events that still take place, and for their own event only. */
  private Future<Void> confirmed(SqlConnection conn, UUID registrationId, long eventId) {
    return conn.preparedQuery("""
            select r.event_id as registration_event_id, r.status, e.status as event_status
            from registration r join event e on e.id = r.event_id where r.id = $1""")
        .execute(Tuple.of(registrationId))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new NotFoundException("registration"))
            : confirmed(rows.iterator().next(), registrationId, eventId));
  }

  private static Future<Void> confirmed(Row r, UUID registrationId, long eventId) {
    if (r.getLong("registration_event_id") != eventId) {
      return Future.failedFuture(new IllegalArgumentException(
          "registration " + registrationId + " is not for event " + eventId));
    }
    if ("cancelled".equals(r.getString("event_status"))) {
      return Future.failedFuture(new ConflictException("event_cancelled", Msg.of("error.reg.eventCancelled")));
    }
    return switch (r.getString("status")) {
      case "confirmed" -> Future.succeededFuture();
      case "cancelled" -> Future.failedFuture(new ConflictException("registration_cancelled", Msg.of("error.reg.cancelled")));
      default -> Future.failedFuture(new ConflictException("registration_not_confirmed", Msg.of("error.ticket.notConfirmed")));
    };
  }

  private Future<Optional<Ticket>> current(SqlConnection conn, UUID registrationId) {
    return conn.preparedQuery("""
            select id, registration_id, event_id, code, reference, issued_at from ticket
            where registration_id = $1 and revoked_at is null""")
        .execute(Tuple.of(registrationId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(ticket(rows.iterator().next())));
  }

  private static Future<Void> revoke(SqlConnection conn, UUID registrationId) {
    return conn.preparedQuery("update ticket set revoked_at = now() where registration_id = $1 and revoked_at is null")
        .execute(Tuple.of(registrationId))
        .mapEmpty();
  }

  /**
   * A new ticket. The id is drawn first because the code signs it. A second ticket racing this one (another
   * current() for the same registration) meets the one-valid-ticket index: whichever commits first wins, and the
   * other returns the winner's ticket. A clash of references (40 random bits) just draws another one.
   */
  private Future<Ticket> issue(SqlConnection conn, UUID registrationId, long eventId, PrivateKey key, int attempts) {
    return conn.query("select nextval(pg_get_serial_sequence('ticket', 'id')) as id").execute()
        .compose(rows -> {
          long id = rows.iterator().next().getLong("id");
          String code = TicketCode.encode(TicketCode.VERSION, id, eventId, key);
          return conn.preparedQuery(INSERT_TICKET)
              .execute(Tuple.of(id, registrationId, eventId, code, newReference()));
        })
        .compose(inserted -> {
          if (inserted.size() == 1) {
            return Future.succeededFuture(ticket(inserted.iterator().next()));
          }
          return current(conn, registrationId).compose(winner -> winner.isPresent()
              ? Future.succeededFuture(winner.get())
              : attempts > 1
                  ? issue(conn, registrationId, eventId, key, attempts - 1)
                  : Future.failedFuture(new IllegalStateException("no free ticket reference")));
        });
  }

  /** A reference like HÖK-7Q4M-9XK2: short enough to read out at the door, 40 random bits. */
  static String newReference() {
    StringBuilder s = new StringBuilder("HÖK-");
    for (int i = 0; i < 8; i++) {
      if (i == 4) {
        s.append('-');
      }
      s.append(REFERENCE_ALPHABET.charAt(RANDOM.nextInt(REFERENCE_ALPHABET.length())));
    }
    return s.toString();
  }

  private static Ticket ticket(Row r) {
    return new Ticket(r.getLong("id"), r.getUUID("registration_id"), r.getLong("event_id"), r.getString("code"),
        r.getString("reference"), r.getOffsetDateTime("issued_at"));
  }


  // ------------------------------------------------------------------------------------------------
  // Keys
  // ------------------------------------------------------------------------------------------------

  private Future<PrivateKey> signingKey(long eventId) {
    PrivateKey cached = privateKeys.get(eventId);
    return cached != null ? Future.succeededFuture(cached) : keys(eventId).map(KeyPair::getPrivate);
  }


  /**
   * The event's key pair, made on first use. Two instances (or two requests) making it at once both insert, one
   * insert wins, and both read back the winner; only keys read back from the database are cached. The key is
   * committed on its own, never inside a ticket's transaction: a rolled-back transaction must not take with it a
   * key that is already in the cache.
   */
  private Future<KeyPair> keys(long eventId) {
    PrivateKey priv = privateKeys.get(eventId);
    PublicKey pub = publicKeys.get(eventId);
    if (priv != null && pub != null) {
      return Future.succeededFuture(new KeyPair(pub, priv));
    }
    return readKeys(eventId).compose(found -> {
      if (found.isPresent()) {
        return Future.succeededFuture(found.get());
      }
      KeyPair fresh = generate();
      return pool.preparedQuery("insert into event_key (event_id, private_key, public_key) values ($1, $2, $3) "
              + "on conflict (event_id) do nothing")
          .execute(Tuple.of(eventId, Buffer.buffer(fresh.getPrivate().getEncoded()), Buffer.buffer(fresh.getPublic().getEncoded())))
          .recover(e -> e instanceof PgException pg && "23503".equals(pg.getSqlState())
              ? Future.failedFuture(new NotFoundException("event"))
              : Future.failedFuture(e))
          .compose(v -> readKeys(eventId))
          .map(Optional::orElseThrow);
    });
  }

  private Future<Optional<KeyPair>> readKeys(long eventId) {
    return pool.preparedQuery("select private_key, public_key from event_key where event_id = $1")
        .execute(Tuple.of(eventId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(remember(eventId, rows.iterator().next())));
  }

  private KeyPair remember(long eventId, Row row) {
    try {
      KeyFactory factory = KeyFactory.getInstance("Ed25519");
      PrivateKey priv = factory.generatePrivate(new PKCS8EncodedKeySpec(row.getBuffer("private_key").getBytes()));
      PublicKey pub = factory.generatePublic(new X509EncodedKeySpec(row.getBuffer("public_key").getBytes()));
      privateKeys.putIfAbsent(eventId, priv);
      publicKeys.putIfAbsent(eventId, pub);
      return new KeyPair(publicKeys.get(eventId), privateKeys.get(eventId));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("unreadable key of event " + eventId, e);
    }
  }

  private static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
