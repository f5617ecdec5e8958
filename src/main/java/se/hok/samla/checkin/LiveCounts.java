package se.hok.samla.checkin;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import se.hok.samla.web.RequestLoad;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live check-in counts for every open page, on every instance: admissions and undos are announced with NOTIFY
 * {@value CheckinService#CHANNEL} and the event id ({@link #changed}); every instance LISTENs, recounts that event
 * (at most once per {@link #COALESCE_MS}, however fast the door scans) and pushes the counts to its Server-Sent
 * Event streams.
 */
public final class LiveCounts {
  private static final Logger log = LoggerFactory.getLogger(LiveCounts.class);
  static final long COALESCE_MS = 150;
  private static final long PING_MS = 15_000;

  private final Vertx vertx;
  private final CheckinService checkins;
  private final PgSubscriber subscriber;
  private final Map<Long, Set<Stream>> streams = new ConcurrentHashMap<>();
  private final Set<Long> pending = ConcurrentHashMap.newKeySet();
  private final Set<Long> toAnnounce = ConcurrentHashMap.newKeySet();
  private final Pool pool;
  private volatile boolean stopping;

  private record Stream(HttpServerResponse response, Context context) {}

  public LiveCounts(Vertx vertx, Pool pool, CheckinService checkins, PgConnectOptions connect) {
    this.vertx = vertx;
    this.pool = pool;
    this.checkins = checkins;
    // Reconnects for ever, once a second: live counts come back by themselves after a database restart.
    this.subscriber = PgSubscriber.subscriber(vertx, connect).reconnectPolicy(retries -> 1000L);
    subscriber.channel(CheckinService.CHANNEL).handler(this::notified);
    subscriber.closeHandler(v -> {
      if (!stopping) {
        log.warn("Live counts lost their database connection");
      }
    });
  }

  public Future<Void> start() {
    return subscriber.connect();
  }

  public Future<Void> stop() {
    stopping = true;
    streams.values().forEach(set -> set.forEach(s -> s.context().runOnContext(v -> s.response().end())));
    streams.clear();
    return subscriber.close();
  }

  /**
   * The event's counts changed (an admission, an undo, a walk-in) on this instance: tell every instance, this one
   * included, through one NOTIFY per event per {@link #COALESCE_MS}, however many people come in meanwhile. Sent
   * after the change committed; should this instance die in between, the counts catch up with the next change or
   * when a page reconnects.
   */
  void changed(long eventId) {
    if (!toAnnounce.add(eventId)) {
      return;
    }
    vertx.setTimer(COALESCE_MS, t -> {
      toAnnounce.remove(eventId);
      pool.preparedQuery("select pg_notify($1, $2)").execute(Tuple.of(CheckinService.CHANNEL, String.valueOf(eventId)))
          .onFailure(e -> log.warn("Could not announce new counts for event {}", eventId, e));
    });
  }

  private void notified(String payload) {
    long eventId;
    try {
      eventId = Long.parseLong(payload);
    } catch (NumberFormatException e) {
      return;
    }
    if (!streams.containsKey(eventId) || !pending.add(eventId)) {
      return;
    }
    vertx.setTimer(COALESCE_MS, t -> {
      pending.remove(eventId);
      checkins.counts(eventId)
          .onSuccess(counts -> broadcast(eventId, counts))
          .onFailure(e -> log.warn("Could not recount event {}", eventId, e));
    });
  }

  private void broadcast(long eventId, JsonObject counts) {
    String message = message(counts);
    Set<Stream> set = streams.get(eventId);
    if (set != null) {
      set.forEach(s -> s.context().runOnContext(v -> {
        if (!s.response().closed()) {
          s.response().write(message);
        }
      }));
    }
  }

  private static String message(JsonObject counts) {
    return "event: counts\ndata: " + counts.encode() + "\n\n";
  }

  /** Opens a Server-Sent Events stream of the event's counts: the current ones at once, then every change. */
  void stream(RoutingContext ctx, long eventId) {
    checkins.counts(eventId).onFailure(ctx::fail).onSuccess(counts -> {
      HttpServerResponse response = ctx.response();
      response.setChunked(true)
          .putHeader("Content-Type", "text/event-stream; charset=utf-8")
          .putHeader("Cache-Control", "no-store")
          .putHeader("X-Accel-Buffering", "no")
          // Not compressed: a compressor may hold small writes back, and each one must reach the page at once.
          .putHeader("Content-Encoding", "identity");
      RequestLoad.streaming(ctx);
      Stream stream = new Stream(response, vertx.getOrCreateContext());
      streams.computeIfAbsent(eventId, id -> ConcurrentHashMap.newKeySet()).add(stream);
      // A reconnecting browser waits 2 s, not its default 3; the first counts go out with the headers.
      response.write("retry: 2000\n\n" + message(counts));
      long ping = vertx.setPeriodic(PING_MS, t -> {
        if (!response.closed()) {
          response.write(": ping\n\n");
        }
      });
      Runnable gone = () -> {
        vertx.cancelTimer(ping);
        Set<Stream> set = streams.get(eventId);
        if (set != null) {
          set.remove(stream);
          if (set.isEmpty()) {
            streams.remove(eventId, set);
          }
        }
      };
      response.closeHandler(v -> gone.run());
      response.exceptionHandler(e -> gone.run());
    });
  }
}
