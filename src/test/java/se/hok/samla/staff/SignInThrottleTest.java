package se.hok.samla.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientSession;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.Mails;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;
import se.hok.samla.support.TestClock;

/**
 * Guessing passwords is slowed down per account and per client address, on the login page and the token endpoint
 * alike, with the default limits; the right password still works once the wait is over. The app trusts the test's
 * own connection as a proxy, so each test speaks from a client address of its own (X-Forwarded-For), and its clock
 * stands still unless the test moves it, so counts are exact and a wait passes without waiting.
 */
@WithSamla(env = "SAMLA_TRUSTED_PROXIES=127.0.0.1")
class SignInThrottleTest {
  static final String PASSWORD = "grus-och-gran-vid-havet-9";
  static final TestClock clock = TestClock.stopped();
  static TestApp app;

  /** A new active member with {@link #PASSWORD}; returns the address. */
  static String member(String name) {
    String email = "throttle-" + System.nanoTime() + "@test.example";
    Db.exec(app.databaseUrl, "insert into staff_user (email, name, password_hash, role) values ('" + email + "', '" + name
        + "', '" + Db.argon2(PASSWORD) + "', 'organiser')");
    return email;
  }

  static WebClientSession from(String clientAddress) {
    WebClientSession browser = WebClientSession.create(app.client);
    browser.addHeader("X-Forwarded-For", clientAddress);
    return browser;
  }

  static HttpResponse<Buffer> login(WebClientSession browser, String email, String password) {
    String page = await(browser.get("/login").send()).bodyAsString();
    return await(browser.post("/login").sendForm(MultiMap.caseInsensitiveMultiMap()
        .add("X-XSRF-TOKEN", PageSession.csrf(page)).add("email", email).add("password", password).add("next", "/arrangor")));
  }

  static HttpResponse<Buffer> token(String clientAddress, String email, String password) {
    return await(app.client.post("/api/v1/auth/token").putHeader("X-Forwarded-For", clientAddress)
        .sendJsonObject(new JsonObject().put("email", email).put("password", password)));
  }

  static long retryAfter(HttpResponse<Buffer> r) {
    long seconds = Long.parseLong(r.getHeader("Retry-After"));
    assertTrue(seconds >= 1 && seconds <= 60, "a short wait after a few failures: " + seconds);
    return seconds;
  }

