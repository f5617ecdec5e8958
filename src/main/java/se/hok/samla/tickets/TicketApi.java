package se.hok.samla.tickets;

import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import se.hok.samla.staff.Permission;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.web.Api;
import se.hok.samla.web.Json;

/** What check-in devices need to verify tickets themselves: the event's public key. */
public final class TicketApi {
  private final TicketService tickets;
  private final StaffAuth auth;

  public TicketApi(TicketService tickets, StaffAuth auth) {
    this.tickets = tickets;
    this.auth = auth;
  }

  public void mount(Api api) {
    api.operation("ticketKey", auth.api(Permission.CHECK_IN), this::key);
  }

  private void key(RoutingContext ctx) {
    long id = se.hok.samla.web.PathIds.id(ctx);
    tickets.publicKey(id)
        .onSuccess(key -> Json.send(ctx, 200, Map.of("eventId", id, "algorithm", "Ed25519", "format", "X.509 SubjectPublicKeyInfo, base64",
            "publicKey", key)))
        .onFailure(ctx::fail);
  }
}
