package se.hok.samla.web;

import java.time.Duration;

/**
 * A limit was reached: answered 429 with {@code Retry-After} (whole seconds), and a message that says when to try
 * again, in the reader's language ({@code message} gets the wait as its last argument, e.g. "12 sekunder").
 */
public class TooManyRequestsException extends RuntimeException {
  private final Duration retryAfter;
  private final String messageKey;

  public TooManyRequestsException(Duration retryAfter, String messageKey) {
    super("Too many requests; retry after " + retryAfter, null, false, false);
    this.retryAfter = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
    this.messageKey = messageKey;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  /** Seconds for the Retry-After header: rounded up, at least 1. */
  public long retryAfterSeconds() {
    long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
    return Math.max(1, seconds);
  }

  /** The message, with how long to wait in words ("12 sekunder", "3 minuter", "about 2 hours"). */
  public String message(Lang lang) {
    return Messages.get(lang, messageKey, wait(lang, retryAfterSeconds()));
  }

  /** A wait in words, rounded up to what a person reads: seconds under a minute, then minutes, then hours. */
  public static String wait(Lang lang, long seconds) {
    if (seconds < 60) {
      return Messages.get(lang, "wait.seconds", seconds);
    }
    long minutes = (seconds + 59) / 60;
    if (minutes < 90) {
      return Messages.get(lang, "wait.minutes", minutes);
    }
    return Messages.get(lang, "wait.hours", (minutes + 59) / 60);
  }
}
