package se.hok.samla.web;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Input a person can correct: one message per field, in form order. Maps to 422 (API) or the form again (pages). */
public class ValidationException extends RuntimeException {
  private final Map<String, Msg> fields;

  public ValidationException(Map<String, Msg> fields) {
    super("Invalid input: " + fields.keySet(), null, false, false);
    this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  public static ValidationException of(String field, String key, Object... args) {
    return new ValidationException(Map.of(field, Msg.of(key, args)));
  }

  /** The fields and their messages, in the order reported. */
  public Map<String, Msg> fields() {
    return fields;
  }

  /** The same errors on fields of one item of a list, e.g. {@code people[2].} + {@code email}. */
  public ValidationException prefixed(String prefix) {
    Map<String, Msg> out = new LinkedHashMap<>();
    fields.forEach((field, msg) -> out.put(prefix + field, msg));
    return new ValidationException(out);
  }

  /** Field messages translated, in the order the fields were reported. */
  public Map<String, String> messages(Lang lang) {
    Map<String, String> out = new LinkedHashMap<>();
    fields.forEach((field, msg) -> out.put(field, Messages.get(lang, msg)));
    return out;
  }
}
