package se.hok.samla.followup;

import io.vertx.core.MultiMap;
import java.util.LinkedHashMap;
import java.util.Map;
import se.hok.samla.web.Msg;
import se.hok.samla.web.ValidationException;

/**
 * The survey form as sent: every field as typed, so a form with errors is shown again with nothing lost.
 * Free-text answers are optional, at most {@link #MAX_TEXT} characters each.
 */
public record FeedbackInput(String rating, String mostValuable, String improve, String futureInterest) {
  public static final int MAX_TEXT = 4000;
  /** The text fields, in form order. */
  public static final java.util.List<String> TEXT_FIELDS = java.util.List.of("mostValuable", "improve", "futureInterest");

  public static FeedbackInput fromForm(MultiMap form) {
    return new FeedbackInput(form.get("rating"), form.get("mostValuable"), form.get("improve"), form.get("futureInterest"));
  }

  public static FeedbackInput of(FeedbackService.Answer a) {
    return a == null ? new FeedbackInput(null, null, null, null)
        : new FeedbackInput(String.valueOf(a.rating()), a.mostValuable(), a.improve(), a.futureInterest());
  }

  public String text(String field) {
    return switch (field) {
      case "mostValuable" -> mostValuable;
      case "improve" -> improve;
      case "futureInterest" -> futureInterest;
      default -> throw new IllegalArgumentException(field);
    };
  }

  /** What is stored: rating 1–5, each comment trimmed, with line breaks as LF, or null when empty. */
  public record Data(int rating, String mostValuable, String improve, String futureInterest) {}

  public Data validate() {
    Map<String, Msg> errors = new LinkedHashMap<>();
    Integer r = null;
    String given = rating == null ? "" : rating.strip();
    if (given.isEmpty()) {
      errors.put("rating", Msg.of("feedback.error.ratingMissing"));
    } else if (!given.matches("[1-5]")) {
      errors.put("rating", Msg.of("feedback.error.ratingRange"));
    } else {
      r = Integer.parseInt(given);
    }
    String[] texts = new String[3];
    for (int i = 0; i < 3; i++) {
      String field = TEXT_FIELDS.get(i);
      String v = normalise(text(field));
      if (v != null) {
        // Counted as PostgreSQL counts (characters, not UTF-16 units), after CR LF became LF as the browser counts.
        int length = v.codePointCount(0, v.length());
        if (length > MAX_TEXT) {
          errors.put(field, Msg.of("feedback.error.tooLong", MAX_TEXT, length));
        } else if (v.indexOf('\0') >= 0) {
          errors.put(field, Msg.of("error.invalidCharacter"));
        }
      }
      texts[i] = v;
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new Data(r, texts[0], texts[1], texts[2]);
  }

  /** Trimmed, CR LF and CR as LF, null when empty. */
  static String normalise(String text) {
    if (text == null) {
      return null;
    }
    String v = text.replace("\r\n", "\n").replace('\r', '\n').strip();
    return v.isEmpty() ? null : v;
  }
}
