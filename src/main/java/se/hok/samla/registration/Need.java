package se.hok.samla.registration;

import se.hok.samla.web.Lang;

/** An entry of the needs catalogue. leadDays: how long before the event it must be booked (interpreters …). */
public record Need(String code, String labelSv, String labelEn, boolean hasDetail, Integer leadDays) {
  public String label(Lang lang) {
    return lang == Lang.EN ? labelEn : labelSv;
  }
}
