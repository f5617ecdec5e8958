package se.hok.samla.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.Mails;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;
import se.hok.samla.web.Tokens;

/**
 * New passwords: "Glömt lösenordet?" with a single-use link read from the real mail, "Byt lösenord", an admin's
 * reset link, and the password rules on every form. A new password ends the person's other sessions and tokens.
 */
@WithSamla
class PasswordPagesTest {
  static final String PASSWORD = "grus-och-gran-vid-havet-9";
  static final String NEW_PASSWORD = "tusen-tranor-over-sjon-4";
  static final Pattern LINK = Pattern.compile("https?://[^\\s\"<>]+(/losenord/nytt/[A-Za-z0-9_-]{43})");
  static TestApp app;

  static String member(String name) {
    String email = "pw-" + System.nanoTime() + "@test.example";
    Db.exec(app.databaseUrl, "insert into staff_user (email, name, password_hash, role) values ('" + email + "', '" + name
        + "', '" + Db.argon2(PASSWORD) + "', 'organiser')");
    return email;
  }

  static int api(String token) {
    return await(app.client.get("/api/v1/events/1/registrations").putHeader("Authorization", "Bearer " + token).send())
        .statusCode();
  }

  static HttpResponse<Buffer> login(String email, String password) {
    return PageSession.anonymous(app).post("/login", "/login", MultiMap.caseInsensitiveMultiMap()
        .add("email", email).add("password", password));
  }

  /** The reset link's path, from the last reset e-mail to the address. */
  static String linkIn(MimeMessage mail) {
    Matcher m = LINK.matcher(Mails.text(mail, "text/plain"));
    assertTrue(m.find(), "a reset link in the e-mail");
    return m.group(1);
  }

