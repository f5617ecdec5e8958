package se.hok.samla.registration;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.TestApp;

/** Published events to register for, made through the API as an organiser would. */
final class Events {
  static final OffsetDateTime START = OffsetDateTime.now(ZoneId.of("Europe/Stockholm"))
      .plusDays(60).truncatedTo(ChronoUnit.DAYS).withHour(9);

  private Events() {}

  static JsonObject published(TestApp app, String token, int capacity, JsonArray sessions) {
    return PublishedEvent.by(app, token).title("Samverkanskonferens").kind("samverkanskonferens").startsAt(START)
        .endsAt(START.plusHours(7)).capacity(capacity).sessions(sessions).publish();
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
