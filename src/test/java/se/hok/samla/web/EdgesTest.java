package se.hok.samla.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientSession;
import io.vertx.ext.web.sstore.SessionStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import se.hok.samla.staff.PgSessionStore;
import se.hok.samla.support.Db;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * The edges an attacker pokes at: where signing in sends you, numbers in query strings, what the public port
 * serves, HTTPS-only for an https address, and session rows only for those who signed in.
 */
@WithSamla
class EdgesTest {
  static TestApp app;

  @Test
  void nextIsALocalPathOrNothing() {
    assertEquals(Optional.of("/arrangor/evenemang/ny?x=1"), LocalPath.of("/arrangor/evenemang/ny?x=1"));
    assertEquals(Optional.of("/evenemang/%C3%A5"), LocalPath.of("/evenemang/å"), "written as ASCII");
    for (String foreign : List.of("/\t/evil.example", "/\n/x", "/\r\n/x", "//evil.example", "/\\evil.example",
        "\\\\evil.example", "https://evil.example/", "javascript:alert(1)", "evil.example", "/ /x", "/\u2028/x", "")) {
      assertEquals(Optional.empty(), LocalPath.of(foreign), foreign);
    }
  }

  @Test
  void signingInNeverLeavesTheSite() throws Exception {
    PageSession admin = PageSession.signedIn(app, TestApp.ADMIN_EMAIL, TestApp.ADMIN_PASSWORD);
    Map<String, String> expected = Map.of(
        "/login?next=/%09/evil.example", "/arrangor",
        "/login?next=/%0A/x", "/arrangor",
        "/login?next=/%0D%0ASet-Cookie:%20x=1", "/arrangor",
        "/login?next=%2F%2Fevil.example", "/arrangor",
        "/login?next=/%5Cevil.example", "/arrangor",
        "/login?next=%2Farrangor%2Fevenemang%2Fny", "/arrangor/evenemang/ny");
    expected.forEach((path, location) -> {
      HttpResponse<Buffer> r = admin.get(path);
      assertEquals(302, r.statusCode(), path);
      assertEquals(location, r.getHeader("Location"), path);
    });
    // Signing in with a line break in next: at once, on the site (it used to hang for a minute).
    for (String next : List.of("/\n/x", "/\t/evil.example")) {
      long started = System.nanoTime();
      HttpResponse<Buffer> r = PageSession.anonymous(app).post("/login", "/login", MultiMap.caseInsensitiveMultiMap()
          .add("email", TestApp.ADMIN_EMAIL).add("password", TestApp.ADMIN_PASSWORD).add("next", next));
      assertEquals(302, r.statusCode());
      assertEquals("/arrangor", r.getHeader("Location"));
      assertTrue(System.nanoTime() - started < 10_000_000_000L, "no hang");
    }
    assertTrue(PageSession.anonymous(app).get("/login?next=/%09/evil.example").bodyAsString()
        .contains("name=\"next\" value=\"/arrangor\""), "the form carries only a local path");
  }

  @Test
  void aHeaderValueVertxRefusesIsTheClientsMistake() {
    IllegalArgumentException refused = null;
    try {
      HttpHeaders.headers().set("Location", "/a\nb");
    } catch (IllegalArgumentException e) {
      refused = e;
    }
    assertTrue(refused != null && Failures.isInvalidHeaderValue(refused), "a 400, in one place");
    assertFalse(Failures.isInvalidHeaderValue(new IllegalArgumentException("a fault of ours")), "still a 500");
  }

  @Test
  void aNumberTooBigForAnIdInAQueryStringIs400WithTheField() {
    String token = app.tokenFor("checkin");
    long eventId = PublishedEvent.by(app, app.tokenFor("organiser")).publishId();
    app.assign(eventId, token, "door");
    for (String value : List.of("99999999999999999999", "9223372036854775808", "12abc", "-1", "0")) {
      HttpResponse<Buffer> r = await(app.client.get("/api/v1/events/" + eventId + "/attendees?q=a&sessionId=" + value)
          .putHeader("Authorization", "Bearer " + token).send());
      assertEquals(400, r.statusCode(), value + ": " + r.bodyAsString());
      assertTrue(r.bodyAsJsonObject().getJsonObject("fields").containsKey("sessionId"), r.bodyAsString());
    }
    assertEquals(200, await(app.client.get("/api/v1/events/" + eventId + "/attendees?q=a&sessionId=9223372036854775807")
        .putHeader("Authorization", "Bearer " + token).send()).statusCode(), "the largest id is still an id");
  }

