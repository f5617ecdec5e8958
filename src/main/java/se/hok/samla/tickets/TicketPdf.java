package se.hok.samla.tickets;

import com.google.zxing.qrcode.encoder.ByteMatrix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionURI;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDBorderStyleDictionary;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureElement;
import se.hok.samla.web.EventTimes;
import se.hok.samla.events.Venue;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.PdfFonts;
import se.hok.samla.web.TaggedPdf;

/**
 * A ticket as an A4 PDF (PDFBox) to print or show on a phone: the event, the person, the QR code with its
 * reference, the venue's accessibility and the needs the person stated, and the link to change or cancel.
 *
 * <p>Font: a ticket written entirely in Windows-1252 letters (å ä ö é …) is set in Helvetica, which every PDF reader
 * has, so nothing is embedded; any other (Nguyễn, Łódź) in DejaVu Sans, embedded from the jar ({@link PdfFonts}).
 * Whatever font is used, a character it cannot show is replaced, never fatal: first by the same letter with fewer
 * accents, else by "?".
 */
public final class TicketPdf {

  private TicketPdf() {}

  /**
   * What a ticket shows. {@code when} and {@code place} are ready to print (see {@link #when} and
   * {@link #accessibility}); {@code language} is "sv" or "en" (anything else is Swedish).
   */
  public record Content(String eventTitle, String when, String place, String participant, boolean companion,
                        String code, String reference, List<String> accessibility, List<String> needs,
                        String manageUrl, String language, List<String> sessions) {
    /** Without sessions. */
    public Content(String eventTitle, String when, String place, String participant, boolean companion, String code,
                   String reference, List<String> accessibility, List<String> needs, String manageUrl, String language) {
      this(eventTitle, when, place, participant, companion, code, reference, accessibility, needs, manageUrl, language,
          List.of());
    }
  }

  public static byte[] render(Content c) {
    Lang lang = Lang.parse(c.language(), Lang.SV);
    Texts t = lang == Lang.EN ? Texts.EN : Texts.SV;
    // Most tickets are written entirely in Latin-1 letters (å ä ö é …): those are set in Helvetica, which every
    // PDF reader has, so nothing is embedded. Subsetting and embedding a TrueType font was the largest part of a
    // ticket's cost, and made the e-mail about 20 kB larger. Anything else (Nguyễn, Łódź) gets the embedded font.
    try (PDDocument doc = new PDDocument()) {
      String title = text(c.eventTitle());
      // Tagged (structure, language, title, reading order; the QR code a figure with a text alternative), so that a
      // screen reader reads the ticket as it reads the e-mail. Metadata is Unicode, whatever the font.
      TaggedPdf tags = new TaggedPdf(doc, lang == Lang.EN ? "en-GB" : "sv-SE", t.ticket + " – " + title);
      doc.getDocumentInformation().setCreator("Samla");
      Page page = new Page(doc, winAnsiOnly(c) ? PdfFonts.standard() : PdfFonts.embedded(doc), tags);

      page.paragraph(t.ticket.toUpperCase(Locale.ROOT) + " · HÖK", page.bold, 10, 0.35f, "P");
      page.space(4);
      page.paragraph(title, page.bold, 20, 0f, "H1");
      page.space(10);
      page.field(t.when, text(c.when()));
      page.field(t.place, text(c.place()));
      page.field(t.participant, text(c.participant()));
      page.field(Messages.get(lang, "companion.label"), Messages.get(lang, c.companion() ? "companion.yes" : "companion.no"));
      page.space(14);
      String reference = text(c.reference());
      page.qr(text(c.code()), reference, t.showAtEntrance, Messages.get(lang, "ticket.qrAlt", reference, title));
      page.space(10);
      if (c.sessions() != null && !c.sessions().isEmpty()) {
        page.heading(t.sessions);
        page.bullets(c.sessions(), t.noneStated);
      }
      page.heading(t.accessibility);
      page.bullets(c.accessibility(), t.noneKnown);
      page.heading(t.needs);
      page.bullets(c.needs(), t.noneStated);
      page.heading(t.manage);
      page.link(text(c.manageUrl()));
      page.close();
      tags.finish();

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render ticket PDF", e);
    }
  }

