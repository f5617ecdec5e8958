package se.hok.samla.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects field errors while input is checked, so a person sees every problem at once, not one per try.
 *
 * <p>Checks made for a form ({@link #forForm}) say what to do for that field (GOV.UK): a message the same for every
 * field, such as {@code error.required} ("Fyll i det här fältet."), becomes the field's own when there is a text
 * {@code error.required.FORM.FIELD} (list indexes left out: {@code sessions[2].title} → {@code sessions.title}), e.g.
 * "Välj vilken typ av evenemang det är." for a list, "Ange när evenemanget börjar." for a date and time.
 */
public final class FieldChecks {
  private final Map<String, Msg> errors = new LinkedHashMap<>();
  private final String form;

  public FieldChecks() {
    this(null);
  }

  private FieldChecks(String form) {
    this.form = form;
  }

  /** Checks of one form (e.g. {@code "event"}), whose fields may have messages of their own. */
  public static FieldChecks forForm(String form) {
    return new FieldChecks(form);
  }

  public FieldChecks add(String field, String key, Object... args) {
    errors.putIfAbsent(field, Msg.of(ownText(key, field), args));
    return this;
  }

  private String ownText(String key, String field) {
    if (form == null) {
      return key;
    }
    String own = key + "." + form + "." + field.replaceAll("\\[\\d+\\]", "");
    return Messages.all(Lang.SV).containsKey(own) ? own : key;
  }

  public boolean has(String field) {
    return errors.containsKey(field);
  }

  public boolean ok() {
    return errors.isEmpty();
  }

  /** Required text with a length limit; returns the trimmed value or null. */
  public String text(String field, String value, boolean required, int max) {
    String v = value == null ? null : value.strip();
    if (v == null || v.isEmpty()) {
      if (required) {
        add(field, "error.required");
      }
      return null;
    }
    if (v.length() > max) {
      add(field, "error.tooLong", max);
    }
    if (v.indexOf('\0') >= 0) {
      // PostgreSQL cannot store NUL in text; say so instead of failing later.
      add(field, "error.invalidCharacter");
    }
    return v;
  }

  public String email(String field, String value, boolean required) {
    String v = text(field, value, required, 254);
    if (v != null && !has(field) && !isEmail(v)) {
      add(field, "error.email");
    }
    return v;
  }

  /** A whole number between min and max; returns it, or null when empty or wrong (with an error when so). */
  public Integer wholeNumber(String field, String value, boolean required, int min, int max) {
    if (value == null || value.isBlank()) {
      if (required) {
        add(field, "error.required");
      }
      return null;
    }
    try {
      long n = Long.parseLong(value.strip());
      if (n < min || n > max) {
        add(field, "error.range", min, max);
        return null;
      }
      return (int) n;
    } catch (NumberFormatException e) {
      add(field, "error.wholeNumber");
      return null;
    }
  }

  public static boolean isEmail(String v) {
    return v.matches("^[^@\\s<>\"]+@[^@\\s<>\"]+\\.[^@\\s<>\"]+$");
  }

  public void throwIfAny() {
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }
}
