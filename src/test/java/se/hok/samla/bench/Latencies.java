package se.hok.samla.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Latency percentiles of a benchmark run, as every benchmark here reports them. */
final class Latencies {
  private Latencies() {}

  /** "p50 x ms, p90 x ms, p99 x ms, max x ms" of nanosecond latencies. */
  static String summary(List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return String.format("p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
        pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted.get(sorted.size() - 1) / 1e6);
  }

  private static double pct(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
  }
}