  /** Whether Helvetica (WinAnsiEncoding, which is Windows-1252) can show every text of the ticket. */
  static boolean winAnsiOnly(Content c) {
    List<String> texts = new ArrayList<>(List.of(text(c.eventTitle()), text(c.when()), text(c.place()),
        text(c.participant()), text(c.code()), text(c.reference()), text(c.manageUrl())));
    texts.addAll(c.accessibility() == null ? List.of() : c.accessibility());
    texts.addAll(c.needs() == null ? List.of() : c.needs());
    texts.addAll(c.sessions() == null ? List.of() : c.sessions());
    for (String s : texts) {
      if (!PdfFonts.winAnsi(s)) {
        return false;
      }
    }
    return true;
  }

  /** The time of an event as a ticket says it, in Swedish time: "Tisdag 14 april 2026, 09:00–16:00". */
  public static String when(OffsetDateTime start, OffsetDateTime end, String language) {
    return EventTimes.when(start, end, Lang.parse(language, Lang.SV));
  }

  /** A venue's accessibility facts as the event page states them, e.g. "Hörslinga: Ja"; none without a venue. */
  public static List<String> accessibility(Venue venue, String language) {
    if (venue == null) {
      return List.of();
    }
    Lang lang = Lang.parse(language, Lang.SV);
    String yes = Messages.get(lang, "event.yes");
    String no = Messages.get(lang, "event.no");
    List<String> out = new ArrayList<>();
    out.add(Messages.get(lang, "event.stepFree") + ": " + (venue.stepFreeEntrance() ? yes : no));
    out.add(Messages.get(lang, "event.hearingLoop") + ": " + (venue.hearingLoop() ? yes : no));
    out.add(Messages.get(lang, "event.accessibleToilet") + ": " + (venue.accessibleToilet() ? yes : no));
    out.add(Messages.get(lang, "event.disabledParking") + ": " + (venue.disabledParking() ? yes : no));
    if (venue.accessibilityNotes() != null && !venue.accessibilityNotes().isBlank()) {
      out.add(venue.accessibilityNotes().strip());
    }
    return out;
  }

  private record Texts(String ticket, String when, String place, String participant, String showAtEntrance,
                       String accessibility, String noneKnown, String needs, String noneStated, String manage,
                       String sessions) {
    static final Texts SV = new Texts("Biljett", "Tid", "Plats", "Deltagare",
        "Visa QR-koden i entrén, på skärmen eller utskriven, eller säg biljettnumret.", "Tillgänglighet i lokalen",
        "Inga uppgifter", "Behov du har angett", "Inga", "Ändra eller avboka din anmälan", "Dina pass");
    static final Texts EN = new Texts("Ticket", "When", "Place", "Participant",
        "Show the QR code at the entrance, on screen or printed, or say the ticket number.", "Accessibility of the venue",
        "No information", "Needs you stated", "None", "Change or cancel your registration", "Your sessions");
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }

  // ------------------------------------------------------------------------------------------------
  // Fonts
  // ------------------------------------------------------------------------------------------------


  // ------------------------------------------------------------------------------------------------
  // Layout: one column from the top down, a new page when the next line does not fit
  // ------------------------------------------------------------------------------------------------

  private static final class Page {
    static final PDRectangle SIZE = PDRectangle.A4;
    static final float MARGIN = 56;  // 20 mm
    static final float WIDTH = SIZE.getWidth() - 2 * MARGIN;
    static final float QR_SIDE = 170;  // 60 mm: about 3.8 pt (1.3 mm) per module for a 111-character code

    final PDDocument doc;
    final TaggedPdf tags;
    final PDFont regular;
    final PDFont bold;
    final PdfFonts.Printable printable = new PdfFonts.Printable();
    PDPage page;
    PDPageContentStream out;
    float y;

    Page(PDDocument doc, PdfFonts.Faces fonts, TaggedPdf tags) throws IOException {
      this.doc = doc;
      this.tags = tags;
      this.regular = fonts.regular();
      this.bold = fonts.bold();
      newPage();
    }

    /** A new element in reading order, at the top level of the document. */
    PDStructureElement element(String type) {
      return tags.element(tags.document(), type);
    }

    void newPage() throws IOException {
      close();
      page = new PDPage(SIZE);
      doc.addPage(page);
      out = new PDPageContentStream(doc, page);
      y = SIZE.getHeight() - MARGIN;
    }

