package se.hok.samla.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientSession;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.Mails;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.TestApp;

/**
 * The limits on public sign-ups, with their defaults: an office behind one address signs 30 people up in a minute,
 * a script from one address is stopped; one e-mail address cannot be signed up again and again; new organisation
 * names wait for an organiser; the organiser's "needs to book" e-mails are gathered. The app trusts the test's own
 * connection as a proxy, so each test speaks from a client address of its own (X-Forwarded-For). The public's answer
 * to a sign-up is the same whatever happened (202), so what was taken is counted in the database.
 */
class SignUpLimitsTest {
  static TestApp app;
  static String organiser;

  @BeforeAll
  static void start() {
    Map<String, String> env = new HashMap<>();
    TestApp.SIGN_UP_LIMITS.forEach(limit -> env.put(limit, ""));  // blank: the default
    env.put("SAMLA_TRUSTED_PROXIES", "127.0.0.1");
    app = TestApp.start(env);
    organiser = app.tokenFor("organiser");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static long event(int capacity) {
    return PublishedEvent.by(app, organiser).title("Dialogmöte").capacity(capacity).publishId();
  }

  static Future<HttpResponse<Buffer>> signUp(long eventId, String client, JsonObject person) {
    return app.client.post("/api/v1/events/" + eventId + "/registrations").putHeader("X-Forwarded-For", client)
        .sendJsonObject(person);
  }

  /** The registrations of the event that hold a seat or a waiting-list place. */
  static long registrations(long eventId) {
    return (Long) Db.column(app.databaseUrl, "select count(*) from registration where event_id = " + eventId
        + " and status <> 'cancelled'").get(0);
  }

  static JsonObject person(String name) {
    return new JsonObject().put("name", name).put("email", name.toLowerCase().replace(' ', '.') + "-" + System.nanoTime()
        + "@example.org");
  }

  @Test
  void anOfficeSignsUpThirtyPeopleInAMinuteWhileAScriptedBurstFromOneAddressIsStopped() {
    long eventId = event(500);
    for (int i = 1; i <= 30; i++) {
      HttpResponse<Buffer> r = await(signUp(eventId, "203.0.113.10", person("Kollega " + i)));
      assertEquals(202, r.statusCode(), "person " + i + ": " + r.bodyAsString());
    }
    assertEquals(30, registrations(eventId), "all 30 colleagues are signed up");

    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      burst.add(signUp(eventId, "203.0.113.66", person("Robot " + i)));
    }
    await(Future.join(burst));
    long taken = burst.stream().filter(f -> f.result().statusCode() == 202).count();
    List<HttpResponse<Buffer>> refused = burst.stream().map(Future::result).filter(r -> r.statusCode() == 429).toList();
    assertTrue(taken >= 30 && taken <= 45, "about 40 a minute from one address: " + taken);
    assertEquals(100, taken + refused.size(), "every other one refused");
    assertEquals(30 + taken, registrations(eventId), "each one let through was signed up, none of those refused");
    HttpResponse<Buffer> one = refused.get(0);
    assertEquals("too_many_requests", one.bodyAsJsonObject().getString("error"));
    assertTrue(one.bodyAsJsonObject().getString("message").startsWith("Det har kommit väldigt många anmälningar från din adress"));
    assertTrue(Long.parseLong(one.getHeader("Retry-After")) >= 1);

    JsonObject realPerson = person("Verklig Person");
    HttpResponse<Buffer> real = await(signUp(eventId, "203.0.113.11", realPerson));
    assertEquals(202, real.statusCode(), "someone else is not held back");
    assertEquals(List.of("confirmed"), Db.column(app.databaseUrl, "select status from registration where email = '"
        + realPerson.getString("email") + "'"), "and the burst did not fill the event");
  }

  @Test
  void oneAddressIsNotSignedUpAgainAndAgainOnThePageOrAcrossEvents() {
    long eventId = event(50);
    String email = "upprepad-" + System.nanoTime() + "@example.org";
    WebClientSession browser = WebClientSession.create(app.client);
    browser.addHeader("X-Forwarded-For", "203.0.113.20");
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<Buffer> last = null;
    for (int i = 1; i <= 4; i++) {
      String page = await(browser.get("/evenemang/" + eventId + "/anmalan").send()).bodyAsString();
      last = await(browser.post("/evenemang/" + eventId + "/anmalan").sendForm(MultiMap.caseInsensitiveMultiMap()
          .add("X-XSRF-TOKEN", PageSession.csrf(page)).add("name", "Upprepad Person").add("email", email)
          .add("language", "sv")));
      statuses.add(last.statusCode());
    }
    assertEquals(List.of(303, 303, 303, 429), statuses, "three times an hour for one address and event");
    assertTrue(last.bodyAsString().contains("Den här e-postadressen har anmälts många gånger på kort tid"), last.bodyAsString());
    assertTrue(last.bodyAsString().contains("<html lang=\"sv\""));

    String everywhere = "overallt-" + System.nanoTime() + "@example.org";
    for (int i = 1; i <= 10; i++) {
      HttpResponse<Buffer> r = await(signUp(event(10), "203.0.113." + (100 + i),
          new JsonObject().put("name", "Överallt").put("email", everywhere)));
      assertEquals(202, r.statusCode(), "event " + i + ": " + r.bodyAsString());
    }
    long eleventhEvent = event(10);
    HttpResponse<Buffer> eleventh = await(signUp(eleventhEvent, "203.0.113.120",
        new JsonObject().put("name", "Överallt").put("email", everywhere.toUpperCase())));
    assertEquals(429, eleventh.statusCode(), "ten events an hour for one address, whatever the client");
    assertEquals(List.of(10L), Db.column(app.databaseUrl, "select count(*) from registration where lower(email) = '"
        + everywhere + "'"), "signed up for ten events, not for the eleventh");
    assertEquals(0, registrations(eleventhEvent));
  }

