package se.hok.samla.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The texts of pages, e-mails and error messages: one bundle per feature ({@code i18n/BUNDLE_sv.properties} and
 * {@code _en}), merged; a key must be unique across bundles.
 */
public final class Messages {
  private static final List<String> BUNDLES = List.of("messages", "registration", "organiser", "mail", "checkin", "followup",
      "feedback", "access", "security", "notices", "accessibility", "plan", "group", "rooms");
  private static final Map<Lang, Map<String, String>> TEXTS = new EnumMap<>(Lang.class);

  static {
    for (Lang lang : Lang.values()) {
      Map<String, String> all = new HashMap<>();
      for (String bundle : BUNDLES) {
        Map<String, String> texts = load("i18n/" + bundle + "_" + lang.code() + ".properties");
        for (String key : texts.keySet()) {
          if (all.containsKey(key)) {
            throw new IllegalStateException("Text " + key + " is defined twice (" + bundle + ")");
          }
        }
        all.putAll(texts);
      }
      TEXTS.put(lang, Collections.unmodifiableMap(all));
    }
  }

  private Messages() {}

  public static Map<String, String> all(Lang lang) {
    return TEXTS.get(lang);
  }

  /** The text for {@code key} in {@code lang}, falling back to Swedish, then to the key itself. */
  public static String get(Lang lang, String key, Object... args) {
    String pattern = TEXTS.get(lang).get(key);
    if (pattern == null) {
      pattern = TEXTS.get(Lang.SV).getOrDefault(key, key);
    }
    return args.length == 0 ? pattern : new MessageFormat(pattern, lang.locale()).format(args);
  }

  public static String get(Lang lang, Msg msg) {
    return get(lang, msg.key(), msg.args());
  }

  private static Map<String, String> load(String resource) {
    try (InputStream in = Messages.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return Map.of();
      }
      Properties props = new Properties();
      props.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      Map<String, String> map = new HashMap<>();
      props.forEach((k, v) -> map.put((String) k, (String) v));
      return map;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