    void close() throws IOException {
      if (out != null) {
        out.close();
        out = null;
      }
    }

    void room(float height) throws IOException {
      if (y - height < MARGIN) {
        newPage();
      }
    }

    void space(float pt) {
      y -= pt;
    }

    void heading(String text) throws IOException {
      space(8);
      room(12 * 1.35f * 2);  // a heading is never the last line of a page
      paragraph(text, bold, 12, 0f, "H2");
      space(2);
    }

    /** A label and its value side by side, each wrapped in its column; read as one paragraph, label first. */
    void field(String label, String value) throws IOException {
      float size = 11;
      float labelWidth = 110;
      List<String> labels = wrap(printable(label, bold), bold, size, labelWidth - 8);
      List<String> lines = wrap(printable(value, regular), regular, size, WIDTH - labelWidth);
      PDStructureElement p = element("P");
      float line = size * 1.35f;
      int rows = Math.max(labels.size(), lines.size());
      room(line * rows);  // a field is a few lines at most: kept on one page
      // The whole label first, then the whole value: the order in which they are read.
      for (int i = 0; i < labels.size(); i++) {
        show(labels.get(i), bold, size, MARGIN, y - size - i * line, 0f, p);
      }
      for (int i = 0; i < lines.size(); i++) {
        show(lines.get(i), regular, size, MARGIN + labelWidth, y - size - i * line, 0f, p);
      }
      y -= line * rows;
    }

    /** A paragraph or heading ({@code type}: P, H1, H2), wrapped to the page's width. */
    void paragraph(String text, PDFont font, float size, float gray, String type) throws IOException {
      paragraph(text, font, size, gray, element(type));
    }

    void paragraph(String text, PDFont font, float size, float gray, PDStructureElement element) throws IOException {
      for (String line : wrap(printable(text, font), font, size, WIDTH)) {
        room(size * 1.35f);
        show(line, font, size, MARGIN, y - size, gray, element);
        y -= size * 1.35f;
      }
    }

    /** A list: each item a list item whose bullet is its label. */
    void bullets(List<String> items, String none) throws IOException {
      List<String> list = items == null ? List.of() : items.stream().filter(i -> i != null && !i.isBlank()).toList();
      if (list.isEmpty()) {
        paragraph(none, regular, 11, 0f, "P");
        return;
      }
      float size = 11;
      PDStructureElement l = element("L");
      for (String item : list) {
        PDStructureElement li = tags.element(l, "LI");
        PDStructureElement bullet = tags.element(li, "Lbl");
        PDStructureElement body = tags.element(li, "LBody");
        List<String> lines = wrap(printable(item, regular), regular, size, WIDTH - 14);
        for (int i = 0; i < lines.size(); i++) {
          room(size * 1.35f);
          if (i == 0) {
            show(printable("•", regular), regular, size, MARGIN, y - size, 0f, bullet);
          }
          show(lines.get(i), regular, size, MARGIN + 14, y - size, 0f, body);
          y -= size * 1.35f;
        }
      }
    }

    /**
     * The QR code at a fixed size, its reference under it: all of it on one page. The code is a figure whose text
     * alternative says what it is ({@code alternative}); the reference, text, says the same in a way anyone can read out.
     */
    void qr(String code, String reference, String hint, String alternative) throws IOException {
      float needed = QR_SIDE + 16 * 1.35f + 10 * 1.35f + 8;
      room(needed);
      float left = MARGIN;
      if (!code.isEmpty()) {
        // Vector squares, one filled path: sharp at any zoom and on any printer, and no image to encode. The same
        // symbol as the e-mail's PNG, which was read back before it was used.
        ByteMatrix symbol = QrCodes.symbol(code);
        int modules = symbol.getWidth() + 2 * QrCodes.QUIET_ZONE_MODULES;
        float module = QR_SIDE / modules;
        // The quiet zone reaches into the page margin, so the symbol itself lines up with the text.
        left = MARGIN - module * QrCodes.QUIET_ZONE_MODULES;
        float top = y - module * QrCodes.QUIET_ZONE_MODULES;
        tags.begin(out, page, tags.figure(tags.document(), alternative, new PDRectangle(left, y - QR_SIDE, QR_SIDE, QR_SIDE)));
        out.setNonStrokingColor(1f);
        out.addRect(left, y - QR_SIDE, QR_SIDE, QR_SIDE);  // the quiet zone is white on any paper or background
        out.fill();
        out.setNonStrokingColor(0f);
        for (int row = 0; row < symbol.getHeight(); row++) {
          for (int x = 0; x < symbol.getWidth(); ) {
            if (symbol.get(x, row) != 1) {
              x++;
              continue;
            }
            int run = x;
            while (run < symbol.getWidth() && symbol.get(run, row) == 1) {
              run++;
            }
            // A run of dark modules in a row as one rectangle (PDF y grows upwards).
            out.addRect(left + (x + QrCodes.QUIET_ZONE_MODULES) * module, top - (row + 1) * module, (run - x) * module, module);
            x = run;
          }
        }
        out.fill();
        tags.end(out);
      }
      y -= QR_SIDE + 4;
      String ref = printable(reference, bold);
      float refWidth = width(ref, bold, 16);
      show(ref, bold, 16, Math.max(MARGIN, left + (QR_SIDE - refWidth) / 2), y - 16, 0f, element("P"));
      y -= 16 * 1.35f;
      paragraph(hint, regular, 10, 0.35f, "P");
    }

