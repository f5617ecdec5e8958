package se.hok.samla.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock a test moves forward by hand, to let time pass (e.g. a sign-in lock's wait) without waiting. Started as
 * {@link #stopped()}, it stands still otherwise, so that counts over time come out exact however slow the machine.
 */
public final class TestClock extends Clock {
  private final AtomicReference<Duration> shift;
  private final Instant stoppedAt;
  private final ZoneId zone;

  /** The system clock plus what {@link #advance} adds. */
  public TestClock() {
    this(new AtomicReference<>(Duration.ZERO), null, ZoneId.systemDefault());
  }

  /** Now, standing still except for what {@link #advance} adds. */
  public static TestClock stopped() {
    return new TestClock(new AtomicReference<>(Duration.ZERO), Instant.now(), ZoneId.systemDefault());
  }

  /** The same clock in another zone: it moves with this one. */
  private TestClock(AtomicReference<Duration> shift, Instant stoppedAt, ZoneId zone) {
    this.shift = shift;
    this.stoppedAt = stoppedAt;
    this.zone = zone;
  }

  /** Moves this clock forward. */
  public void advance(Duration by) {
    shift.updateAndGet(s -> s.plus(by));
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new TestClock(shift, stoppedAt, zone);
  }

  @Override
  public Instant instant() {
    return (stoppedAt == null ? Instant.now() : stoppedAt).plus(shift.get());
  }
}