  @Test
  void signUpsWithMistakesDoNotCount() {
    long eventId = event(10);
    for (int i = 1; i <= 45; i++) {
      assertEquals(422, await(signUp(eventId, "203.0.113.30", new JsonObject().put("name", "").put("email", "x" + i + "@example.org")))
          .statusCode(), "mistake " + i);
    }
    assertEquals(0, registrations(eventId));
    assertEquals(202, await(signUp(eventId, "203.0.113.30", person("Till Slut"))).statusCode());
    assertEquals(1, registrations(eventId), "the sign-up without mistakes is taken");
  }

  @Test
  void newOrganisationNamesWaitForAnOrganiserAndOneAddressCannotCreateMany() {
    long eventId = event(50);
    String prefix = "Påhittad förening " + System.nanoTime() + " nr ";
    for (int i = 1; i <= 5; i++) {
      HttpResponse<Buffer> r = await(signUp(eventId, "203.0.113.40", person("Medlem " + i)
          .put("organisationName", prefix + i).put("sector", "ideburen")));
      assertEquals(202, r.statusCode(), r.bodyAsString());
    }
    assertEquals(5, registrations(eventId));
    HttpResponse<Buffer> sixth = await(signUp(eventId, "203.0.113.40", person("Medlem 6")
        .put("organisationName", prefix + 6).put("sector", "ideburen")));
    assertEquals(429, sixth.statusCode());
    assertTrue(sixth.bodyAsJsonObject().getString("message").contains("många nya organisationsnamn"));
    assertEquals(5, registrations(eventId), "the sixth is not signed up");
    assertEquals(202, await(signUp(eventId, "203.0.113.40", person("Medlem 7")
        .put("organisationName", (prefix + 1).toUpperCase()))).statusCode(), "a name already typed is no new name");
    assertEquals(6, registrations(eventId));

    String list = await(app.client.get("/api/v1/organisations").send()).bodyAsString();
    assertFalse(list.contains(prefix), "not in the public list before an organiser accepts it");
    assertFalse(await(app.client.get("/evenemang/" + eventId + "/anmalan").send()).bodyAsString().contains(prefix),
        "nor on the sign-up form");

    PageSession organiserPage = PageSession.staff(app, "organiser");
    String pending = organiserPage.get("/arrangor/organisationer").bodyAsString();
    assertTrue(pending.contains(prefix + 1), pending);
    Object id = Db.column(app.databaseUrl, "select id from organisation where name = '" + prefix + "1'").get(0);
    HttpResponse<Buffer> accepted = organiserPage.post("/arrangor/organisationer", "/arrangor/organisationer/" + id + "/godkann",
        MultiMap.caseInsensitiveMultiMap());
    assertEquals(302, accepted.statusCode());
    assertTrue(organiserPage.get(accepted.getHeader("Location")).bodyAsString().contains("Namnet är godkänt"));
    String after = await(app.client.get("/api/v1/organisations").send()).bodyAsString();
    assertTrue(after.contains(prefix + 1), "accepted: public");
    assertFalse(after.contains(prefix + 2), "the others still wait");
    assertEquals(403, PageSession.staff(app, "viewer").get("/arrangor/organisationer").statusCode());
  }

  @Test
  void theOrganisersNeedsToBookAlertsAreGatheredIntoOneEmailPerEventPerHour() {
    String inbox = "arrangor-" + System.nanoTime() + "@test.example";
    long eventId = PublishedEvent.by(app, organiser).title("Workshop med tolk").with("organiserEmail", inbox).publishId();
    JsonArray interpreter = new JsonArray().add(new JsonObject().put("code", "teckensprakstolk"));
    assertEquals(202, await(signUp(eventId, "203.0.113.50", person("Först Tolk").put("consent", true)
        .put("needs", interpreter))).statusCode());
    MimeMessage first = Mails.await(app, inbox, 1).get(0);
    assertEquals(1, people(first), "the first alert goes out at once");

    for (int i = 1; i <= 4; i++) {
      assertEquals(202, await(signUp(eventId, "203.0.113.50", person("Sedan Tolk " + i).put("consent", true)
          .put("needs", interpreter))).statusCode());
    }
    assertEquals(List.of(4L), Db.column(app.databaseUrl, "select count(*) from organiser_task where event_id = " + eventId
        + " and alerted_at is null"), "the next four wait together");
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from outbox where kind = 'organiser_alert'"
        + " and event_id = " + eventId), "one e-mail queued so far");
    assertEquals(1, Mails.to(app, inbox).size());

    Db.exec(app.databaseUrl, "update outbox set created_at = created_at - interval '1 hour' where kind = 'organiser_alert'"
        + " and event_id = " + eventId);  // the hour has passed
    List<MimeMessage> both = Mails.await(app, inbox, 2);
    assertEquals(2, both.size());
    assertEquals(List.of(1, 4), both.stream().map(SignUpLimitsTest::people).sorted().toList(), "one e-mail for the four");
  }

  /** How many people the alert says need an interpreter. */
  private static int people(MimeMessage alert) {
    String text = Mails.text(alert, "text/plain");
    assertTrue(text.contains("Teckenspråkstolk"), text);
    Matcher m = Pattern.compile("(\\d+) person").matcher(text);
    assertTrue(m.find(), text);
    return Integer.parseInt(m.group(1));
  }
}
