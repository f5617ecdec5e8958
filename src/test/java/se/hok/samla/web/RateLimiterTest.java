package se.hok.samla.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.config.Limit;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;
import se.hok.samla.support.TestClock;

/**
 * Many requests at the same moment for one key (an office's sign-ups from one address, a script against one account)
 * are counted one after another against the limit, on the real PostgreSQL: none is refused because others were
 * counted at the same time, across instances too, and a burst on one key does not hold up other keys. The clock
 * stands still, so no token is refilled during a test and the counts are exact however slow the machine.
 */
@WithSamla
class RateLimiterTest {
  static TestApp app;
  static Pool otherInstancesPool;
  static RateLimiter instance;
  static RateLimiter otherInstance;

  @BeforeAll
  static void start() {
    TestClock clock = TestClock.stopped();
    // Two instances of Samla over one database: each its own limiter and its own pool, of the size Samla gives its own.
    instance = new RateLimiter(app.vertx, pool(), clock);
    otherInstancesPool = pool();
    otherInstance = new RateLimiter(app.vertx, otherInstancesPool, clock);
  }

  static Pool pool() {
    return PgBuilder.pool().connectingTo(app.running.database().connectOptions())
        .with(new PoolOptions().setMaxSize(se.hok.samla.config.Config.defaultPoolSize())).using(app.vertx).build();
  }

  /** Takes a token on an event loop of its own, as requests arriving together are served. */
  static Future<RateLimiter.Decision> take(RateLimiter limiter, Limit limit, String subject) {
    Promise<RateLimiter.Decision> decision = Promise.promise();
    app.vertx.getOrCreateContext().runOnContext(v -> limiter.take("test", limit, subject).onComplete(decision));
    return decision.future();
  }

  static List<RateLimiter.Decision> allAtOnce(int n, Limit limit, String subject) {
    List<Future<RateLimiter.Decision>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(take(i % 2 == 0 ? instance : otherInstance, limit, subject));
    }
    await(Future.all(all));
    return all.stream().map(Future::result).toList();
  }

  @Test
  void fortyAtOnceForOneKeyUnderALimitOfFortyAllPassAndTheFortyFirstIsRefused() {
    Limit forty = Limit.parse("TEST", "40/1m");
    String office = "203.0.113." + System.nanoTime() % 200;
    List<RateLimiter.Decision> decisions = allAtOnce(40, forty, office);
    assertEquals(40, decisions.stream().filter(RateLimiter.Decision::allowed).count(),
        "every one of the 40, from two instances at once");
    RateLimiter.Decision fortyFirst = await(take(otherInstance, forty, office));
    assertFalse(fortyFirst.allowed(), "the 41st is over the limit");
    assertTrue(fortyFirst.retryAfter().toMillis() >= 1000, "and told when to try again: " + fortyFirst.retryAfter());
  }

  @Test
  void aFloodIsCountedExactlyAndTokensGivenBackAtOnceAreAllBack() {
    Limit ten = Limit.parse("TEST", "10/1h");
    String script = "script-" + System.nanoTime();
    List<RateLimiter.Decision> decisions = allAtOnce(100, ten, script);
    assertEquals(10, decisions.stream().filter(RateLimiter.Decision::allowed).count(), "ten, and not one more");

    List<Future<Void>> givenBack = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      givenBack.add(i % 2 == 0 ? instance.giveBack("test", ten, script) : otherInstance.giveBack("test", ten, script));
    }
    await(Future.all(givenBack));
    assertEquals(10, allAtOnce(11, ten, script).stream().filter(RateLimiter.Decision::allowed).count(),
        "all ten given back at the same moment are back");
  }

  /** A burst on one key waits its turn on one connection, not on the whole pool: another key goes by it. */
  @Test
  void aBurstOnOneKeyDoesNotHoldUpAnother() {
    Limit many = Limit.parse("TEST", "1000/1m");
    String hot = "hot-" + System.nanoTime();
    AtomicInteger burstDone = new AtomicInteger();
    List<Future<RateLimiter.Decision>> burst = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      burst.add(take(instance, many, hot).andThen(d -> burstDone.incrementAndGet()));
    }
    RateLimiter.Decision other = await(take(instance, Limit.parse("TEST", "5/1m"), "someone-signing-in-" + System.nanoTime()));
    int doneWhenOtherWas = burstDone.get();
    await(Future.all(burst));
    assertTrue(other.allowed());
    assertTrue(doneWhenOtherWas < 100, "the other key was counted while the burst went on: after " + doneWhenOtherWas + " of 200");
    assertEquals(200, burst.stream().filter(f -> f.result().allowed()).count());
  }
}
