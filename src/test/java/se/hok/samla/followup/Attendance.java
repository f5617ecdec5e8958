package se.hok.samla.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.OffsetDateTime;
import java.util.UUID;
import se.hok.samla.support.Db;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;

/**
 * Events that have taken place, made as an organiser would (API), then moved into the past; check-ins written
 * straight into {@code checkin}, as the door would (the check-in feature is built alongside).
 */
final class Attendance {
  private final TestApp app;
  private final String organiser;

  Attendance(TestApp app) {
    this.app = app;
    this.organiser = app.tokenFor("organiser");
  }

  /** A published event that ended {@code hoursAgo} hours ago (made in the future, then moved). */
  long eventEnded(String title, int hoursAgo) {
    OffsetDateTime start = OffsetDateTime.now().plusDays(10);
    return PublishedEvent.by(app, organiser).with("title", title).kind("dialogmote").startsAt(start)
        .endsAt(start.plusHours(3)).capacity(50).with("onlineUrl", "https://example.org/mote")
        .with("organiserEmail", "arrangor@example.org").with("registrationOpensAt", null).publishId();
  }

  /** Moves the event so that it ended this many hours ago (registrations are made before: sign-up needs the future). */
  void endedHoursAgo(long eventId, int hoursAgo) {
    Db.exec(app.databaseUrl, "update event set starts_at = now() - interval '" + (hoursAgo + 3) + " hours', "
        + "ends_at = now() - interval '" + hoursAgo + " hours', registration_opens_at = null, registration_closes_at = null "
        + "where id = " + eventId);
  }

  record Person(UUID id, String email) {}

  /** Signs someone up as their organiser does; the confirmation (with the manage link) goes to the address. */
  Person register(long eventId, String name, String email, String language) {
    JsonObject r = SignUps.byOrganiser(app, organiser, eventId,
        new JsonObject().put("name", name).put("email", email).put("language", language));
    return new Person(UUID.fromString(r.getString("id")), email);
  }

  /** The manage link, from the person's e-mail. */
  String manageToken(Person p) {
    return SignUps.manageToken(app, p.email());
  }

  Person register(long eventId, String name, String email) {
    return register(eventId, name, email, "sv");
  }

  void checkIn(long eventId, Person p) {
    Db.exec(app.databaseUrl, "insert into checkin (event_id, registration_id, checked_in_at, device_id, method) values ("
        + eventId + ", '" + p.id() + "', now() - interval '4 hours', 'test-door', 'manual')");
  }

  void undoCheckIn(Person p) {
    Db.exec(app.databaseUrl, "update checkin set undone_at = now() where registration_id = '" + p.id() + "'");
  }

  void cancelEvent(long eventId) {
    assertEquals(200, await(app.client.post("/api/v1/events/" + eventId + "/cancel")
        .putHeader("Authorization", "Bearer " + organiser).send()).statusCode());
  }

  void cancelRegistration(Person p) {
    HttpResponse<Buffer> r = await(app.client.delete("/api/v1/registrations/" + manageToken(p)).send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  /** A held event (ended three hours ago) with one attendee, and the attendee's survey link. */
  record Attendee(long eventId, Person person, String path) {}

  Attendee attendee(String title, String email) {
    long id = eventEnded(title, 3);
    Person p = register(id, "Deltagare " + email, email);
    endedHoursAgo(id, 3);
    checkIn(id, p);
    return new Attendee(id, p, surveyPath(p));
  }

  /** The stored answer as "rating|most valuable|improve|future interest", "-" for none; empty when none stored. */
  java.util.List<Object> stored(Person p) {
    return Db.column(app.databaseUrl, "select rating || '|' || coalesce(most_valuable, '-') || '|' || coalesce(improve, '-') "
        + "|| '|' || coalesce(future_interest, '-') from feedback where registration_id = '" + p.id() + "'");
  }

  /** The survey form as a browser sends it; a null rating is left out, as when no radio button is chosen. */
  static io.vertx.core.MultiMap answer(String rating, String mostValuable, String improve, String futureInterest) {
    io.vertx.core.MultiMap form = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
    if (rating != null) {
      form.add("rating", rating);
    }
    form.add("mostValuable", mostValuable == null ? "" : mostValuable);
    form.add("improve", improve == null ? "" : improve);
    form.add("futureInterest", futureInterest == null ? "" : futureInterest);
    return form;
  }

  /** A survey link for someone who attended, as the thank-you e-mail would carry it. */
  String surveyPath(Person p) {
    return await(new FeedbackService(app.running.database().pool()).thankYouLink(p.id())).orElseThrow().path();
  }
}
