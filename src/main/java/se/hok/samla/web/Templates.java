package se.hok.samla.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.common.template.TemplateEngine;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.vertx.ext.web.templ.pebble.PebbleTemplateEngine;
import java.util.HashMap;
import java.util.Map;

/**
 * Server-rendered pages (Pebble, HTML auto-escaped). Every page gets the texts of its language ({@code t}),
 * the language, the CSRF token for its forms and the signed-in staff member, if any.
 */
public final class Templates {
  public static final String CSRF_KEY = "X-XSRF-TOKEN";
  /** Set on the routing context by the staff package when someone is signed in. */
  public static final String STAFF_KEY = "samla.staff";

  private final TemplateEngine engine;
  private final boolean devMail;

  public Templates(Vertx vertx, boolean devMail) {
    // A plain classpath loader: template names are paths from the classpath root, wherever they are used.
    PebbleEngine pebble = new PebbleEngine.Builder()
        .loader(new ClasspathLoader(Templates.class.getClassLoader()))
        .strictVariables(false)
        .build();
    this.engine = PebbleTemplateEngine.create(vertx, "peb", pebble);
    this.devMail = devMail;
  }

  /**
   * Whether a text key a template names but no bundle has fails the page (an exception, so a 500 in a test) instead
   * of rendering blank. The tests turn it on (system property {@code samla.texts.strict}, set in the pom's surefire
   * configuration); in production a page with a missing text still renders. (Pebble's own strictVariables would also
   * refuse every form's absent {@code errors[field]}, on which the templates rely.)
   */
  public static boolean strictTexts() {
    return Boolean.getBoolean("samla.texts.strict");
  }

  /** The texts of a language as templates read them: {@code t['key']}. */
  public static Map<String, String> texts(Lang lang) {
    Map<String, String> all = Messages.all(lang);
    return strictTexts() ? new StrictTexts(all) : all;
  }

  /** Texts that refuse a key they do not have. */
  private static final class StrictTexts extends java.util.AbstractMap<String, String> {
    private final Map<String, String> texts;

    StrictTexts(Map<String, String> texts) {
      this.texts = texts;
    }

    @Override
    public String get(Object key) {
      String text = texts.get(key);
      if (text == null) {
        throw new IllegalArgumentException("No text " + key + " in i18n/*.properties");
      }
      return text;
    }

    @Override
    public boolean containsKey(Object key) {
      return texts.containsKey(key);
    }

    @Override
    public java.util.Set<Entry<String, String>> entrySet() {
      return texts.entrySet();
    }
  }

  public Future<Void> render(RoutingContext ctx, String template, Map<String, Object> model) {
    return render(ctx, 200, template, model);
  }

  /** This page in the other language: the same address and query (for a GET), with lang swapped. */
  static String langUrl(RoutingContext ctx, String other) {
    StringBuilder url = new StringBuilder(ctx.request().path()).append("?lang=").append(other);
    if ("GET".equals(ctx.request().method().name())) {
      ctx.queryParams().forEach((k, v) -> {
        if (!k.equals("lang")) {
          url.append('&').append(java.net.URLEncoder.encode(k, java.nio.charset.StandardCharsets.UTF_8))
              .append('=').append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
        }
      });
    }
    return url.toString();
  }

  public Future<Void> render(RoutingContext ctx, int status, String template, Map<String, Object> model) {
    Lang lang = Lang.of(ctx);
    Map<String, Object> data = new HashMap<>(model);
    data.put("t", texts(lang));
    data.put("lang", lang.code());
    data.put("otherLang", lang == Lang.SV ? "en" : "sv");
    data.put("csrf", ctx.get(CSRF_KEY));
    data.put("staff", ctx.get(STAFF_KEY));
    data.put("path", ctx.request().path());
    data.put("langUrl", langUrl(ctx, lang == Lang.SV ? "en" : "sv"));
    data.put("devMail", devMail);
    return engine.render(data, "templates/" + template + ".peb")
        .compose(html -> ctx.response()
            .setStatusCode(status)
            .putHeader("Content-Type", "text/html; charset=utf-8")
            .putHeader("Cache-Control", "no-store")
            .end(html));
  }
}
