package se.hok.samla.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import se.hok.samla.support.TestApp;

/** Published events to register for, made through the API as an organiser would. */
final class Events {
  static final OffsetDateTime START = OffsetDateTime.now(ZoneId.of("Europe/Stockholm"))
      .plusDays(60).truncatedTo(ChronoUnit.DAYS).withHour(9);

  private Events() {}

  static JsonObject published(TestApp app, String token, int capacity, JsonArray sessions) {
    JsonObject body = new JsonObject()
        .put("title", "Samverkanskonferens " + System.nanoTime())
        .put("kind", "samverkanskonferens")
        .put("startsAt", START.toString())
        .put("endsAt", START.plusHours(7).toString())
        .put("onlineUrl", "https://example.org/konferens")
        .put("capacity", capacity)
        .put("registrationOpensAt", OffsetDateTime.now().minusDays(1).toString())
        .put("sessions", sessions);
    HttpResponse<Buffer> created = await(app.client.post("/api/v1/events")
        .putHeader("Authorization", "Bearer " + token).sendJsonObject(body));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    long id = created.bodyAsJsonObject().getLong("id");
    HttpResponse<Buffer> published = await(app.client.post("/api/v1/events/" + id + "/publish")
        .putHeader("Authorization", "Bearer " + token).send());
    assertEquals(200, published.statusCode(), published.bodyAsString());
    return published.bodyAsJsonObject();
  }

  static JsonObject session(String title, int startHour, int capacity) {
    return new JsonObject().put("title", title)
        .put("startsAt", START.withHour(startHour).toString())
        .put("endsAt", START.withHour(startHour + 1).toString())
        .put("capacity", capacity);
  }

  static JsonObject person(String name, String email) {
    return new JsonObject().put("name", name).put("email", email);
  }
}
