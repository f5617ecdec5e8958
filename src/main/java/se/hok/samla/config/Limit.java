package se.hok.samla.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate limit as configured: one or more bands "N per period", every one of which must have room, so that a few
 * quick tries are free while a steady stream slows down more and more (e.g. {@code 5/1m,20/1h,50/1d}). Each band
 * refills gradually (a token every period/N). No bands means no limit ({@code off}).
 */
public record Limit(List<Band> bands) {
  private static final Pattern BAND = Pattern.compile("(\\d{1,9})/(\\d{0,6})([smhd])");

  public static final Limit OFF = new Limit(List.of());

  /** At most {@code capacity} in any {@code period}. */
  public record Band(long capacity, Duration period) {}

  public Limit {
    bands = List.copyOf(bands);
  }

  public boolean off() {
    return bands.isEmpty();
  }

  /** Parses {@code 5/1m,20/1h,50/1d} (units s, m, h, d; "5/m" is "5/1m") or {@code off}. */
  public static Limit parse(String variable, String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (v.equals("off") || v.equals("0")) {
      return OFF;
    }
    List<Band> bands = new ArrayList<>();
    for (String part : v.split(",")) {
      Matcher m = BAND.matcher(part.strip());
      if (!m.matches()) {
        throw new ConfigException(variable + " must look like 5/1m,20/1h,50/1d (or off), was " + value);
      }
      long capacity = Long.parseLong(m.group(1));
      long amount = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
      Duration period = switch (m.group(3)) {
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
      if (capacity < 1 || period.isZero()) {
        throw new ConfigException(variable + ": each band needs at least 1 per at least 1 second, was " + value);
      }
      bands.add(new Band(capacity, period));
    }
    return new Limit(bands);
  }

  @Override
  public String toString() {
    if (off()) {
      return "off";
    }
    List<String> out = new ArrayList<>();
    for (Band b : bands) {
      long s = b.period().toSeconds();
      String period = s % 86400 == 0 ? s / 86400 + "d" : s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
      out.add(b.capacity() + "/" + period);
    }
    return String.join(",", out);
  }
}
