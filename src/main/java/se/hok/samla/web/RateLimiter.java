package se.hok.samla.web;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.hok.samla.config.Limit;

/**
 * Token buckets by name and subject ("signin-account", "anna@example.org"), shared by every instance through
 * PostgreSQL ({@link PgBuckets}). A limit with several bands is one bucket with several bandwidths: every band must
 * have a token. Buckets refill gradually (greedy refill), so the wait after a burst is a fraction of the period.
 */
public final class RateLimiter {
  private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

  /** Whether a request may go ahead; when not, how long until it could. */
  public record Decision(boolean allowed, Duration retryAfter) {
    static final Decision ALLOWED = new Decision(true, Duration.ZERO);
  }

  private final Vertx vertx;
  private final PgBuckets buckets;
  private final AsyncProxyManager<String> async;

  public RateLimiter(Vertx vertx, Pool pool, Clock clock) {
    this.vertx = vertx;
    this.buckets = new PgBuckets(vertx, pool, clock);
    this.async = buckets.asAsync();
  }

  /** Takes a token from the subject's bucket; an {@link Limit#off() off} limit always allows. */
  public Future<Decision> take(String name, Limit limit, String subject) {
    return take(name, limit, subject, 1);
  }

  /** Takes {@code tokens} at once (a request that counts as several, e.g. a group sign-up counts as its size), or none. */
  public Future<Decision> take(String name, Limit limit, String subject, long tokens) {
    if (limit.off()) {
      return Future.succeededFuture(Decision.ALLOWED);
    }
    return onContext(() -> bucket(name, limit, subject).tryConsumeAndReturnRemaining(tokens))
        .map(probe -> probe.isConsumed() ? Decision.ALLOWED
            : new Decision(false, Duration.ofNanos(Math.max(probe.getNanosToWaitForRefill(), 1_000_000_000L))))
        .recover(e -> {
          if (crowded(e)) {
            // Thousands at once for one subject in this instance: a flood, which is what limits are for.
            log.debug("Rate limit {}: too many requests at once for one subject; one is refused", name);
            return Future.succeededFuture(new Decision(false, Duration.ofSeconds(1)));
          }
          // Anything else – database trouble above all (503, see Failures) – is nobody being over a limit: not 429.
          return Future.failedFuture(e);
        });
  }

  private static boolean crowded(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof PgBuckets.Crowded) {
        return true;
      }
    }
    return false;
  }

  /** Gives back a token taken for something that then did not count (a correct password, a form with mistakes). */
  public Future<Void> giveBack(String name, Limit limit, String subject) {
    return giveBack(name, limit, subject, 1);
  }

  /** Gives back {@code tokens} taken at once. */
  public Future<Void> giveBack(String name, Limit limit, String subject, long tokens) {
    if (limit.off()) {
      return Future.succeededFuture();
    }
    return onContext(() -> bucket(name, limit, subject).addTokens(tokens)).mapEmpty();
  }

  /** Forgets the subject's bucket: it is full again (e.g. an account whose password was just reset by its owner). */
  public Future<Void> forget(String name, Limit limit, String subject) {
    if (limit.off()) {
      return Future.succeededFuture();
    }
    return onContext(() -> async.removeProxy(key(name, limit, subject)));
  }

  /** Deletes buckets that have refilled (they equal no bucket at all) now and then every 10 minutes. */
  public void scheduleCleanup() {
    Runnable run = () -> buckets.removeExpired().onFailure(e -> log.warn("Deleting refilled rate-limit buckets failed", e));
    vertx.setPeriodic(60_000, 600_000, t -> run.run());
  }

  private AsyncBucketProxy bucket(String name, Limit limit, String subject) {
    return async.builder().build(key(name, limit, subject), () -> CompletableFuture.completedFuture(configuration(limit)));
  }

  /**
   * The stored key: the limit as configured is part of it, so a changed limit starts with fresh buckets instead of
   * meeting old state made for other bands. The subject (an address, an e-mail) is stored as its SHA-256 only.
   */
  static String key(String name, Limit limit, String subject) {
    return name + ":" + limit + ":" + HexFormat.of().formatHex(Tokens.sha256(subject)).substring(0, 32);
  }

  private static BucketConfiguration configuration(Limit limit) {
    ConfigurationBuilder builder = BucketConfiguration.builder();
    for (Limit.Band band : limit.bands()) {
      builder.addLimit(Bandwidth.builder().capacity(band.capacity()).refillGreedy(band.capacity(), band.period()).build());
    }
    return builder.build();
  }

  /** bucket4j's futures complete on whichever thread; the caller continues on its own Vert.x context. */
  private <T> Future<T> onContext(Supplier<CompletableFuture<T>> call) {
    io.vertx.core.Context context = vertx.getOrCreateContext();
    try {
      return Future.fromCompletionStage(call.get(), context);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
