package se.hok.samla.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/** The default mode's mail catcher shows every e-mail, manage links and all: admins only. */
@WithSamla
class DevMailPagesTest {
  static TestApp app;

  @Test
  void onlyAnAdminMayReadTheCaughtMail() {
    var anonymous = PageSession.anonymous(app).get("/dev/mail");
    assertEquals(302, anonymous.statusCode());
    assertTrue(anonymous.getHeader("Location").startsWith("/login"), anonymous.getHeader("Location"));
    assertEquals(302, PageSession.anonymous(app).get("/dev/mail/0/html").statusCode());
    assertEquals(403, PageSession.staff(app, "organiser").get("/dev/mail").statusCode());
    assertEquals(403, PageSession.staff(app, "checkin").get("/dev/mail/0").statusCode());
    var admin = PageSession.staff(app, "admin").get("/dev/mail");
    assertEquals(200, admin.statusCode());
  }
}