    /** The manage link, as text and as a clickable link over it: a Link element holding both. */
    void link(String url) throws IOException {
      float size = 11;
      PDStructureElement link = tags.element(element("P"), "Link");
      for (String line : wrap(printable(url, regular), regular, size, WIDTH)) {
        room(size * 1.35f);
        show(line, regular, size, MARGIN, y - size, 0f, link);
        if (url.startsWith("https://") || url.startsWith("http://")) {
          PDAnnotationLink annotation = new PDAnnotationLink();
          annotation.setRectangle(new PDRectangle(MARGIN, y - size * 1.3f, width(line, regular, size), size * 1.3f));
          PDBorderStyleDictionary border = new PDBorderStyleDictionary();
          border.setWidth(0);
          annotation.setBorderStyle(border);
          PDActionURI action = new PDActionURI();
          action.setURI(url);
          annotation.setAction(action);
          annotation.setContents(url);
          page.getAnnotations().add(annotation);
          tags.annotation(page, annotation, link);
        }
        y -= size * 1.35f;
      }
    }

    /** A line of text, as (part of) the content of {@code element}. */
    void show(String line, PDFont font, float size, float x, float baseline, float gray, PDStructureElement element)
        throws IOException {
      if (line.isEmpty()) {
        return;
      }
      tags.begin(out, page, element);
      out.beginText();
      out.setNonStrokingColor(gray);
      out.setFont(font, size);
      out.newLineAtOffset(x, baseline);
      out.showText(line);
      out.endText();
      tags.end(out);
    }

    float width(String text, PDFont font, float size) throws IOException {
      return font.getStringWidth(text) / 1000f * size;
    }

    /** Lines no wider than {@code max}: broken at spaces, and inside a word only when the word alone is too wide. */
    List<String> wrap(String text, PDFont font, float size, float max) throws IOException {
      List<String> lines = new ArrayList<>();
      for (String paragraph : text.split("\n", -1)) {
        StringBuilder line = new StringBuilder();
        for (String word : paragraph.split(" +")) {
          if (word.isEmpty()) {
            continue;
          }
          String candidate = line.length() == 0 ? word : line + " " + word;
          if (width(candidate, font, size) <= max) {
            line.setLength(0);
            line.append(candidate);
            continue;
          }
          if (line.length() > 0) {
            lines.add(line.toString());
            line.setLength(0);
          }
          // A word wider than the line (a long URL): cut it where it must be cut.
          int start = 0;
          float used = 0;
          for (int i = 0; i < word.length(); ) {
            int next = word.offsetByCodePoints(i, 1);
            float w = width(word.substring(i, next), font, size);
            if (used + w > max && i > start) {
              lines.add(word.substring(start, i));
              start = i;
              used = 0;
            }
            used += w;
            i = next;
          }
          line.append(word, start, word.length());
        }
        if (line.length() > 0) {
          lines.add(line.toString());
        }
      }
      return lines;
    }

    /** The text as the font can show it (see {@link PdfFonts.Printable}). */
    String printable(String text, PDFont font) {
      return printable.of(text, font);
    }
  }
}
