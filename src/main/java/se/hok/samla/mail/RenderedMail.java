package se.hok.samla.mail;

import java.util.List;

/**
 * One e-mail ready to send. Inline parts have a contentId (referenced as {@code cid:} in the HTML); parts without
 * one are attachments.
 */
public record RenderedMail(String to, String subject, String html, String text, List<Part> parts) {
  public RenderedMail {
    parts = parts == null ? List.of() : List.copyOf(parts);
  }

  /** A part of the message. contentType may carry parameters (e.g. {@code text/calendar; method=PUBLISH}). */
  public record Part(String filename, String contentType, byte[] data, String contentId) {
    public boolean inline() {
      return contentId != null;
    }
  }
}
