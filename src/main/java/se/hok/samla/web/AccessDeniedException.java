package se.hok.samla.web;

/** Signed in, but the role does not allow this. Maps to 403. */
public class AccessDeniedException extends RuntimeException {
  public AccessDeniedException() {
    super("access denied", null, false, false);
  }
}
