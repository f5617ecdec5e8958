package se.hok.samla.events;

import java.time.OffsetDateTime;

/**
 * A period of the action plan (e.g. 2020–2024). Its years are first to last; periods never overlap. While open it
 * has a secret under which participants are counted across its years; closing destroys the secret and the keys.
 */
public record PlanPeriod(long id, String name, int firstYear, int lastYear, OffsetDateTime closedAt) {
  public boolean closed() {
    return closedAt != null;
  }

  public boolean contains(int year) {
    return year >= firstYear && year <= lastYear;
  }

  /** "2020–2024", or "2020" for a period of one year. */
  public String years() {
    return firstYear == lastYear ? String.valueOf(firstYear) : firstYear + "–" + lastYear;
  }
}
