package se.hok.samla.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/** The admin manages staff; passwords are Argon2id; a closed account is closed everywhere. */
@WithSamla
class StaffPagesTest {
  static TestApp app;
  static PageSession admin;

  @BeforeAll
  static void start() {
    admin = PageSession.signedIn(app, TestApp.ADMIN_EMAIL, TestApp.ADMIN_PASSWORD);
  }

  static HttpResponse<Buffer> create(String email, String name, String password, String role) {
    return admin.post("/admin/personal", "/admin/personal", MultiMap.caseInsensitiveMultiMap()
        .add("email", email).add("name", name).add("password", password).add("role", role));
  }

  @Test
  void anAdminAddsAnOrganiserWhoCanThenSignIn() {
    assertEquals(302, create("organiser1@test.example", "Olle Organisatör", "a-long-password-1", "organiser").statusCode());
    String hash = (String) Db.column(app.databaseUrl, "select password_hash from staff_user where email = 'organiser1@test.example'").get(0);
    assertTrue(hash.startsWith("$argon2id$"), hash);
    PageSession olle = PageSession.signedIn(app, "ORGANISER1@test.example", "a-long-password-1");
    assertEquals(200, olle.get("/arrangor/evenemang/ny").statusCode());
    assertEquals(403, olle.get("/admin/personal").statusCode(), "organisers do not manage staff");
  }

  @Test
  void mistakesComeBackAtTheirFields() {
    HttpResponse<Buffer> r = create("not-an-address", "", "short", "boss");
    assertEquals(422, r.statusCode());
    String html = r.bodyAsString();
    for (String message : List.of("Ange en e-postadress", "Skriv personens namn", "minst 12 tecken", "Välj en roll")) {
      assertTrue(html.contains(message), message);
    }
    assertTrue(html.contains("value=\"not-an-address\""), "input kept");
    assertFalse(html.contains("short"), "the password is never sent back");
    create("twice@test.example", "Först", "a-long-password-2", "viewer");
    HttpResponse<Buffer> again = create("TWICE@test.example", "Sedan", "a-long-password-3", "viewer");
    assertEquals(422, again.statusCode());
    assertTrue(again.bodyAsString().contains("Det finns redan ett konto"));
  }

  @Test
  void aClosedAccountCannotSignInAndItsTokensStop() {
    create("leaving@test.example", "Lena Lämnar", "a-long-password-4", "organiser");
    String token = app.token("leaving@test.example", "a-long-password-4");
    Object id = Db.column(app.databaseUrl, "select id from staff_user where email = 'leaving@test.example'").get(0);
    HttpResponse<Buffer> closed = admin.post("/admin/personal", "/admin/personal/" + id,
        MultiMap.caseInsensitiveMultiMap().add("role", "organiser"));
    assertEquals(302, closed.statusCode());
    HttpResponse<Buffer> login = PageSession.anonymous(app).post("/login", "/login", MultiMap.caseInsensitiveMultiMap()
        .add("email", "leaving@test.example").add("password", "a-long-password-4"));
    assertEquals(422, login.statusCode());
    assertEquals(401, TestApp.await(app.client.get("/api/v1/events/1/registrations")
        .putHeader("Authorization", "Bearer " + token).send()).statusCode());
  }

  @Test
  void anAdminCannotLockThemselvesOut() {
    Object id = Db.column(app.databaseUrl, "select id from staff_user where email = '" + TestApp.ADMIN_EMAIL + "'").get(0);
    HttpResponse<Buffer> r = admin.post("/admin/personal", "/admin/personal/" + id,
        MultiMap.caseInsensitiveMultiMap().add("role", "viewer").add("active", "true"));
    assertEquals(409, r.statusCode());
    assertTrue(r.bodyAsString().contains("egen administratörsroll"));
    assertEquals(List.of("admin"), Db.column(app.databaseUrl, "select role from staff_user where id = " + id));
  }

  @Test
  void signingOutEndsTheSession() {
    PageSession session = PageSession.staff(app, "organiser");
    assertEquals(200, session.get("/arrangor").statusCode());
    assertEquals(302, session.post("/arrangor", "/logout", MultiMap.caseInsensitiveMultiMap()).statusCode());
    assertEquals(302, session.get("/arrangor").statusCode(), "back to the login page");
  }
}