  @Test
  void theThirtiethWrongPasswordInARowOnTheLoginPageIs429AndTheOwnerIsToldOnce() {
    String email = member("Lotta Låst");
    WebClientSession browser = from("198.51.100.1");
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<Buffer> last = null;
    for (int i = 1; i <= 30; i++) {
      last = login(browser, email, "fel-losenord-nummer-" + i);
      statuses.add(last.statusCode());
    }
    assertEquals(List.of(422, 422, 422, 422, 422), statuses.subList(0, 5), "a few mistakes are free");
    assertTrue(statuses.subList(5, 30).stream().allMatch(s -> s == 429), statuses.toString());
    String html = last.bodyAsString();
    assertTrue(html.contains("För många misslyckade inloggningsförsök. Vänta "), html);
    assertTrue(html.contains("value=\"" + email + "\""), "the address is kept");
    assertFalse(html.contains("fel-losenord-nummer-30"), "the password is never sent back");
    long wait = retryAfter(last);

    assertEquals(429, login(browser, email, PASSWORD).statusCode(), "not even the right password before the wait");
    MimeMessage notice = Mails.await(app, email, 1).get(0);
    assertTrue(Mails.text(notice, "text/plain").contains("fel lösenord många gånger i rad"), "the owner hears of it");

    clock.advance(Duration.ofSeconds(wait));
    HttpResponse<Buffer> right = login(browser, email, PASSWORD);
    assertEquals(302, right.statusCode(), "the right password works after the wait");
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from outbox o join staff_user u"
        + " on u.id = (o.payload->>'staffId')::bigint where o.kind = 'account_locked' and u.email = '" + email + "'"),
        "told once, not once per refused attempt");
  }

  @Test
  void theThirtiethWrongPasswordInARowOnTheTokenEndpointIs429() {
    String email = member("Tore Token");
    HttpResponse<Buffer> last = null;
    List<Integer> statuses = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      last = token("198.51.100.2", email, "fel-losenord-nummer-" + i);
      statuses.add(last.statusCode());
    }
    assertEquals(List.of(401, 401, 401, 401, 401), statuses.subList(0, 5));
    assertEquals(429, last.statusCode());
    assertEquals("too_many_requests", last.bodyAsJsonObject().getString("error"));
    assertTrue(last.bodyAsJsonObject().getString("message").startsWith("För många misslyckade inloggningsförsök"));
    long wait = retryAfter(last);
    HttpResponse<Buffer> english = await(app.client.post("/api/v1/auth/token").putHeader("X-Forwarded-For", "198.51.100.2")
        .putHeader("Accept-Language", "en").sendJsonObject(new JsonObject().put("email", email).put("password", "x")));
    assertTrue(english.bodyAsJsonObject().getString("message").startsWith("Too many failed sign-in attempts. Wait "),
        english.bodyAsString());

    clock.advance(Duration.ofSeconds(wait));
    assertEquals(201, token("198.51.100.2", email, PASSWORD).statusCode(), "the right password works after the wait");
  }

  @Test
  void oneAddressGuessingAtManyAccountsIsStoppedAndASuccessInBetweenDoesNotRefillIt() {
    String own = member("Anna Angripare");
    String attacker = "198.51.100.3";
    for (int i = 1; i <= 20; i++) {
      assertEquals(401, token(attacker, "nobody-" + i + "-" + System.nanoTime() + "@test.example", "gissning-" + i).statusCode(),
          "unknown addresses count like known ones: " + i);
    }
    HttpResponse<Buffer> refused = token(attacker, "nobody-21@test.example", "gissning-21");
    assertEquals(429, refused.statusCode(), "20 failures a minute from one address");
    assertEquals(401, token("198.51.100.4", "nobody-22@test.example", "gissning").statusCode(), "another address is not held back");

    clock.advance(Duration.ofSeconds(retryAfter(refused)));
    assertEquals(201, token(attacker, own, PASSWORD).statusCode(), "signing in to one's own account");
    assertEquals(401, token(attacker, "nobody-23@test.example", "gissning-23").statusCode(), "the one token that came back");
    assertEquals(429, token(attacker, "nobody-24@test.example", "gissning-24").statusCode(),
        "the successful sign-in gave back only its own token");
  }

  @Test
  void theForgotPasswordFormIsLimitedPerAddressAndAnswersTheSameForEveryAddress() {
    WebClientSession browser = from("198.51.100.5");
    String known = member("Greta Glömsk");
    List<String> answers = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      String email = i == 3 ? known : "okand-" + i + "@test.example";
      String page = await(browser.get("/losenord/glomt").send()).bodyAsString();
      HttpResponse<Buffer> r = await(browser.post("/losenord/glomt").sendForm(MultiMap.caseInsensitiveMultiMap()
          .add("X-XSRF-TOKEN", PageSession.csrf(page)).add("email", email)));
      assertEquals(200, r.statusCode(), r.bodyAsString());
      answers.add(r.bodyAsString().replace(email, ""));
    }
    assertEquals(1, answers.stream().distinct().count(), "known or not, the same answer");
    String page = await(browser.get("/losenord/glomt").send()).bodyAsString();
    HttpResponse<Buffer> sixth = await(browser.post("/losenord/glomt").sendForm(MultiMap.caseInsensitiveMultiMap()
        .add("X-XSRF-TOKEN", PageSession.csrf(page)).add("email", known)));
    assertEquals(429, sixth.statusCode());
    assertTrue(sixth.bodyAsString().contains("många begäranden om nytt lösenord"), sixth.bodyAsString());
    assertTrue(sixth.bodyAsString().contains("value=\"" + known + "\""), "the address is kept");
    assertTrue(Long.parseLong(sixth.getHeader("Retry-After")) >= 1);
    assertEquals(1, Mails.await(app, known, 1).size(), "one link for the known address");
  }
}
