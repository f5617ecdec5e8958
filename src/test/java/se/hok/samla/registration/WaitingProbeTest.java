package se.hok.samla.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestApp;

/**
 * "Is anyone waiting for this event?" is asked for every event of every sign-up batch. It must stay an index probe
 * whatever PostgreSQL's statistics say. After an ANALYZE in a rush (when batches hold rows that are 'waitlisted' until
 * they are numbered) they say many registrations are waiting, and a probe PostgreSQL is free to plan as "scan the
 * table until a waiting row turns up" then reads the whole table once per event: a third of the benchmark's runs fell
 * from 5,000 to 100 sign-ups/s that way (docs/benchmarks.md, session 5).
 */
class WaitingProbeTest {
  static TestApp app;
  static List<Long> events;
  /** An event of the second test's, not among those the first one asks about. */
  static long quiet;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    String organiser = app.tokenFor("organiser");
    events = List.of(Events.published(app, organiser, 50, new JsonArray()).getLong("id"),
        Events.published(app, organiser, 50, new JsonArray()).getLong("id"),
        Events.published(app, organiser, 50, new JsonArray()).getLong("id"));
    quiet = Events.published(app, organiser, 50, new JsonArray()).getLong("id");
    long crowded = events.get(0);
    // 30,000 people on one event's waiting list when the statistics are gathered, all confirmed a moment later.
    // (autovacuum off for the table, so that it cannot gather them again behind the test's back)
    Db.exec(app.databaseUrl, """
        alter table registration set (autovacuum_enabled = false);
        insert into registration (event_id, status, waitlist_seq, name, email)
          select %d, 'waitlisted', nextval('waitlist_seq'), 'Väntar ' || g, 'w' || g || '@example.org'
          from generate_series(1, 30000) g;
        analyze registration;
        update registration set status = 'confirmed', confirmed_at = now(), waitlist_seq = null where event_id = %d;
        """.formatted(crowded, crowded));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static String plan(String sql) {
    return Db.column(app.databaseUrl, "explain " + sql).stream().map(Object::toString).collect(Collectors.joining("\n"));
  }

  @Test
  void theProbeReadsTheIndexWhenTheStatisticsSayManyWait() {
    String ids = events.stream().map(String::valueOf).collect(Collectors.joining(","));
    for (String except : new String[] {null, "not (w.id = any(array[gen_random_uuid()]))", "w.id <> gen_random_uuid()"}) {
      String sql = "select e.id, " + RegistrationService.anyoneWaiting("e.id", except) + " as waiting from event e"
          + " where e.id = any(array[" + ids + "]::bigint[])";
      String plan = plan(sql);
      assertFalse(plan.contains("Seq Scan on registration"), "a scan of every registration:\n" + plan);
      assertTrue(plan.contains("registration_event_status"), plan);
      assertEquals(List.of(false, false, false), Db.column(app.databaseUrl, sql.replace("e.id, ", "") + " order by e.id"),
          "nobody waits: everyone was confirmed");
    }
  }

  @Test
  void theProbeSeesWhoWaitsExceptThoseLeftOut() {
    Object first = Db.column(app.databaseUrl, "insert into registration (event_id, status, waitlist_seq, name, email) values ("
        + quiet + ", 'waitlisted', nextval('waitlist_seq'), 'Först I Kön', 'forst@example.org') returning id").get(0);
    String probe = "select %s from event e where e.id = " + quiet;
    assertEquals(List.of(true), Db.column(app.databaseUrl, probe.formatted(RegistrationService.anyoneWaiting("e.id", null))),
        "the one waiting is seen, so a free seat is not taken from in front of them");
    assertEquals(List.of(false), Db.column(app.databaseUrl,
        probe.formatted(RegistrationService.anyoneWaiting("e.id", "w.id <> '" + first + "'"))),
        "a batch's own rows (waiting until numbered) are left out");
  }
}
