package se.hok.samla.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * A published event, made through the API as an organiser would, open for sign-up since yesterday. A test sets
 * only what matters to it; the rest is a plausible online event 30 days ahead, with a title no other test uses.
 */
public final class PublishedEvent {
  private final io.vertx.ext.web.client.WebClient client;
  private final String organiserToken;
  private String title = "Evenemang";
  private String kind = "workshop";
  private OffsetDateTime startsAt = OffsetDateTime.now(ZoneId.of("Europe/Stockholm")).plusDays(30)
      .truncatedTo(ChronoUnit.DAYS).withHour(9);
  private OffsetDateTime endsAt;
  private int capacity = 100;
  private JsonArray sessions = new JsonArray();
  private Integer reminderDays;
  private boolean atVenue;
  private final java.util.Map<String, Object> extra = new java.util.LinkedHashMap<>();

  private PublishedEvent(io.vertx.ext.web.client.WebClient client, String organiserToken) {
    this.client = client;
    this.organiserToken = organiserToken;
  }

  /** @param organiserToken an API token of a staff member who may create and publish events */
  public static PublishedEvent by(TestApp app, String organiserToken) {
    return new PublishedEvent(app.client, organiserToken);
  }

  /** The same, through a client of a Samla that runs elsewhere (its default host and port set). */
  public static PublishedEvent by(io.vertx.ext.web.client.WebClient client, String organiserToken) {
    return new PublishedEvent(client, organiserToken);
  }

  /** The title starts so; a number is added to keep it unique. */
  public PublishedEvent title(String title) {
    this.title = title;
    return this;
  }

  public PublishedEvent kind(String kind) {
    this.kind = kind;
    return this;
  }

  public PublishedEvent startsAt(OffsetDateTime startsAt) {
    this.startsAt = startsAt;
    return this;
  }

  /** Defaults to three hours after the start. */
  public PublishedEvent endsAt(OffsetDateTime endsAt) {
    this.endsAt = endsAt;
    return this;
  }

  public PublishedEvent capacity(int capacity) {
    this.capacity = capacity;
    return this;
  }

  public PublishedEvent sessions(JsonArray sessions) {
    this.sessions = sessions == null ? new JsonArray() : sessions;
    return this;
  }

  /** Days before the start the reminder goes out; 0 for none. Unset: the service's default. */
  public PublishedEvent reminderDays(int days) {
    this.reminderDays = days;
    return this;
  }

  /**
   * Held at a venue (made through the API as the organiser would), as well as online unless {@code onlineUrl} is set to
   * null: an event with a door, so its tickets carry a QR code. Without it the event is online only (no ticket).
   */
  public PublishedEvent atVenue() {
    this.atVenue = true;
    return this;
  }

  /**
   * Any other field of the API's event, as is (e.g. venueId, organiserEmail); it wins over the defaults, and null
   * leaves the field out (e.g. onlineUrl for an event at a venue, or an exact title without the number).
   */
  public PublishedEvent with(String field, Object value) {
    extra.put(field, value);
    return this;
  }

  /** Creates and publishes the event; returns it as the publish call answers. */
  public JsonObject publish() {
    JsonObject body = new JsonObject()
        .put("title", title + " " + System.nanoTime())
        .put("kind", kind)
        .put("startsAt", startsAt.toString())
        .put("endsAt", (endsAt != null ? endsAt : startsAt.plusHours(3)).toString())
        .put("onlineUrl", "https://example.org/" + kind)
        .put("capacity", capacity)
        .put("registrationOpensAt", OffsetDateTime.now().minusDays(1).toString())
        .put("sessions", sessions);
    if (reminderDays != null) {
      body.put("reminderDays", reminderDays);
    }
    if (atVenue) {
      HttpResponse<Buffer> venue = await(client.post("/api/v1/venues").putHeader("Authorization", "Bearer " + organiserToken)
          .sendJsonObject(new JsonObject().put("name", "Folkets hus " + System.nanoTime()).put("address", "Storgatan 2, Falkenberg")));
      assertEquals(201, venue.statusCode(), venue.bodyAsString());
      body.put("venueId", venue.bodyAsJsonObject().getLong("id"));
    }
    extra.forEach((field, value) -> {
      if (value == null) {
        body.remove(field);
      } else {
        body.put(field, value);
      }
    });
    HttpResponse<Buffer> created = await(client.post("/api/v1/events")
        .putHeader("Authorization", "Bearer " + organiserToken).sendJsonObject(body));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    long id = created.bodyAsJsonObject().getLong("id");
    HttpResponse<Buffer> published = await(client.post("/api/v1/events/" + id + "/publish")
        .putHeader("Authorization", "Bearer " + organiserToken).send());
    assertEquals(200, published.statusCode(), published.bodyAsString());
    return published.bodyAsJsonObject();
  }

  /** Creates and publishes the event; returns its id. */
  public long publishId() {
    return publish().getLong("id");
  }
}