  @Test
  void aForgottenPasswordIsResetThroughALinkThatWorksOnceAndEndsEverySessionAndToken() {
    String email = member("Rut Återställ");
    PageSession signedIn = PageSession.signedIn(app, email, PASSWORD);
    String token = app.token(email, PASSWORD);
    assertEquals(200, signedIn.get("/arrangor").statusCode());

    assertTrue(PageSession.anonymous(app).get("/login").bodyAsString().contains("href=\"/losenord/glomt\""),
        "the login page offers it");
    HttpResponse<Buffer> asked = PageSession.anonymous(app).post("/losenord/glomt", "/losenord/glomt",
        MultiMap.caseInsensitiveMultiMap().add("email", email.toUpperCase()));
    assertEquals(200, asked.statusCode());
    assertTrue(asked.bodyAsString().contains("Kolla din e-post"));

    MimeMessage mail = Mails.await(app, email, 1).get(0);
    assertTrue(Mails.text(mail, "text/plain").contains("fungerar en gång och i en timme"));
    String link = linkIn(mail);
    String raw = link.substring(link.lastIndexOf('/') + 1);
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from password_reset where token_hash = '\\x"
        + HexFormat.of().formatHex(Tokens.sha256(raw)) + "' and expires_at between now() + interval '59 minutes'"
        + " and now() + interval '61 minutes'"), "only the hash is stored, and it works for an hour");
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from outbox where payload::text like '%" + raw + "%'"),
        "the token is in the e-mail only");

    PageSession person = PageSession.anonymous(app);
    HttpResponse<Buffer> form = person.get(link);
    assertEquals(200, form.statusCode());
    assertTrue(form.bodyAsString().contains("Du väljer ett nytt lösenord för " + email));
    HttpResponse<Buffer> weak = person.post(link, link, MultiMap.caseInsensitiveMultiMap().add("password", "sommar123456"));
    assertEquals(422, weak.statusCode());
    assertTrue(weak.bodyAsString().contains("Lösenordet"), weak.bodyAsString());
    HttpResponse<Buffer> done = person.post(link, link, MultiMap.caseInsensitiveMultiMap().add("password", NEW_PASSWORD));
    assertEquals(302, done.statusCode(), done.bodyAsString());
    assertEquals("/login?losenord=nytt", done.getHeader("Location"));
    assertTrue(person.get("/login?losenord=nytt").bodyAsString().contains("Ditt lösenord är bytt"));

    assertEquals(302, signedIn.get("/arrangor").statusCode(), "the session from before is over");
    assertEquals(401, api(token), "and so is the API token");
    assertEquals(422, login(email, PASSWORD).statusCode(), "the old password no longer works");
    assertEquals(302, login(email, NEW_PASSWORD).statusCode(), "the new one does");

    assertEquals(404, person.get(link).statusCode(), "the link works once");
    HttpResponse<Buffer> again = PageSession.anonymous(app).post("/losenord/glomt", link,
        MultiMap.caseInsensitiveMultiMap().add("password", "ett-annat-bra-losen-77"));
    assertEquals(404, again.statusCode());
    assertTrue(again.bodyAsString().contains("Länken fungerar inte längre"));
    assertEquals(302, login(email, NEW_PASSWORD).statusCode(), "the second try changed nothing");
    assertEquals(404, person.get("/losenord/nytt/" + "A".repeat(43)).statusCode(), "a made-up link");
  }

  @Test
  void anUnknownAddressGetsTheSameAnswerAndNoEmail() {
    String unknown = "ingen-" + System.nanoTime() + "@test.example";
    HttpResponse<Buffer> asked = PageSession.anonymous(app).post("/losenord/glomt", "/losenord/glomt",
        MultiMap.caseInsensitiveMultiMap().add("email", unknown));
    assertEquals(200, asked.statusCode());
    assertTrue(asked.bodyAsString().contains("Om det finns ett konto med den adressen"));
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from outbox where kind = 'password_reset'"
        + " and (payload->>'resetId')::bigint in (select r.id from password_reset r join staff_user u on u.id = r.staff_user_id"
        + " where u.email = '" + unknown + "')"));
  }

  @Test
  void changingThePasswordNeedsTheCurrentOneAndEndsTheOtherSessionsButNotThisOne() {
    String email = member("Bo Byter");
    PageSession here = PageSession.signedIn(app, email, PASSWORD);
    PageSession elsewhere = PageSession.signedIn(app, email, PASSWORD);
    String token = app.token(email, PASSWORD);
    assertTrue(here.get("/arrangor").bodyAsString().contains("href=\"/konto/losenord\""), "offered on every staff page");

    HttpResponse<Buffer> wrong = here.post("/konto/losenord", "/konto/losenord", MultiMap.caseInsensitiveMultiMap()
        .add("currentPassword", "inte-mitt-losenord").add("password", NEW_PASSWORD));
    assertEquals(422, wrong.statusCode());
    assertTrue(wrong.bodyAsString().contains("Det nuvarande lösenordet stämmer inte."));
    HttpResponse<Buffer> weak = here.post("/konto/losenord", "/konto/losenord", MultiMap.caseInsensitiveMultiMap()
        .add("currentPassword", PASSWORD).add("password", "password1234"));
    assertEquals(422, weak.statusCode());
    assertTrue(weak.bodyAsString().contains("ett av de vanligaste lösenorden"), "a common password, with the reason");
    HttpResponse<Buffer> personal = here.post("/konto/losenord", "/konto/losenord", MultiMap.caseInsensitiveMultiMap()
        .add("currentPassword", PASSWORD).add("password", "byter-ofta-och-garna-1"));
    assertEquals(422, personal.statusCode());
    assertTrue(personal.bodyAsString().contains("ditt namn eller din e-postadress"), personal.bodyAsString());

    HttpResponse<Buffer> changed = here.post("/konto/losenord", "/konto/losenord", MultiMap.caseInsensitiveMultiMap()
        .add("currentPassword", PASSWORD).add("password", NEW_PASSWORD));
    assertEquals(302, changed.statusCode(), changed.bodyAsString());
    assertTrue(here.get(changed.getHeader("Location")).bodyAsString().contains("Ditt lösenord är bytt"));
    assertEquals(200, here.get("/arrangor").statusCode(), "this session goes on");
    assertEquals(302, elsewhere.get("/arrangor").statusCode(), "the other one is over");
    assertEquals(401, api(token), "tokens stop");
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from web_session s join staff_user u"
        + " on u.id = s.staff_user_id where u.email = '" + email + "'"));
    assertEquals(302, login(email, NEW_PASSWORD).statusCode());
  }

  @Test
  void anAdminSendsAResetLinkAndCreatesNoAccountWithACommonPassword() {
    String email = member("Ada Admin-hjälp");
    Object id = Db.column(app.databaseUrl, "select id from staff_user where email = '" + email + "'").get(0);
    PageSession admin = PageSession.signedIn(app, TestApp.ADMIN_EMAIL, TestApp.ADMIN_PASSWORD);
    HttpResponse<Buffer> sent = admin.post("/admin/personal", "/admin/personal/" + id + "/losenord", MultiMap.caseInsensitiveMultiMap());
    assertEquals(302, sent.statusCode());
    assertTrue(admin.get(sent.getHeader("Location")).bodyAsString().contains("En länk för nytt lösenord har skickats till " + email));
    MimeMessage mail = Mails.await(app, email, 1).get(0);
    assertTrue(Mails.text(mail, "text/plain").contains("En administratör i Samla har skickat dig en länk"));
    linkIn(mail);
    assertEquals(403, PageSession.signedIn(app, email, PASSWORD).post("/arrangor", "/admin/personal/" + id + "/losenord",
        MultiMap.caseInsensitiveMultiMap()).statusCode(), "only admins send links");

    HttpResponse<Buffer> common = admin.post("/admin/personal", "/admin/personal", MultiMap.caseInsensitiveMultiMap()
        .add("email", "ny-" + System.nanoTime() + "@test.example").add("name", "Nils Ny").add("password", "password1234")
        .add("role", "viewer"));
    assertEquals(422, common.statusCode());
    assertTrue(common.bodyAsString().contains("Lösenordet är ett av de vanligaste lösenorden"), common.bodyAsString());
    assertFalse(common.bodyAsString().contains("password1234"), "the password is never sent back");
  }
}
