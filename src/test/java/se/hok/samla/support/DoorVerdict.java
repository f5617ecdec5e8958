package se.hok.samla.support;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import se.hok.samla.checkin.CheckinService;
import se.hok.samla.tickets.TicketCode;
import se.hok.samla.tickets.TicketService;

/**
 * What a door device that has just synced says of a scanned code, without admitting anyone: the code is genuine
 * (signed with its event's key, {@link TicketCode#verify}) and its ticket is valid in the list the door holds
 * ({@link CheckinService#sync}). Tests ask it whether a code still admits its holder before and after a change.
 */
public final class DoorVerdict {
  public enum Verdict { VALID, REVOKED, INVALID }

  private DoorVerdict() {}

  public static Verdict of(TestApp app, String code) {
    Optional<TicketCode.Payload> payload = TicketCode.decode(code);
    if (payload.isEmpty()) {
      return Verdict.INVALID;
    }
    long eventId = payload.get().eventId();
    if (Db.column(app.databaseUrl, "select 1 from event_key where event_id = " + eventId).isEmpty()) {
      return Verdict.INVALID;  // no key: not a code Samla signed
    }
    Pool pool = app.running.database().pool();
    JsonObject door = TestApp.await(new CheckinService(pool, new TicketService(app.vertx, pool), null).sync(eventId));
    if (!TicketCode.verify(code, publicKey(door.getString("publicKey")))) {
      return Verdict.INVALID;
    }
    return door.getJsonArray("tickets").stream().map(JsonObject.class::cast)
        .filter(t -> t.getLong("ticketId") == payload.get().ticketId())
        .findFirst()
        .map(t -> t.getBoolean("valid") ? Verdict.VALID : Verdict.REVOKED)
        .orElse(Verdict.REVOKED);  // signed by Samla, its registration since deleted
  }

  private static PublicKey publicKey(String base64) {
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
