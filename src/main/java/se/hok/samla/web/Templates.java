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
  private final PebbleEngine pebble;
  private final boolean devMail;

  public Templates(Vertx vertx, boolean devMail) {
    PebbleEngine pebble = pebble();
    this.engine = PebbleTemplateEngine.create(vertx, "peb", pebble);
    this.pebble = pebble;
    this.devMail = devMail;
  }

  /**
   * Whether templates are strict: a text key a template names but no bundle has, or a variable or attribute that is
   * not there ({@code {{ evnt.title }}}, an {@code {% if x %}} on a null), fails the page or e-mail (an exception, so a
   * 500 or a failed mail in a test) instead of rendering blank. The tests turn it on (system property
   * {@code samla.templates.strict}, set in the pom's surefire configuration); in production a page still renders.
   * So a value a template may go without is said so in the template ({@code is defined}, {@code default(…)}) or always
   * put in the model ({@link #render(RoutingContext, int, String, Map)} does so for what every page may use).
   */
  public static boolean strict() {
    return Boolean.getBoolean("samla.templates.strict");
  }

  /** The pages' Pebble engine, strict or not as {@link #strict()} says. */
  static PebbleEngine pebble() {
    return pebble(strict());
  }

  static PebbleEngine pebble(boolean strict) {
    // A plain classpath loader: template names are paths from the classpath root, wherever they are used.
    return new PebbleEngine.Builder()
        .loader(new ClasspathLoader(Templates.class.getClassLoader()))
        .strictVariables(strict)
        .build();
  }

  /** The texts of a language as templates read them: {@code t['key']}. */
  public static Map<String, String> texts(Lang lang) {
    Map<String, String> all = Messages.all(lang);
    return strict() ? new StrictTexts(all) : all;
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

  /**
   * A model entry that holds a form's fields, by field name: named {@code errors} or ending in {@code Errors} (field →
   * message), or named {@code input} or ending in {@code Input} and a map (field → what was typed).
   */
  private static boolean isFormMap(String key, Object value) {
    boolean errors = key.equals("errors") || key.endsWith("Errors");
    boolean input = key.equals("input") || key.endsWith("Input");
    return value == null ? errors : (errors || input) && value instanceof Map;
  }

  /**
   * A form's map as templates read it: {@code errors[field]} is the field's message, {@code input[field]} what was
   * typed, or null when there is none (a field without an error, or not yet typed in, is no missing variable, also in
   * strict templates); iterating gives only the fields that are there, for the error summary.
   */
  private static final class FormFields extends java.util.AbstractMap<Object, Object> {
    private final Map<?, ?> fields;

    FormFields(Map<?, ?> fields) {
      this.fields = fields == null ? Map.of() : fields;
    }

    @Override
    public Object get(Object field) {
      return fields.get(field);
    }

    /** Every field "has" an entry: its value, or null. */
    @Override
    public boolean containsKey(Object field) {
      return field instanceof String;
    }

    @Override
    @SuppressWarnings("unchecked")
    public java.util.Set<Entry<Object, Object>> entrySet() {
      return (java.util.Set<Entry<Object, Object>>) (java.util.Set<?>) fields.entrySet();
    }
  }

  /**
   * Compiles every page template now, so that no page's first visit compiles on an event loop (reading the class
   * path and compiling a template with its imports takes long enough for Vert.x to warn of a blocked thread). Blocking:
   * called once at start, on a worker thread. Returns this.
   */
  public Templates compileAll() {
    for (String name : pageTemplates()) {
      pebble.getTemplate(name);
    }
    return this;
  }

  /** The names of the page templates ({@code templates/….peb}, mail templates aside), in the jar or a directory. */
  static java.util.List<String> pageTemplates() {
    java.net.URL root = Templates.class.getClassLoader().getResource("templates");
    if (root == null) {
      return java.util.List.of();
    }
    try {
      java.net.URI uri = root.toURI();
      if ("jar".equals(uri.getScheme())) {
        try (java.nio.file.FileSystem jar = java.nio.file.FileSystems.newFileSystem(uri, Map.of())) {
          return names(jar.getPath("/templates"));
        } catch (java.nio.file.FileSystemAlreadyExistsException e) {
          return names(java.nio.file.FileSystems.getFileSystem(uri).getPath("/templates"));
        }
      }
      return names(java.nio.file.Path.of(uri));
    } catch (java.net.URISyntaxException | java.io.IOException e) {
      throw new IllegalStateException("Cannot list the page templates", e);
    }
  }

  private static java.util.List<String> names(java.nio.file.Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".peb"))
          .map(f -> "templates/" + dir.relativize(f).toString().replace('\\', '/'))
          .filter(n -> !n.startsWith("templates/mail/"))
          .sorted().toList();
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
    // What the layout and the form macros read on every page, there even when a page has nothing to say in it (the
    // templates are strict in the tests): the field errors (none), the error links (none). A form's maps answer for
    // every field.
    data.putIfAbsent("errors", Map.of());
    data.replaceAll((key, value) -> isFormMap(key, value) ? new FormFields((Map<?, ?>) value) : value);
    if (data.get("errorLinks") == null) {
      data.put("errorLinks", java.util.List.of());
    }
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
