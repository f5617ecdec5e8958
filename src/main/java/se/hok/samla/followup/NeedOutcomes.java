package se.hok.samla.followup;

import java.util.ArrayList;
import java.util.List;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;

/**
 * The year's needs that had to be booked ahead (organiser tasks), per kind of need: how many were asked for, booked,
 * could not be arranged, and asked for after the booking deadline. Counts only, each below three shown as "< 3"
 * (ReportTable.Cell#masked): a small count could point at one person's health.
 */
public record NeedOutcomes(List<Line> lines) {

  /** One kind of need over the year's held events (confirmed registrations). */
  public record Line(String code, String labelSv, String labelEn, long requested, long booked, long unavailable,
                     long late) {}

  ReportTable table(Lang lang) {
    List<String> columns = List.of(Messages.get(lang, "followup.needs.need"), Messages.get(lang, "followup.needs.requested"),
        Messages.get(lang, "followup.needs.booked"), Messages.get(lang, "followup.needs.unavailable"),
        Messages.get(lang, "followup.needs.late"));
    List<List<ReportTable.Cell>> rows = new ArrayList<>();
    for (Line l : lines) {
      rows.add(List.of(ReportTable.Cell.text(lang == Lang.EN ? l.labelEn() : l.labelSv()),
          ReportTable.Cell.masked(l.requested()), ReportTable.Cell.masked(l.booked()),
          ReportTable.Cell.masked(l.unavailable()), ReportTable.Cell.masked(l.late())));
    }
    return new ReportTable("behov-att-boka", Messages.get(lang, "followup.needs.title"), columns, rows);
  }
}
