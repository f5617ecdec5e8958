package se.hok.samla.web;

import java.util.List;

/**
 * Spreadsheet-friendly CSV, the one way Samla writes it: UTF-8 with a byte-order mark (so Excel reads å ä ö),
 * ';' between fields (Swedish Excel's list separator, since ',' is the decimal mark), CRLF line ends, RFC 4180
 * quoting, and formula-looking values neutralised.
 */
public final class Csv {
  public static final char SEPARATOR = ';';
  public static final String BOM = "\uFEFF";

  private final StringBuilder out = new StringBuilder(BOM);

  /** A new document, starting with the byte-order mark. */
  public static Csv document() {
    return new Csv();
  }

  public Csv line(List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(SEPARATOR);
      }
      out.append(cell(cells.get(i)));
    }
    out.append("\r\n");
    return this;
  }

  public Csv lines(List<List<String>> rows) {
    rows.forEach(this::line);
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }

  /**
   * One RFC 4180 field. A value a spreadsheet would run as a formula (= + - @, or a leading tab or CR) gets a
   * leading apostrophe, so that a name like {@code =HYPERLINK(...)} stays text.
   */
  public static String cell(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    String v = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    boolean quote = v.indexOf(SEPARATOR) >= 0 || v.indexOf(',') >= 0 || v.indexOf('"') >= 0
        || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
    return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
  }
}
