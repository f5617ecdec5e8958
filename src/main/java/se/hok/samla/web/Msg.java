package se.hok.samla.web;

/** A message to translate later, when the reader's language is known. */
public record Msg(String key, Object... args) {
  public static Msg of(String key, Object... args) {
    return new Msg(key, args);
  }
}
