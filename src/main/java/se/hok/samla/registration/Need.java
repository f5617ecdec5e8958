package se.hok.samla.registration;

import se.hok.samla.web.Lang;

/** An entry of the needs catalogue. leadDays: how long before the event it must be booked (interpreters …). */
public record Need(String code, String labelSv, String labelEn, boolean hasDetail, Integer leadDays) {
  /**
   * The catalogue's "Ledsagare/personlig assistent". A companion is one fact, asked once – the companion question,
   * whose answer books the companion's seat – so no form lists it among the needs, and a request naming it (an API
   * client, an old form) is taken as that answer. The entry stays for registrations made before (V19).
   */
  public static final String COMPANION = "ledsagare";


  public String label(Lang lang) {
    return lang == Lang.EN ? labelEn : labelSv;
  }
}
