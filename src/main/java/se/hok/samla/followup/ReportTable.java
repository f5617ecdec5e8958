package se.hok.samla.followup;

import java.text.NumberFormat;
import java.util.List;
import se.hok.samla.web.Lang;

/**
 * A table of a report, as the page shows it and as it is exported (CSV, XLSX): one definition for all three, so
 * the download always says what the page says. The first column names the row.
 */
public record ReportTable(String id, String caption, List<String> columns, List<List<Cell>> rows) {

  /** A value: text, a whole number, a share (0–1, shown as a percentage), a mean, or a count hidden as "< 3". */
  public record Cell(String text, Double number, Kind kind) {
    public enum Kind { TEXT, COUNT, PERCENT, DECIMAL, SMALL }

    public static Cell text(String s) {
      return new Cell(s == null ? "" : s, null, Kind.TEXT);
    }

    public static Cell count(long n) {
      return new Cell(String.valueOf(n), (double) n, Kind.COUNT);
    }

    /** A count that may be unknown (no-shows of an event held without check-in): "–", as an unknown share. */
    public static Cell countOrUnknown(Long n) {
      return n == null ? new Cell("–", null, Kind.TEXT) : count(n);
    }

    /** A count that could point at one person's needs: below three it is shown, and exported, as "< 3". */
    public static Cell masked(long n) {
      return n < EventReport.NeedCount.SMALL ? new Cell("< " + EventReport.NeedCount.SMALL, null, Kind.SMALL) : count(n);
    }

    /**
     * A count of people: 1 or 2 are shown, and exported, as "< 3", so that nobody can be pointed at; 0 points at
     * nobody and stays 0. Null (not known, or not counted for this scope) is "–".
     */
    public static Cell people(Long n) {
      if (n == null) {
        return new Cell("–", null, Kind.TEXT);
      }
      return n > 0 && n < EventReport.NeedCount.SMALL ? new Cell("< " + EventReport.NeedCount.SMALL, null, Kind.SMALL)
          : count(n);
    }

    public static Cell percent(Double share, Lang lang) {
      return share == null ? new Cell("–", null, Kind.TEXT) : new Cell(percentText(share, lang), share, Kind.PERCENT);
    }

    public static Cell decimal(Double value, Lang lang) {
      return value == null ? new Cell("–", null, Kind.TEXT) : new Cell(decimalText(value, lang), value, Kind.DECIMAL);
    }

    public boolean numeric() {
      return kind != Kind.TEXT;
    }
  }

  /** "75 %" in Swedish, "75%" in English; one decimal only when it is needed to tell figures apart. */
  public static String percentText(double share, Lang lang) {
    NumberFormat f = NumberFormat.getNumberInstance(lang.locale());
    f.setMaximumFractionDigits(1);
    return f.format(share * 100) + (lang == Lang.SV ? "\u00A0%" : "%");
  }

  /** A mean rating: "4,3" in Swedish, "4.3" in English. */
  public static String decimalText(double value, Lang lang) {
    NumberFormat f = NumberFormat.getNumberInstance(lang.locale());
    f.setMinimumFractionDigits(1);
    f.setMaximumFractionDigits(1);
    return f.format(value);
  }
}
