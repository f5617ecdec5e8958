package se.hok.samla.support;

import static se.hok.samla.support.TestApp.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientSession;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser-like HTTP session for page tests: keeps cookies, reads the CSRF token from forms, signs in. */
public final class PageSession {
  private static final Pattern CSRF = Pattern.compile("name=\"X-XSRF-TOKEN\" value=\"([^\"]*)\"");
  private static final Pattern ENTITY = Pattern.compile("&#(x?)([0-9a-fA-F]+);");

  public final WebClientSession client;
  private final TestApp app;
  private String email;

  private PageSession(TestApp app) {
    this.client = WebClientSession.create(app.client);
    this.app = app;
  }

  /** The e-mail address signed in with; null for an anonymous session. */
  public String email() {
    return email;
  }

  /** Puts the signed-in person on the event's staff ({@code organiser} or {@code door}); returns this session. */
  public PageSession assign(long eventId, String duty) {
    app.assignEmail(eventId, email, duty);
    return this;
  }

  public static PageSession anonymous(TestApp app) {
    return new PageSession(app);
  }

  /** Signed in through the login form, as a person would. */
  public static PageSession signedIn(TestApp app, String email, String password) {
    PageSession session = new PageSession(app);
    HttpResponse<Buffer> r = session.post("/login", "/login", MultiMap.caseInsensitiveMultiMap()
        .add("email", email).add("password", password).add("next", "/arrangor"));
    if (r.statusCode() != 302) {
      throw new IllegalStateException("Login failed: " + r.statusCode());
    }
    session.email = email;
    return session;
  }

  /** A new staff member with this role, signed in. */
  public static PageSession staff(TestApp app, String role) {
    String email = role + "-" + System.nanoTime() + "@test.example";
    String password = "password-for-" + role + "-123";
    Db.exec(app.databaseUrl, "insert into staff_user (email, name, password_hash, role) values ('" + email + "', 'Test "
        + role + "', '" + Db.argon2(password) + "', '" + role + "')");
    return signedIn(app, email, password);
  }

  public HttpResponse<Buffer> get(String path) {
    return await(client.get(path).send());
  }

  /** Opens {@code formPage} for its CSRF token, then posts {@code form} to {@code action} with it. */
  public HttpResponse<Buffer> post(String formPage, String action, MultiMap form) {
    form.set("X-XSRF-TOKEN", csrf(get(formPage).bodyAsString()));
    return await(client.post(action).sendForm(form));
  }

  /** The CSRF token of the first form on the page, as the browser would send it (attribute entities decoded). */
  public static String csrf(String html) {
    Matcher m = CSRF.matcher(html == null ? "" : html);
    if (!m.find()) {
      throw new AssertionError("no CSRF field on the page: " + html);
    }
    return unescape(m.group(1));
  }

  /** An HTML attribute value as the browser reads it: Pebble writes + / = and friends as entities. */
  public static String unescape(String s) {
    Matcher m = ENTITY.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      int code = Integer.parseInt(m.group(2), m.group(1).isEmpty() ? 10 : 16);
      m.appendReplacement(out, Matcher.quoteReplacement(new String(Character.toChars(code))));
    }
    m.appendTail(out);
    return out.toString().replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }
}
