package se.hok.samla.support;

/**
 * A staff account made for a test, with what a test needs to act as it: its id (to put it on an event's staff),
 * an API token and a signed-in page session.
 */
public record StaffAccount(long id, String email, String password, String role, String token, PageSession session) {

  /** A new active account with this role, signed in on the pages and holding an API token. */
  public static StaffAccount create(TestApp app, String role) {
    String email = role + "-" + System.nanoTime() + "@test.example";
    String password = "password-for-" + role + "-123";
    long id = ((Number) Db.column(app.databaseUrl, "insert into staff_user (email, name, password_hash, role) values ('"
        + email + "', 'Test " + role + "', '" + Db.argon2(password) + "', '" + role + "') returning id").get(0)).longValue();
    return new StaffAccount(id, email, password, role, app.token(email, password), PageSession.signedIn(app, email, password));
  }

  /** The admin the test app starts with. */
  public static StaffAccount admin(TestApp app) {
    long id = ((Number) Db.column(app.databaseUrl, "select id from staff_user where email = '" + TestApp.ADMIN_EMAIL + "'")
        .get(0)).longValue();
    return new StaffAccount(id, TestApp.ADMIN_EMAIL, TestApp.ADMIN_PASSWORD, "admin", app.adminToken(),
        PageSession.signedIn(app, TestApp.ADMIN_EMAIL, TestApp.ADMIN_PASSWORD));
  }
}
