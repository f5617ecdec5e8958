package se.hok.samla.web;

import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AbstractProxyManager;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.remote.CommandResult;
import io.github.bucket4j.distributed.remote.MutableBucketEntry;
import io.github.bucket4j.distributed.remote.RemoteCommand;
import io.github.bucket4j.distributed.remote.Request;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * bucket4j's buckets kept in PostgreSQL ({@code rate_limit_bucket}), so that every instance counts against the same
 * limits, through the reactive client so that no event loop ever waits. Each step on a bucket (take a token, give one
 * back, forget the bucket) is one short transaction that holds the bucket's lock: it reads the stored state, lets
 * bucket4j compute the new one, and writes it if it changed. Steps on one bucket therefore follow each other and none
 * is lost or refused because another came at the same moment – 40 sign-ups from one office address in the same
 * second are 40 steps in a row, not 40 compare-and-swap races of which most lose.
 *
 * <p>Two queues keep that cheap. Within an instance, steps on one bucket wait their turn in memory (a Vert.x local
 * lock per key) before they take a connection, so a burst on one key holds one connection of the pool, not all of
 * them, and the rest of the application (signing in, pages) is not starved. Across instances, the transaction takes
 * a PostgreSQL advisory lock on the key; it covers a bucket whose row does not exist yet as well, and is released by
 * commit or rollback, whatever happens. A step that waits longer than {@link #TURN_TIMEOUT} for its turn in the
 * instance fails with {@link Crowded}: that many requests at once for one key is a flood. A lock held too long in the
 * database fails with lock_timeout, which is database trouble (503, see {@link Failures}).
 *
 * <p>bucket4j's own PostgreSQL module (and its lock-based proxy managers) work over JDBC, which would need a blocking
 * connection pool beside the reactive one; this class does the same steps over the reactive client. A refused
 * request writes nothing.
 */
final class PgBuckets extends AbstractProxyManager<String> {
  /** How long a step may wait behind others on the same key in this instance before it is a flood. */
  static final Duration TURN_TIMEOUT = Duration.ofSeconds(5);
  /** The first key of the advisory locks on rate-limit buckets (the second is the key's hash), Samla's only ones. */
  private static final int ADVISORY_LOCK_SPACE = 0x5a4d4c41;
  /** A bucket's row is kept until it has refilled completely, and a minute more: after that it equals no row. */
  private static final Duration KEEP_AFTER_REFILL = Duration.ofMinutes(1);
  private static final ExpirationAfterWriteStrategy EXPIRY =
      ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL);

  /** Too many steps on one key at once in this instance: the step was not taken. */
  static final class Crowded extends RuntimeException {
    Crowded(String key, Throwable cause) {
      super("Too many rate-limit steps at once on " + key.substring(0, key.lastIndexOf(':')), cause);
    }
  }

  private final Vertx vertx;
  private final Pool pool;

  PgBuckets(Vertx vertx, Pool pool, Clock clock) {
    super(ClientSideConfig.getDefault()
        .withClientClock(new ClockTime(clock))
        .withExpirationAfterWriteStrategy(EXPIRY));
    this.vertx = vertx;
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
  public <T> CompletableFuture<CommandResult<T>> executeAsync(String key, Request<T> request) {
    return completable(inTurn(key, conn -> step(conn, key, request)));
  }

  /** For callers on worker threads only: an event loop must use the asynchronous buckets ({@code asAsync()}). */
  @Override
  public <T> CommandResult<T> execute(String key, Request<T> request) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("A rate-limit bucket was used synchronously on an event loop");
    }
    return executeAsync(key, request).join();
  }

  @Override
  protected CompletableFuture<Void> removeAsync(String key) {
    return completable(inTurn(key, conn -> conn.preparedQuery("delete from rate_limit_bucket where key = $1")
        .execute(Tuple.of(key)).<Void>mapEmpty()));
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

  /**
   * Runs the work in a transaction that holds the key's lock, once the steps before it on the key in this instance are
   * done. The lock statement and the read that follows are sent together (pipelined): one round trip, and the read,
   * a statement of its own, sees what the previous holder committed.
   */
  private <T> Future<T> inTurn(String key, Function<SqlConnection, Future<T>> work) {
    Supplier<Future<T>> inDatabase = () -> pool.withTransaction(conn -> {
      Future<?> locked = conn.preparedQuery("select pg_advisory_xact_lock($1, hashtext($2))")
          .execute(Tuple.of(ADVISORY_LOCK_SPACE, key));
      Future<T> done = work.apply(conn);
      return Future.all(locked, done).map(both -> done.result());
    });
    return vertx.sharedData().getLocalLockWithTimeout("rate-limit:" + key, TURN_TIMEOUT.toMillis())
        .recover(e -> Future.failedFuture(new Crowded(key, e)))
        .compose(turn -> inDatabase.get().andThen(done -> turn.release()));
  }

  /** One step of bucket4j on the stored state, as its lock-based proxy managers take it. */
  private <T> Future<CommandResult<T>> step(SqlConnection conn, String key, Request<T> request) {
    return conn.preparedQuery("select state from rate_limit_bucket where key = $1").execute(Tuple.of(key))
        .compose(rows -> {
          byte[] stored = stored(rows);
          RemoteCommand<T> command = request.getCommand();
          if (stored == null && !command.isInitializationCommand()) {
            return Future.succeededFuture(CommandResult.<T>bucketNotFound());
          }
          MutableBucketEntry entry = new MutableBucketEntry(stored);
          CommandResult<T> result = command.execute(entry, getClientSideTime());
          if (!entry.isStateModified()) {
            return Future.succeededFuture(result);
          }
          byte[] updated = entry.getStateBytes(request.getBackwardCompatibilityVersion());
          double ttlSeconds = Math.max(1, EXPIRY.calculateTimeToLiveMillis(entry.get(), currentTimeNanos())) / 1000.0;
          // An upsert: the row may have been deleted as refilled (removeExpired) since it was read, which is a full
          // bucket, exactly what was computed from.
          return conn.preparedQuery("""
                  insert into rate_limit_bucket (key, state, expires_at) values ($1, $2, now() + make_interval(secs => $3))
                  on conflict (key) do update set state = excluded.state, expires_at = excluded.expires_at""")
              .execute(Tuple.of(key, Buffer.buffer(updated), ttlSeconds))
              .map(result);
        });
  }

  private static byte[] stored(RowSet<Row> rows) {
    return rows.size() == 0 ? null : rows.iterator().next().getBuffer("state").getBytes();
  }

  private static <T> CompletableFuture<T> completable(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture();
  }
}
