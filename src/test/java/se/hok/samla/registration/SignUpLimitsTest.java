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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.Mails;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * The limits on public sign-ups, with their defaults: an office behind one address signs 30 people up in a minute,
 * a script from one address is stopped; one e-mail address cannot be signed up again and again; new organisation
 * names wait for an organiser; the organiser's "needs to book" e-mails are gathered. The app trusts the test's own
 * connection as a proxy, so each test speaks from a client address of its own (X-Forwarded-For). The public's answer
 * to a sign-up is the same whatever happened (202), so what was taken is counted in the database.
 */
@WithSamla(env = "SAMLA_TRUSTED_PROXIES=127.0.0.1", signUpLimits = true)
class SignUpLimitsTest {
  static TestApp app;
  static String organiser;

  @BeforeAll
  static void start() {
    organiser = app.tokenFor("organiser");
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
  void anOfficeSignsUpFortyPeopleAtOnceWhileAScriptedBurstFromOneAddressIsStopped() {
    long eventId = event(500);
    List<Future<HttpResponse<Buffer>>> office = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      office.add(signUp(eventId, "203.0.113.10", person("Kollega " + i)));
    }
    await(Future.join(office));
    for (Future<HttpResponse<Buffer>> r : office) {
      assertEquals(202, r.result().statusCode(), r.result().bodyAsString());
    }
    assertEquals(40, registrations(eventId), "all 40 colleagues, signing up in the same second, are signed up");

    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      burst.add(signUp(eventId, "203.0.113.66", person("Robot " + i)));
    }
    await(Future.join(burst));
    long taken = burst.stream().filter(f -> f.result().statusCode() == 202).count();
    List<HttpResponse<Buffer>> refused = burst.stream().map(Future::result).filter(r -> r.statusCode() == 429).toList();
    assertTrue(taken >= 40 && taken <= 45, "the 40 a minute from one address, none lost to the others at once: " + taken);
    assertEquals(100, taken + refused.size(), "every other one refused");
    assertEquals(40 + taken, registrations(eventId), "each one let through was signed up, none of those refused");
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

  /**
   * What a sign-up of the address left in the database: its registrations, their e-mails in the outbox, the requests
   * stored under idempotency keys, and the organiser's tasks (all of the event).
   */
  static List<Object> traces(long eventId, String email) {
    return Db.column(app.databaseUrl, "select (select count(*) from registration where event_id = " + eventId
        + " and lower(email) = lower('" + email + "')) || ' registrations, '"
        + " || (select count(*) from outbox where event_id = " + eventId + ") || ' e-mails, '"
        + " || (select count(*) from registration_request where event_id = " + eventId + ") || ' keys, '"
        + " || (select count(*) from organiser_task where event_id = " + eventId + ") || ' tasks'");
  }

