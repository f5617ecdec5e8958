package se.hok.samla.web;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the contract would have refused (a missing field, a wrong JSON type, a string over its maxLength), found
 * by a handler that checks its own input. Maps to 400 with one message per field, like the contract's validation.
 */
public class BadRequestException extends RuntimeException {
  private final Map<String, Msg> fields;

  public BadRequestException(Map<String, Msg> fields) {
    super("Bad request: " + fields.keySet(), null, false, false);
    this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  public Map<String, String> messages(Lang lang) {
    Map<String, String> out = new LinkedHashMap<>();
    fields.forEach((field, msg) -> out.put(field, Messages.get(lang, msg)));
    return out;
  }
}
