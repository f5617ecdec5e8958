package se.hok.samla.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.LanguageHeader;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/** The two languages of Samla: Swedish first, English second. */
public enum Lang {
  SV, EN;

  private static final String COOKIE = "samla_lang";
  private static final String KEY = "samla.lang";

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public Locale locale() {
    return this == SV ? Locale.forLanguageTag("sv-SE") : Locale.forLanguageTag("en-GB");
  }

  public static Lang parse(String code, Lang fallback) {
    if (code == null) {
      return fallback;
    }
    return switch (code.trim().toLowerCase(Locale.ROOT)) {
      case "sv" -> SV;
      case "en" -> EN;
      default -> fallback;
    };
  }

  /** The language of this request, as resolved by {@link #handler(boolean)}. */
  public static Lang of(RoutingContext ctx) {
    Lang lang = ctx.get(KEY);
    return lang == null ? SV : lang;
  }

  /**
   * Resolves the language: {@code ?lang=} (which sticks in a cookie), then the cookie, then the browser's
   * Accept-Language, then Swedish.
   */
  public static io.vertx.core.Handler<RoutingContext> handler(boolean secureCookies) {
    return ctx -> {
      Lang lang = null;
      String param = ctx.request().getParam("lang");
      if (param != null) {
        lang = parse(param, null);
        if (lang != null) {
          ctx.response().addCookie(Cookie.cookie(COOKIE, lang.code())
              .setPath("/").setMaxAge(365L * 24 * 3600).setHttpOnly(true)
              .setSecure(secureCookies).setSameSite(CookieSameSite.LAX));
        }
      }
      if (lang == null) {
        Cookie cookie = ctx.request().getCookie(COOKIE);
        lang = cookie == null ? null : parse(cookie.getValue(), null);
      }
      if (lang == null) {
        for (LanguageHeader header : ctx.acceptableLanguages()) {
          Lang candidate = parse(header.tag(), null);
          if (candidate != null) {
            lang = candidate;
            break;
          }
        }
      }
      ctx.put(KEY, lang == null ? SV : lang);
      ctx.next();
    };
  }
}
