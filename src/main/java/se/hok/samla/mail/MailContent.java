package se.hok.samla.mail;

import java.util.List;

/**
 * What one e-mail says, already in the reader's language: the same content feeds the HTML part and the plain-text
 * part, so both carry the same information. Participant data stays raw here; the HTML template escapes it.
 *
 * @param lang     the language code, for the {@code lang} attribute
 * @param subject  the subject line, also the HTML title
 * @param heading  the main heading
 * @param greeting the first line ("Hej Anna!")
 * @param intro    paragraphs before the ticket
 * @param notice   something the reader should act on (sessions dropped on promotion), or null
 * @param ticket   the ticket box, or null
 * @param sections facts, as label/value rows
 * @param action   the one link to follow (the manage link), or null
 * @param footer   small print at the end
 */
public record MailContent(
    String lang,
    String subject,
    String heading,
    String greeting,
    List<String> intro,
    Notice notice,
    Ticket ticket,
    List<Section> sections,
    Action action,
    List<String> footer) {

  /** A highlighted box: a heading, a list and what to do about it. */
  public record Notice(String heading, List<String> items, String text) {}

  /** The ticket box: the QR code (an inline part referenced as {@code cid:}) with the reference under it. */
  public record Ticket(String heading, String cid, String alt, int size, String referenceLabel, String reference,
                       String hint, String textHint) {}

  public record Section(String heading, List<Row> rows) {}

  /** A fact: label, one or more lines, and an optional link (http(s) or mailto only) with its visible text. */
  public record Row(String label, List<String> lines, String link, String linkText) {
    public Row(String label, List<String> lines) {
      this(label, lines, null, null);
    }
  }

  /** A button with the address also written out, for clients that do not show buttons. */
  public record Action(String heading, String text, String label, String url, String copyHint) {}
}
