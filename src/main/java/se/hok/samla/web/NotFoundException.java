package se.hok.samla.web;

/** Something the request names does not exist (or is not visible to this person). Maps to 404. */
public class NotFoundException extends RuntimeException {
  public NotFoundException(String what) {
    super(what + " not found");
  }
}