  /**
   * A stranger signs someone's address up again and again. A 429 for the fourth try would tell them that the address
   * was signed up within the hour; instead the answer is byte for byte the one any new address gets, and nothing of it
   * is kept or mailed. A form with mistakes is refused as it always is, and the next real person from the same
   * client address is signed up and gets their link.
   */
  @Test
  void anAddressSignedUpTooOftenGetsTheNeutralAnswerAndNothingIsKeptOrMailed() {
    long eventId = event(50);
    String stranger = "203.0.113.20";
    String victim = "utsatt-" + System.nanoTime() + "@example.org";
    HttpResponse<Buffer> fresh = await(signUp(eventId, "203.0.113.21", person("Helt Ny")));
    assertEquals(202, fresh.statusCode(), fresh.bodyAsString());
    HttpResponse<Buffer> freshMistake = await(signUp(eventId, "203.0.113.21", new JsonObject().put("name", "")
        .put("email", "ny-med-fel-" + System.nanoTime() + "@example.org")));
    assertEquals(422, freshMistake.statusCode());

    for (int i = 1; i <= 3; i++) {
      HttpResponse<Buffer> r = await(signUp(eventId, stranger, new JsonObject().put("name", "Utsatt Person").put("email", victim)));
      assertNeutral(fresh, r, "try " + i);
    }
    Object registrationId = Db.column(app.databaseUrl, "select id from registration where email = '" + victim + "'").get(0);
    SignUps.awaitMailSettled(app, registrationId.toString());
    int mails = Mails.to(app, victim).size();
    assertEquals(2, mails, "the ticket, and the link once more for the second try (not for the third: a quarter of an hour)");
    List<Object> before = traces(eventId, victim);

    HttpResponse<Buffer> fourth = await(app.client.post("/api/v1/events/" + eventId + "/registrations")
        .putHeader("X-Forwarded-For", stranger).putHeader("Idempotency-Key", "fjarde-" + System.nanoTime())
        .sendJsonObject(new JsonObject().put("name", "Någon Annan").put("email", victim.toUpperCase()).put("phone", "070-1234567")));
    assertNeutral(fresh, fourth, "over the limit for the address and event");
    HttpResponse<Buffer> mistake = await(signUp(eventId, stranger, new JsonObject().put("name", "").put("email", victim)));
    assertEquals(422, mistake.statusCode(), "a form with mistakes is refused as for anyone");
    assertEquals(freshMistake.bodyAsJsonObject().getJsonObject("fields").fieldNames(),
        mistake.bodyAsJsonObject().getJsonObject("fields").fieldNames());

    assertEquals(before, traces(eventId, victim), "nothing of the fourth sign-up is kept");
    SignUps.sendMail(app);
    assertEquals(mails, Mails.to(app, victim).size(), "and nothing is mailed");

    String colleague = "riktig-" + System.nanoTime() + "@example.org";
    assertNeutral(fresh, await(signUp(eventId, stranger, new JsonObject().put("name", "Riktig Person").put("email", colleague))),
        "a real person from the same client address");
    assertEquals(List.of("confirmed"), Db.column(app.databaseUrl, "select status from registration where email = '" + colleague + "'"));
    assertTrue(SignUps.link(SignUps.awaitWithLink(app, colleague, 1).get(0)).isPresent(), "who gets their link");
  }

  /** The same on the page (the same "check your e-mail" page) and across events (the limit per address). */
  @Test
  void overTheAddressLimitsThePageAnswersAsAlwaysAndAcrossEventsNothingIsKept() {
    long eventId = event(50);
    String email = "upprepad-" + System.nanoTime() + "@example.org";
    WebClientSession browser = WebClientSession.create(app.client);
    browser.addHeader("X-Forwarded-For", "203.0.113.22");
    List<Object> before = null;
    for (int i = 1; i <= 4; i++) {
      if (i == 4) {
        before = traces(eventId, email);
      }
      String page = await(browser.get("/evenemang/" + eventId + "/anmalan").send()).bodyAsString();
      HttpResponse<Buffer> r = await(browser.post("/evenemang/" + eventId + "/anmalan").sendForm(MultiMap.caseInsensitiveMultiMap()
          .add("X-XSRF-TOKEN", PageSession.csrf(page)).add("name", "Upprepad Person").add("email", email)
          .add("language", "sv")));
      assertEquals(303, r.statusCode(), "try " + i);
      assertEquals("/evenemang/" + eventId + "/anmalan/klar", r.getHeader("Location"), "try " + i);
    }
    assertEquals(before, traces(eventId, email), "three times an hour for one address and event; the fourth is not kept");

    String everywhere = "overallt-" + System.nanoTime() + "@example.org";
    HttpResponse<Buffer> first = null;
    for (int i = 1; i <= 10; i++) {
      HttpResponse<Buffer> r = await(signUp(event(10), "203.0.113." + (100 + i),
          new JsonObject().put("name", "Överallt").put("email", everywhere)));
      assertNeutral(first == null ? r : first, r, "event " + i);
      first = first == null ? r : first;
    }
    long eleventhEvent = event(10);
    assertNeutral(first, await(signUp(eleventhEvent, "203.0.113.120",
        new JsonObject().put("name", "Överallt").put("email", everywhere.toUpperCase()))), "the eleventh event");
    assertEquals(List.of(10L), Db.column(app.databaseUrl, "select count(*) from registration where lower(email) = '"
        + everywhere + "'"), "ten events an hour for one address, whatever the client; not the eleventh");
    assertEquals(List.of("0 registrations, 0 e-mails, 0 keys, 0 tasks"), traces(eleventhEvent, everywhere));

    HttpResponse<Buffer> byOrganiser = await(app.client.post("/api/v1/events/" + eleventhEvent + "/registrations")
        .putHeader("Authorization", "Bearer " + organiser).putHeader("X-Forwarded-For", "203.0.113.121")
        .sendJsonObject(new JsonObject().put("name", "Överallt").put("email", everywhere)));
    assertEquals(429, byOrganiser.statusCode(), "the event's organiser, who sees its registrations anyway, is told");
    assertTrue(byOrganiser.bodyAsJsonObject().getString("message").startsWith("Den här e-postadressen har anmälts många gånger"));
  }

