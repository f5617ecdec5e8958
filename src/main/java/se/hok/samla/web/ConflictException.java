package se.hok.samla.web;

/** The request is valid but clashes with the current state (e.g. publishing a cancelled event). Maps to 409. */
public class ConflictException extends RuntimeException {
  private final String code;
  private final Msg message;

  public ConflictException(String code, Msg message) {
    super(code);
    this.code = code;
    this.message = message;
  }

  public String code() {
    return code;
  }

  public Msg msg() {
    return message;
  }
}
