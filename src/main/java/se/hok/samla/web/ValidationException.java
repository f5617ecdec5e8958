package se.hok.samla.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

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

  /**
   * What a form's page does when its input is refused: {@code showAgain} renders the same form again (status 422) with
   * what was typed and each field's message, in the visitor's language; any other failure goes to {@link Failures}.
   * For {@code .onFailure(…)} after the service call.
   */
  public static Handler<Throwable> formAgain(RoutingContext ctx, Consumer<Map<String, String>> showAgain) {
    return err -> {
      if (err instanceof ValidationException v) {
        showAgain.accept(v.messages(Lang.of(ctx)));
      } else {
        ctx.fail(err);
      }
    };
  }
}
