package se.hok.samla.checkin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestApp;

/**
 * Someone without an e-mail address comes to the door: they are registered and let in all the same, get no e-mail,
 * and count in the follow-up. Everyone else still gives an address. Mail is sent in this app (the outbox runs).
 */
class WalkInWithoutEmailTest {
  @Test
  void aWalkInWithoutAnAddressIsLetInCountedAndSentNothing() throws Exception {
    try (TestApp app = TestApp.start(Map.of())) {
      Door door = new Door(app);
      String desk = door.desk;
      long event = door.event("Öppet möte", 10, null);

      HttpResponse<Buffer> walkIn = await(app.client.post("/api/v1/events/" + event + "/walk-ins")
          .putHeader("Authorization", "Bearer " + desk)
          .sendJsonObject(new JsonObject().put("name", "Utan Epost").put("email", "").put("deviceId", "Entré")
              .put("idempotencyKey", UUID.randomUUID().toString())));
      assertEquals(201, walkIn.statusCode(), walkIn.bodyAsString());
      JsonObject result = walkIn.bodyAsJsonObject();
      assertEquals("ok", result.getString("result"));
      assertEquals("Utan Epost", result.getJsonObject("registration").getString("name"));
      String id = result.getJsonObject("registration").getString("id");
      assertEquals(List.of("walk_in"), Db.column(app.databaseUrl, "select source from registration where id = '" + id + "'"));
      assertNull(Db.column(app.databaseUrl, "select email from registration where id = '" + id + "'").get(0));

      // Their confirmation is settled as having nothing to send, not retried or failed.
      String outcome = null;
      for (int i = 0; i < 100 && outcome == null; i++) {
        List<Object> o = Db.column(app.databaseUrl, "select outcome from outbox where registration_id = '" + id + "'");
        outcome = o.isEmpty() ? null : (String) o.get(0);
        if (outcome == null) {
          Thread.sleep(100);
        }
      }
      assertEquals("skipped", outcome);

      // A second person without an address is a person of their own, not a duplicate of the first.
      HttpResponse<Buffer> second = await(app.client.post("/api/v1/events/" + event + "/walk-ins")
          .putHeader("Authorization", "Bearer " + desk)
          .sendJsonObject(new JsonObject().put("name", "Också Utan").put("deviceId", "Entré")));
      assertEquals(201, second.statusCode(), second.bodyAsString());

      JsonObject turnout = await(app.client.get("/api/v1/events/" + event + "/turnout")
          .putHeader("Authorization", "Bearer " + app.tokenFor("viewer")).send()).bodyAsJsonObject();
      assertEquals(2, turnout.getInteger("attended"), turnout.encode());
      assertEquals(2, turnout.getInteger("walkIns"), turnout.encode());

      // Signing up in advance still needs an address: that is where the ticket goes.
      HttpResponse<Buffer> advance = await(app.client.post("/api/v1/events/" + event + "/registrations")
          .sendJsonObject(new JsonObject().put("name", "I Förväg")));
      assertEquals(422, advance.statusCode(), advance.bodyAsString());
      assertNotNull(advance.bodyAsJsonObject().getJsonObject("fields").getString("email"), advance.bodyAsString());
    }
  }
}
