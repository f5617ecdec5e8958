package se.hok.samla.web;

import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.RetryDecision;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * bucket4j's buckets kept in PostgreSQL ({@code rate_limit_bucket}), so that every instance counts against the same
 * limits, through the reactive client so that no event loop ever waits. bucket4j's official PostgreSQL module was
 * not used: it works over JDBC with row or advisory locks held across the round trip, which would need a blocking
 * connection pool beside the reactive one. A compare-and-swap is one round trip per step instead: read the bucket,
 * let bucket4j compute the new state, write it only if the stored state is still the one that was read (a new row:
 * only if there is none yet). A lost race is retried after a short random pause; a bucket fought over that hard is a
 * burst anyway, and after {@link #MAX_ATTEMPTS} the request fails (answered as limited by {@link RateLimiter}).
 * A refused request writes nothing, so a flood against an empty bucket causes no write contention.
 */
final class PgBuckets extends AbstractCompareAndSwapBasedProxyManager<String> {
  static final int MAX_ATTEMPTS = 8;
  /** A bucket's row is kept until it has refilled completely, and a minute more: after that it equals no row. */
  private static final Duration KEEP_AFTER_REFILL = Duration.ofMinutes(1);

  private final Pool pool;
  private final ExpirationAfterWriteStrategy expiry = ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL);

  PgBuckets(Pool pool, Clock clock) {
    super(ClientSideConfig.getDefault()
        .withClientClock(new ClockTime(clock))
        .withExpirationAfterWriteStrategy(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL))
        .withRetryStrategy(retry -> retry.getAttemptNumber() >= MAX_ATTEMPTS
            ? RetryDecision.stop()
            : RetryDecision.retryAfter(Duration.ofMillis(ThreadLocalRandom.current().nextLong(1, 4L * retry.getAttemptNumber() + 2)))));
    this.pool = pool;
  }

  /** bucket4j's time from the application's clock, so tests can let time pass. */
  private record ClockTime(Clock clock) implements TimeMeter {
    @Override
    public long currentTimeNanos() {
      return clock.millis() * 1_000_000L;
    }

    @Override
    public boolean isWallClockBased() {
      return true;
    }
  }

  @Override
  protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
    return new AsyncCompareAndSwapOperation() {
      @Override
      public CompletableFuture<Optional<byte[]>> getStateData(Optional<Long> timeoutNanos) {
        return read(key).toCompletionStage().toCompletableFuture();
      }

      @Override
      public CompletableFuture<Boolean> compareAndSwap(byte[] original, byte[] updated, RemoteBucketState state,
                                                       Optional<Long> timeoutNanos) {
        return swap(key, original, updated, state).toCompletionStage().toCompletableFuture();
      }
    };
  }

  /** For callers on worker threads only: an event loop must use the asynchronous buckets ({@code asAsync()}). */
  @Override
  protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("A rate-limit bucket was used synchronously on an event loop");
    }
    AsyncCompareAndSwapOperation async = beginAsyncCompareAndSwapOperation(key);
    return new CompareAndSwapOperation() {
      @Override
      public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
        return async.getStateData(timeoutNanos).join();
      }

      @Override
      public boolean compareAndSwap(byte[] original, byte[] updated, RemoteBucketState state, Optional<Long> timeoutNanos) {
        return async.compareAndSwap(original, updated, state, timeoutNanos).join();
      }
    };
  }

  @Override
  protected CompletableFuture<Void> removeAsync(String key) {
    return pool.preparedQuery("delete from rate_limit_bucket where key = $1").execute(Tuple.of(key))
        .<Void>mapEmpty().toCompletionStage().toCompletableFuture();
  }

  @Override
  public void removeProxy(String key) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("A rate-limit bucket was removed synchronously on an event loop");
    }
    removeAsync(key).join();
  }

  @Override
  public boolean isAsyncModeSupported() {
    return true;
  }

  @Override
  public boolean isExpireAfterWriteSupported() {
    return true;
  }

  /** Deletes buckets that have refilled completely (they are the same as none); returns how many. */
  Future<Integer> removeExpired() {
    return pool.query("delete from rate_limit_bucket where expires_at < now()").execute().map(rows -> rows.rowCount());
  }

  private Future<Optional<byte[]>> read(String key) {
    return pool.preparedQuery("select state from rate_limit_bucket where key = $1").execute(Tuple.of(key))
        .map(rows -> rows.size() == 0 ? Optional.<byte[]>empty()
            : Optional.of(rows.iterator().next().getBuffer("state").getBytes()));
  }

  private Future<Boolean> swap(String key, byte[] original, byte[] updated, RemoteBucketState state) {
    double ttlSeconds = Math.max(1, expiry.calculateTimeToLiveMillis(state, currentTimeNanos())) / 1000.0;
    if (original == null) {
      return pool.preparedQuery("insert into rate_limit_bucket (key, state, expires_at) "
              + "values ($1, $2, now() + make_interval(secs => $3)) on conflict (key) do nothing")
          .execute(Tuple.of(key, Buffer.buffer(updated), ttlSeconds))
          .map(rows -> rows.rowCount() == 1);
    }
    return pool.preparedQuery("update rate_limit_bucket set state = $3, expires_at = now() + make_interval(secs => $4) "
            + "where key = $1 and state = $2")
        .execute(Tuple.of(key, Buffer.buffer(original), Buffer.buffer(updated), ttlSeconds))
        .map(rows -> rows.rowCount() == 1);
  }
}