  @Test
  void metricsAreOnlyOnTheManagementPortOnLoopback() {
    assertEquals(404, await(app.client.get("/metrics").send()).statusCode(), "not on the public port");
    var management = app.running.config().management();
    assertEquals("127.0.0.1", management.host());
    HttpResponse<Buffer> metrics = await(app.client.get(management.port(), "127.0.0.1", "/metrics").send());
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.getHeader("Content-Type").startsWith("text/plain"));
    assertTrue(metrics.bodyAsString().contains("# TYPE"), "Prometheus exposition format");
    assertEquals(200, await(app.client.get(management.port(), "127.0.0.1", "/health").send()).statusCode());
  }

  @Test
  void browsersAreToldToUseHttpsOnlyWhenThePublicAddressIsHttps() {
    assertNull(await(app.client.get("/").send()).getHeader("Strict-Transport-Security"), "not for http");
    try (TestApp https = TestApp.start(Map.of("SAMLA_PUBLIC_URL", "https://samla.example", "SAMLA_MANAGEMENT_PORT", "off"))) {
      HttpResponse<Buffer> page = await(https.client.get("/").send());
      assertEquals("max-age=31536000", page.getHeader("Strict-Transport-Security"));
      assertEquals("max-age=31536000", await(https.client.get("/api/v1/events").send()).getHeader("Strict-Transport-Security"));
      assertFalse(https.running.config().management().enabled(), "off means no management port");
    }
  }

  @Test
  void onlySignedInStaffHaveASessionRow() {
    String sessions = "select count(*) from web_session";
    long before = (Long) Db.column(app.databaseUrl, sessions).get(0);
    WebClientSession visitor = WebClientSession.create(app.client);
    for (String path : List.of("/login", "/arrangor", "/admin/personal", "/uppfoljning", "/konto/losenord", "/login?next=/arrangor")) {
      HttpResponse<Buffer> r = await(visitor.get(path).send());
      assertTrue(r.statusCode() == 200 || r.statusCode() == 302, path + " " + r.statusCode());
      assertTrue(r.cookies().stream().noneMatch(c -> c.startsWith("samla_session=")), "no session cookie for " + path + ": " + r.cookies());
    }
    HttpResponse<Buffer> wrong = PageSession.anonymous(app).post("/login", "/login", MultiMap.caseInsensitiveMultiMap()
        .add("email", TestApp.ADMIN_EMAIL).add("password", "inte-ratt-losenord"));
    assertEquals(422, wrong.statusCode());
    assertEquals(List.of(before), Db.column(app.databaseUrl, sessions), "no row for anonymous visits or a failed sign-in");

    PageSession admin = PageSession.signedIn(app, TestApp.ADMIN_EMAIL, TestApp.ADMIN_PASSWORD);
    assertEquals(List.of(before + 1), Db.column(app.databaseUrl, sessions), "signing in makes one");
    assertEquals(List.of(before + 1), Db.column(app.databaseUrl, "select count(*) from web_session s join staff_user u"
        + " on u.id = s.staff_user_id where u.role = 'admin'"), "with whose it is");
    assertEquals(302, admin.post("/arrangor", "/logout", MultiMap.caseInsensitiveMultiMap()).statusCode());
    assertEquals(List.of(before), Db.column(app.databaseUrl, sessions), "signing out removes it");
  }

  /**
   * Vert.x writes a session back after every request that used it, as the answer goes out, without waiting. A request
   * still running when the same cookie signs out (the page the user left by clicking "Logga ut", or a thief's request
   * with a stolen copy of the cookie) writes back after the sign-out: that write must not bring the session back.
   */
  @Test
  void aRequestStillRunningWhenSigningOutDoesNotBringTheSessionBack() {
    PageSession admin = PageSession.signedIn(app, TestApp.ADMIN_EMAIL, TestApp.ADMIN_PASSWORD);
    String id = sessionCookie(admin);
    SessionStore store = new PgSessionStore(app.running.database().pool()).init(app.vertx, new JsonObject());
    try {
      Session running = await(store.get(id));
      assertEquals(302, admin.post("/arrangor", "/logout", MultiMap.caseInsensitiveMultiMap()).statusCode());
      assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from web_session where id = '" + id + "'"),
          "gone when the browser is told it is signed out");

      await(store.put(running));  // the running request's write-back, after the sign-out
      assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from web_session where id = '" + id + "'"),
          "still gone");
      HttpResponse<Buffer> r = await(app.client.get("/arrangor").putHeader("Cookie", "samla_session=" + id).send());
      assertEquals(302, r.statusCode(), "a copy of the cookie signs nobody in");
      assertTrue(r.getHeader("Location").startsWith("/login"), r.getHeader("Location"));
    } finally {
      store.close();
    }
  }

  private static String sessionCookie(PageSession session) {
    for (var c : session.client.cookieStore().get(false, "localhost", "/")) {
      if (c.name().equals("samla_session")) {
        return c.value();
      }
    }
    throw new AssertionError("not signed in");
  }
}
