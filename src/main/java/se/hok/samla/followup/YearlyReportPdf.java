package se.hok.samla.followup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureElement;
import org.apache.pdfbox.pdmodel.font.PDFont;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.PdfFonts;
import se.hok.samla.web.TaggedPdf;

/**
 * The yearly follow-up as an A4 PDF, drawn with PDFBox (already used for tickets) rather than an HTML-to-PDF
 * library: the report is headings, short lists and small tables, which a few dozen lines lay out, and it keeps the
 * jar free of a second rendering stack. Set in DejaVu Sans from the jar ({@link PdfFonts}), embedded.
 */
final class YearlyReportPdf {
  private YearlyReportPdf() {}

  /** The report with the year's needs booked ahead per kind of need, as on the page: counts below three as "< 3". */
  static byte[] render(YearlyReport r, NeedOutcomes needs, Lang lang) {
    try (PDDocument doc = new PDDocument()) {
      String title = Messages.get(lang, "followup.yearly.title", String.valueOf(r.year()));
      // Tagged: title, language, headings, paragraphs and tables in reading order, for screen readers.
      TaggedPdf tags = new TaggedPdf(doc, lang == Lang.EN ? "en-GB" : "sv-SE", title);
      doc.getDocumentInformation().setCreator("Samla");
      Layout out = new Layout(doc, lang, tags);

      out.title(title);
      out.space(6);
      out.text(Messages.get(lang, "followup.yearly.theme") + ": " + dash(r.theme()), out.regular, 11);
      out.text(Messages.get(lang, "followup.yearly.focusArea") + ": " + dash(r.focusArea()), out.regular, 11);
      out.space(6);
      out.text(r.summary(), out.regular, 11);
      if (r.attendanceNote() != null) {
        out.space(4);
        out.text(r.attendanceNote(), out.regular, 11);
      }

      out.heading(Messages.get(lang, "followup.table.plan-mot-utfall"));
      out.text(r.planSummary(), out.regular, 10);
      for (YearlyReport.PlanItem item : r.plan()) {
        out.text(item.heading(), out.bold, 10);
        for (String line : item.lines()) {
          out.text("  " + line, out.regular, 9);
        }
      }

      out.heading(Messages.get(lang, "followup.yearly.activities"));
      if (r.activities().isEmpty()) {
        out.text(Messages.get(lang, "followup.none.events"), out.regular, 10);
      }
      for (YearlyReport.KindGroup g : r.activities()) {
        out.subheading(g.kind());
        for (YearlyReport.Activity a : g.events()) {
          out.text("  " + a.date() + "  " + a.title() + " – " + a.attendancesText(), out.regular, 10);
        }
      }
      out.table(r.totals());
      out.table(r.sectors());
      out.table(r.organisations());
      out.table(r.breadth());
      out.table(r.people());
      out.text(r.peopleNote(), out.regular, 9);
      out.table(r.ratingsByBreadth());
      out.heading(Messages.get(lang, "followup.table.parter-utan-deltagande"));
      out.text(r.silentSignatories().isEmpty() ? Messages.get(lang, "followup.none.silent")
          : String.join(", ", r.silentSignatories()), out.regular, 10);
      out.table(r.ratings());
      ReportTable needTable = needs.table(lang);
      out.table(needTable, Messages.get(lang, "followup.needs.none"));
      if (!needTable.rows().isEmpty()) {
        out.text(Messages.get(lang, "followup.needs.hint"), out.regular, 9);
      }
      out.close();
      tags.finish();

      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      doc.save(bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render the yearly report", e);
    }
  }

  private static String dash(String s) {
    return s == null || s.isBlank() ? "–" : s;
  }

  /** One column from the top down; a new page when the next line does not fit. */
  private static final class Layout {
    static final PDRectangle SIZE = PDRectangle.A4;
    static final float MARGIN = 50;
    static final float WIDTH = SIZE.getWidth() - 2 * MARGIN;

    final PDDocument doc;
    final Lang lang;
    final TaggedPdf tags;
    final PDFont regular;
    final PDFont bold;
    final PdfFonts.Printable printable = new PdfFonts.Printable();
    PDPage page;
    PDPageContentStream stream;
    float y;

    Layout(PDDocument doc, Lang lang, TaggedPdf tags) throws IOException {
      this.doc = doc;
      this.lang = lang;
      this.tags = tags;
      PdfFonts.Faces fonts = PdfFonts.embedded(doc);
      regular = fonts.regular();
      bold = fonts.bold();
      newPage();
    }

    void newPage() throws IOException {
      close();
      page = new PDPage(SIZE);
      doc.addPage(page);
      stream = new PDPageContentStream(doc, page);
      y = SIZE.getHeight() - MARGIN;
    }

    void close() throws IOException {
      if (stream != null) {
        stream.close();
        stream = null;
      }
    }

    void space(float pt) {
      y -= pt;
    }

    void room(float height) throws IOException {
      if (y - height < MARGIN) {
        newPage();
      }
    }

    /** The report's title: the document's one first-level heading. */
    void title(String text) throws IOException {
      text(text, bold, 20, "H1");
    }

    void heading(String text) throws IOException {
      space(10);
      room(13 * 1.4f * 3);  // never the last line of a page
      text(text, bold, 13, "H2");
      space(2);
    }

    /** A heading within a section (a kind of activity). */
    void subheading(String text) throws IOException {
      room(11 * 1.4f * 2);
      text(text, bold, 11, "H3");
    }

    /** A paragraph, wrapped to the page width. */
    void text(String text, PDFont font, float size) throws IOException {
      text(text, font, size, "P");
    }

    private void text(String text, PDFont font, float size, String type) throws IOException {
      PDStructureElement element = tags.element(tags.document(), type);
      for (String line : wrap(printable(text, font), font, size, WIDTH)) {
        room(size * 1.4f);
        show(line, font, size, MARGIN, y - size, element);
        y -= size * 1.4f;
      }
    }

    /**
     * A table under its caption (a heading): the first column takes what the others leave; a cell too long for its
     * column is shortened. Tagged as a table: a header row, then rows whose first cell names the row.
     */
    void table(ReportTable table) throws IOException {
      table(table, Messages.get(lang, "followup.none.rows"));
    }

    /** A table, or {@code none} under its caption when it has no rows. */
    void table(ReportTable table, String none) throws IOException {
      heading(table.caption());
      int n = table.columns().size();
      float size = n > 5 ? 8 : 10;
      float other = n == 1 ? 0 : Math.min(80, WIDTH * 0.55f / (n - 1));
      float first = WIDTH - other * (n - 1);
      if (table.rows().isEmpty()) {
        text(none, regular, size);
        return;
      }
      PDStructureElement t = tags.element(tags.document(), "Table");
      row(t, true, table.columns(), List.of(), bold, size, first, other);
      for (List<ReportTable.Cell> cells : table.rows()) {
        row(t, false, cells.stream().map(ReportTable.Cell::text).toList(),
            cells.stream().map(ReportTable.Cell::numeric).toList(), regular, size, first, other);
      }
    }

    private void row(PDStructureElement table, boolean header, List<String> cells, List<Boolean> numeric, PDFont font,
                     float size, float first, float other) throws IOException {
      float lineHeight = size * 1.5f;
      room(lineHeight);
      PDStructureElement tr = tags.element(table, "TR");
      float x = MARGIN;
      for (int i = 0; i < cells.size(); i++) {
        float width = i == 0 ? first : other;
        String text = fit(printable(cells.get(i), font), font, size, width - 6);
        boolean right = i > 0 && (numeric.isEmpty() || numeric.get(i));
        float textX = right ? x + width - 4 - textWidth(text, font, size) : x;
        show(text, font, size, textX, y - size, tags.element(tr, header || i == 0 ? "TH" : "TD"));
        x += width;
      }
      y -= lineHeight;
      tags.artifact(stream);
      stream.setStrokingColor(0.75f);
      stream.setLineWidth(0.5f);
      stream.moveTo(MARGIN, y + size * 0.3f);
      stream.lineTo(MARGIN + WIDTH, y + size * 0.3f);
      stream.stroke();
      tags.end(stream);
    }

    /** A line of text, as (part of) the content of {@code element}. */
    private void show(String text, PDFont font, float size, float x, float baseline, PDStructureElement element)
        throws IOException {
      tags.begin(stream, page, element);
      stream.beginText();
      stream.setFont(font, size);
      stream.setNonStrokingColor(0f);
      stream.newLineAtOffset(x, baseline);
      stream.showText(text);
      stream.endText();
      tags.end(stream);
    }

    private float textWidth(String text, PDFont font, float size) throws IOException {
      return font.getStringWidth(text) / 1000 * size;
    }

    private String fit(String text, PDFont font, float size, float width) throws IOException {
      if (textWidth(text, font, size) <= width) {
        return text;
      }
      String s = text;
      while (!s.isEmpty() && textWidth(s + "…", font, size) > width) {
        s = s.substring(0, s.length() - 1);
      }
      return shows(font, '…') ? s.strip() + "…" : s.strip();
    }

    private List<String> wrap(String text, PDFont font, float size, float width) throws IOException {
      List<String> lines = new ArrayList<>();
      StringBuilder line = new StringBuilder();
      for (String word : text.split(" ")) {
        String candidate = line.length() == 0 ? word : line + " " + word;
        if (textWidth(candidate, font, size) <= width || line.length() == 0) {
          line.setLength(0);
          line.append(candidate);
        } else {
          lines.add(line.toString());
          line.setLength(0);
          line.append(word);
        }
      }
      lines.add(line.toString());
      return lines;
    }

    /** The text as the font can show it, on one line (see {@link PdfFonts.Printable}): never a failed report. */
    private String printable(String text, PDFont font) {
      return printable.of(text, font).replace('\n', ' ');
    }

    private boolean shows(PDFont font, int cp) {
      return printable.shows(font, cp);
    }
  }
}
