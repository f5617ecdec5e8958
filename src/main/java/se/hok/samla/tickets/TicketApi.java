package se.hok.samla.tickets;

import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import se.hok.samla.staff.EventAccess;
import se.hok.samla.staff.EventRight;
import se.hok.samla.web.Api;
import se.hok.samla.web.Json;

/** What check-in devices need to verify tickets themselves: the event's public key. */
public final class TicketApi {
  private final TicketService tickets;
  private final EventAccess access;

  public TicketApi(TicketService tickets, EventAccess access) {
    this.tickets = tickets;
    this.access = access;
  }

  public void mount(Api api) {
    api.operation("ticketKey", access.api(EventRight.DOOR), this::key);
  }

  private void key(RoutingContext ctx) {
    long id = se.hok.samla.web.PathIds.id(ctx);
    tickets.publicKey(id)
        .onSuccess(key -> Json.send(ctx, 200, Map.of("eventId", id, "algorithm", "Ed25519", "format", "X.509 SubjectPublicKeyInfo, base64",
            "publicKey", key)))
        .onFailure(ctx::fail);
  }
}