  /** The answer any public sign-up gets: the same status, the same bytes, the same type. */
  private static void assertNeutral(HttpResponse<Buffer> expected, HttpResponse<Buffer> actual, String what) {
    assertEquals(202, actual.statusCode(), what + ": " + actual.bodyAsString());
    assertEquals(expected.bodyAsString(), actual.bodyAsString(), what);
    assertTrue(java.util.Arrays.equals(expected.body().getBytes(), actual.body().getBytes()), what);
    assertEquals(expected.getHeader("Content-Type"), actual.getHeader("Content-Type"), what);
    assertEquals(List.copyOf(expected.headers().names()), List.copyOf(actual.headers().names()), what);
  }

  static HttpResponse<Buffer> group(long eventId, String client, String contactEmail, JsonObject... people) {
    return await(app.client.post("/api/v1/events/" + eventId + "/group-registrations").putHeader("X-Forwarded-For", client)
        .sendJsonObject(new JsonObject().put("contact", new JsonObject().put("name", "Kontakt").put("email", contactEmail))
            .put("people", new JsonArray(List.of((Object[]) people)))));
  }

  /**
   * A group counts as its size against the client's limit (40 a minute by default): a group of 30 and then one of 20
   * from one address is one group too many. An address of the group signed up too often is answered as always and
   * only its person is kept nowhere; the others are signed up.
   */
  @Test
  void aGroupCountsAsItsSizeAndAnAddressOverItsLimitsIsKeptNowhereWhileTheRestAreSignedUp() {
    long eventId = event(500);
    JsonObject[] thirty = new JsonObject[30];
    for (int i = 0; i < thirty.length; i++) {
      thirty[i] = new JsonObject().put("name", "Medlem " + i);
    }
    String contact = "kontakt." + System.nanoTime() + "@example.org";
    assertEquals(202, group(eventId, "203.0.113.50", contact, thirty).statusCode());
    assertEquals(30, registrations(eventId));
    JsonObject[] twenty = java.util.Arrays.copyOf(thirty, 20);
    HttpResponse<Buffer> tooMany = group(eventId, "203.0.113.50", contact, twenty);
    assertEquals(429, tooMany.statusCode(), tooMany.bodyAsString());
    assertTrue(tooMany.getHeader("Retry-After") != null);

    long other = event(500);
    JsonObject often = person("Ofta Anmäld");
    // Ten sign-ups of one address, over ten events: its limit over all events (10 an hour) is reached.
    for (int i = 0; i < 10; i++) {
      assertEquals(202, await(signUp(event(500), "203.0.113.51", often)).statusCode());
    }
    HttpResponse<Buffer> mixed = group(other, "203.0.113.60", "k2." + System.nanoTime() + "@example.org",
        often, new JsonObject().put("name", "Utan Adress"), person("Egen Adress"));
    assertEquals(202, mixed.statusCode(), mixed.bodyAsString());
    assertEquals(List.of("Utan Adress", "Egen Adress"), Db.column(app.databaseUrl,
        "select name from registration where event_id = " + other + " order by waitlist_seq"));
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
