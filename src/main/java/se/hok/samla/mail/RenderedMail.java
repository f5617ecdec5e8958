package se.hok.samla.mail;

import java.util.List;

/** One e-mail ready to send. Inline parts have a contentId (referenced as cid: in the HTML). */
public record RenderedMail(String to, String subject, String html, String text, List<Part> parts) {
  public record Part(String filename, String contentType, byte[] data, String contentId) {}
}
