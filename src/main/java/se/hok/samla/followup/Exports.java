package se.hok.samla.followup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import se.hok.samla.web.Csv;

/** A report table as a download: CSV (the shared {@link Csv} rules) or XLSX (fastexcel, numbers as numbers). */
final class Exports {
  public enum Format {
    CSV("csv", "text/csv; charset=utf-8"),
    XLSX("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    public final String extension;
    public final String contentType;

    Format(String extension, String contentType) {
      this.extension = extension;
      this.contentType = contentType;
    }

    /** "csv" or "xlsx", or null for anything else. */
    public static Format parse(String extension) {
      for (Format f : values()) {
        if (f.extension.equals(extension)) {
          return f;
        }
      }
      return null;
    }
  }

  private Exports() {}

  static byte[] render(ReportTable table, Format format) {
    return format == Format.CSV ? csv(table).getBytes(StandardCharsets.UTF_8) : xlsx(table);
  }

  /** The table as the page shows it, header first; numbers as the page writes them. */
  static String csv(ReportTable table) {
    Csv out = Csv.document().line(table.columns());
    for (List<ReportTable.Cell> row : table.rows()) {
      List<String> cells = new ArrayList<>();
      row.forEach(c -> cells.add(c.text()));
      out.line(cells);
    }
    return out.toString();
  }

  /**
   * One sheet with a bold header row. Counts, shares and means are numbers (shares formatted as percentages), so a
   * spreadsheet can sum and chart them; text is always a string cell, never a formula.
   */
  static byte[] xlsx(ReportTable table) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      Workbook wb = new Workbook(bytes, "Samla", "1.0");
      Worksheet ws = wb.newWorksheet(sheetName(table.caption()));
      for (int c = 0; c < table.columns().size(); c++) {
        ws.value(0, c, table.columns().get(c));
        ws.style(0, c).bold().set();
      }
      for (int r = 0; r < table.rows().size(); r++) {
        List<ReportTable.Cell> row = table.rows().get(r);
        for (int c = 0; c < row.size(); c++) {
          ReportTable.Cell cell = row.get(c);
          switch (cell.kind()) {
            case COUNT -> ws.value(r + 1, c, cell.number().longValue());
            case PERCENT -> {
              ws.value(r + 1, c, cell.number());
              ws.style(r + 1, c).format("0.0%").set();
            }
            case DECIMAL -> {
              ws.value(r + 1, c, cell.number());
              ws.style(r + 1, c).format("0.0").set();
            }
            default -> ws.value(r + 1, c, cell.text());
          }
        }
      }
      wb.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write XLSX", e);
    }
    return bytes.toByteArray();
  }

  /** Excel's limits: at most 31 characters, none of : \ / ? * [ ]. */
  static String sheetName(String caption) {
    String name = caption == null || caption.isBlank() ? "Samla" : caption.replaceAll("[:\\\\/?*\\[\\]]", " ").strip();
    return name.length() > 31 ? name.substring(0, 31).strip() : name;
  }
}
