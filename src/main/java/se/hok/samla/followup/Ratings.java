package se.hok.samla.followup;

import java.util.List;

/** Answers to the feedback survey's overall rating (1–5): how many of each, and their mean. */
public record Ratings(List<Long> counts) {
  public static final Ratings NONE = new Ratings(List.of(0L, 0L, 0L, 0L, 0L));

  /** counts.get(0) is how many answered 1, counts.get(4) how many answered 5. */
  public Ratings {
    counts = List.copyOf(counts);
  }

  public long answers() {
    return counts.stream().mapToLong(Long::longValue).sum();
  }

  public Double mean() {
    long n = answers();
    if (n == 0) {
      return null;
    }
    long sum = 0;
    for (int i = 0; i < counts.size(); i++) {
      sum += (i + 1) * counts.get(i);
    }
    return (double) sum / n;
  }

  public long count(int rating) {
    return counts.get(rating - 1);
  }

  static Ratings of(long[] counts) {
    return new Ratings(java.util.Arrays.stream(counts).boxed().toList());
  }
}
