package se.hok.samla.web;

/** Signed in, but the role (or the person's part in an event) does not allow this. Maps to 403. */
public class AccessDeniedException extends RuntimeException {
  private final Msg msg;

  public AccessDeniedException() {
    this(Msg.of("error.forbidden"));
  }

  /** With the message the person reads, e.g. that the event is not theirs. */
  public AccessDeniedException(Msg msg) {
    super("access denied", null, false, false);
    this.msg = msg;
  }

  public Msg msg() {
    return msg;
  }
}
