package se.hok.samla.staff;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one instance changes of staff access – API tokens revoked, an account closed, given another role or a new
 * password, a duty at an event ended or changed – every instance forgets at once. Each instance keeps what it checked
 * for {@link StaffService#TOKEN_CACHE} (a door device asks once per scan); without this, another instance went on
 * believing a revoked token, say a lost door phone's, for up to that long. The notice goes through PostgreSQL
 * (NOTIFY on one channel, LISTENed to by every instance, the one that sent it included). Notices sent while an
 * instance's listening connection is down are lost, so whenever it is back the instance forgets everything it kept;
 * until then the 20 seconds stand.
 */
public final class StaffChanges {
  private static final Logger log = LoggerFactory.getLogger(StaffChanges.class);
  static final String CHANNEL = "samla_staff_changed";

  private final StaffService staff;
  private final EventStaff eventStaff;
  private final PgSubscriber subscriber;
  private volatile boolean stopping;

  public StaffChanges(Vertx vertx, PgConnectOptions connect, StaffService staff, EventStaff eventStaff) {
    this.staff = staff;
    this.eventStaff = eventStaff;
    // Reconnects for ever, once a second, as the live counts do.
    this.subscriber = PgSubscriber.subscriber(vertx, connect).reconnectPolicy(retries -> 1000L);
    subscriber.channel(CHANNEL)
        .subscribeHandler(v -> forgetAll())
        .handler(this::heard);
    subscriber.closeHandler(v -> {
      if (!stopping) {
        log.warn("Staff changes lost their database connection: other instances' revocations take up to {} s here "
            + "until it is back", StaffService.TOKEN_CACHE.toSeconds());
      }
    });
  }

  public Future<Void> start() {
    return subscriber.connect();
  }

  public Future<Void> stop() {
    stopping = true;
    return subscriber.close();
  }

  /** Notices: these tokens were deleted (or, past what a NOTIFY carries, "forget every token"). */
  static String tokens(Collection<Long> ids) {
    String notice = "token:" + ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    return notice.length() > 7_000 ? "all" : notice;
  }

  /** This member's tokens were deleted or their role or account changed. */
  static String member(long staffId) {
    return "member:" + staffId;
  }

  /** This member's duty at this event changed or ended. */
  static String duty(long staffId, long eventId) {
    return "duty:" + staffId + ":" + eventId;
  }

  /**
   * Tells every instance (after this instance has forgotten it itself, so that its own next request already sees the
   * change). Should the notice not go out, the other instances follow within {@link StaffService#TOKEN_CACHE}.
   */
  static void announce(Pool pool, String notice) {
    pool.preparedQuery("select pg_notify($1, $2)").execute(Tuple.of(CHANNEL, notice))
        .onFailure(e -> log.warn("Could not tell the other instances of a staff change ({})", notice, e));
  }

  private void heard(String notice) {
    String[] parts = notice.split(":");
    try {
      switch (parts[0]) {
        case "token" -> staff.dropTokens(Arrays.stream(parts[1].split(",")).map(Long::valueOf).collect(Collectors.toSet()));
        case "member" -> staff.dropTokensOf(Long.parseLong(parts[1]));
        case "duty" -> eventStaff.dropDuty(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        default -> forgetAll();  // "all", or a notice of a later version of Samla
      }
    } catch (RuntimeException unreadable) {
      // A notice of a later version of Samla, during a rolling update: forget everything rather than too little.
      forgetAll();
    }
  }

  private void forgetAll() {
    staff.dropAllTokens();
    eventStaff.dropAllDuties();
  }
}
