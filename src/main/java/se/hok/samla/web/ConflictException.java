package se.hok.samla.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request is valid but clashes with the current state (e.g. publishing a cancelled event). Maps to 409, with a
 * message per field when the clash is about one (e.g. an Idempotency-Key sent again with another request).
 */
public class ConflictException extends RuntimeException {
  private final String code;
  private final Msg message;
  private final Map<String, Msg> fields;

  public ConflictException(String code, Msg message) {
    this(code, message, Map.of());
  }

  public ConflictException(String code, Msg message, Map<String, Msg> fields) {
    super(code);
    this.code = code;
    this.message = message;
    this.fields = Map.copyOf(fields);
  }

  public String code() {
    return code;
  }

  public Msg msg() {
    return message;
  }

  /** Field messages translated. */
  public Map<String, String> fields(Lang lang) {
    Map<String, String> out = new LinkedHashMap<>();
    fields.forEach((field, msg) -> out.put(field, Messages.get(lang, msg)));
    return out;
  }
}
