package se.hok.samla.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestApp;

/**
 * The mail worker's lease reads only the rows still to send, in order, however many the outbox keeps of the mail
 * already sent, and probes the rows it takes, however many wait: in the rush benchmark (164,000 waiting) it hashed the
 * whole outbox for each lease (100–200 ms), the generic plan guessing a tenth of the table for {@code limit $1}.
 */
class MailLeaseTest {
  static TestApp app;

  @BeforeAll
  static void start() {
    // No worker of the app's own: the test leases the rows itself.
    app = TestApp.start(Map.of("SAMLA_SEND_MAIL", "false"));
    Db.exec(app.databaseUrl, """
        insert into outbox (kind, payload, sent_at) select 'confirmed', '{}', now() from generate_series(1, 30000);
        insert into outbox (kind, payload) select 'confirmed', '{}' from generate_series(1, 20000);
        analyze outbox;
        """);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void aLeaseProbesThePendingRowsNotTheWholeOutbox() {
    // As the pool plans it: once per connection, generically (db/Database).
    String plan = Db.column(app.databaseUrl, List.of("set plan_cache_mode = force_generic_plan",
            "prepare lease(int, float8) as " + MailStore.LEASE), "explain execute lease(50, 60)").stream()
        .map(Object::toString).collect(Collectors.joining("\n"));
    assertFalse(plan.contains("Seq Scan on outbox"), "a scan of the whole outbox:\n" + plan);
    assertTrue(plan.contains("outbox_pending_in_order"), "the rows still to send, in order:\n" + plan);

    MailStore store = new MailStore(app.running.database().pool());
    List<MailStore.OutboxRow> leased = await(store.lease(50, Duration.ofMinutes(1)));
    List<Object> oldestPending = Db.column(app.databaseUrl,
        "select id from outbox where sent_at is null order by id limit 50");
    assertEquals(oldestPending, leased.stream().map(r -> (Object) r.id()).toList(), "the 50 oldest still to send, in order");
    assertEquals(List.of(50L), Db.column(app.databaseUrl, "select count(*) from outbox where attempts = 1"),
        "each counted as an attempt, no other");
    List<MailStore.OutboxRow> next = await(store.lease(50, Duration.ofMinutes(1)));
    assertTrue(next.stream().noneMatch(r -> oldestPending.contains(r.id())), "leased rows are not leased again");
    assertEquals(50, next.size());
  }
}
