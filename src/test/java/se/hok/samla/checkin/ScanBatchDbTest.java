package se.hok.samla.checkin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * Many scans in one statement, against the real database: a service that runs one statement at a time, so that
 * everything sent while it runs goes together in the next.
 */
@WithSamla(env = "SAMLA_SEND_MAIL=false")
class ScanBatchDbTest {
  static TestApp app;
  static Door door;
  static CheckinService checkins;

  @BeforeAll
  static void start() {
    door = new Door(app);
    checkins = new CheckinService(app.running.database().pool(), door.tickets, null, 1);
  }

  private static CheckinService.Scan byCode(long event, String code, String device, String key) {
    return new CheckinService.Scan(event, null, code, null, device, null, null, key, false, "scan", null);
  }

  private static CheckinService.Scan byPick(long event, UUID registration, String device) {
    return new CheckinService.Scan(event, null, null, registration, device, null, null, UUID.randomUUID().toString(),
        false, "manual", null);
  }

  /**
   * Runs {@code submit} while the service's one statement is busy: a scan of someone whose registration row the test
   * holds locked waits for the lock, so every scan submitted meanwhile queues and goes in the next statement.
   */
  private static void whileTheStatementIsBusy(CheckinService service, long event, Runnable submit) {
    UUID held = door.signUp(event, "Upptagen " + UUID.randomUUID(), null).id();
    try (Door.HeldRow row = door.hold(held)) {
      service.scan(byPick(event, held, "Upptagen"));
      submit.run();
    }
  }

  /** Waits for every scan, whether it succeeded or not. */
  private static void settle(Future<?> all) {
    await(all.transform(done -> Future.succeededFuture()));
  }

  @Test
  void onePersonScannedSeveralWaysInOneStatementIsLetInOnceAndTheOthersSeeByWhom() {
    long event = door.event("Samma sats", 50, null);
    List<Door.Person> people = new ArrayList<>();
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Door.Person p = door.signUp(event, "Person " + i, null);
      people.add(p);
      codes.add(door.ticket(event, p).code());
    }
    CheckinService checkins = new CheckinService(app.running.database().pool(), door.tickets, null, 1);
    // Each person: their code on two devices and a pick from the list on a third, all at once.
    List<Future<ScanResult>> scans = new ArrayList<>();
    whileTheStatementIsBusy(checkins, event, () -> {
      for (int i = 0; i < people.size(); i++) {
        scans.add(checkins.scan(byCode(event, codes.get(i), "Kamera A", UUID.randomUUID().toString())));
        scans.add(checkins.scan(byCode(event, codes.get(i), "Kamera B", UUID.randomUUID().toString())));
        scans.add(checkins.scan(byPick(event, people.get(i).id(), "Listan")));
      }
    });
    await(Future.join(scans));
    assertEquals(18, checkins.largestBatch(), "scans went together: largest batch " + checkins.largestBatch());

    Map<UUID, List<ScanResult>> byPerson = scans.stream().map(Future::result)
        .collect(Collectors.groupingBy(ScanResult::registrationId));
    assertEquals(people.size(), byPerson.size());
    for (List<ScanResult> results : byPerson.values()) {
      List<ScanResult> admitted = results.stream().filter(ScanResult::admitted).toList();
      assertEquals(1, admitted.size(), results.toString());
      ScanResult first = admitted.get(0);
      for (ScanResult r : results) {
        if (r != first) {
          assertEquals("already_checked_in", r.result());
          assertEquals(first.firstDeviceId(), r.firstDeviceId(), "the others see who was first: " + r);
          assertEquals(first.firstCheckinAt(), r.firstCheckinAt());
          assertEquals(first.checkinId(), r.checkinId());
        }
      }
    }
    assertEquals(List.of(6L), Db.column(app.databaseUrl, "select count(*) from checkin where event_id = " + event + " and device_id <> 'Upptagen'"));
    assertEquals(List.of(19L), Db.column(app.databaseUrl, "select count(*) from checkin_scan where event_id = " + event));
    assertEquals(List.of(7L), Db.column(app.databaseUrl,
        "select count(*) from checkin_scan where event_id = " + event + " and result = 'ok' and checkin_id is not null"));
  }

  @Test
  void everyResultCanShareAStatementWithTheOthers() {
    long event = door.event("Blandat", 50, null);
    long other = door.event("Annat", 50, null);
    Door.Person in = door.signUp(event, "Välkommen", null);
    Door.Person cancelled = door.signUp(event, "Avbokad", null);
    String cancelledCode = door.ticket(event, cancelled).code();
    door.cancel(cancelled);
    Door.Person elsewhere = door.signUp(other, "Fel dörr", null);

    String inCode = door.ticket(event, in).code();
    String elsewhereCode = door.ticket(other, elsewhere).code();
    List<Future<ScanResult>> f = new ArrayList<>();
    whileTheStatementIsBusy(checkins, event, () -> {
      f.add(checkins.scan(byCode(event, inCode, "Enhet", UUID.randomUUID().toString())));
      f.add(checkins.scan(byCode(event, cancelledCode, "Enhet", UUID.randomUUID().toString())));
      f.add(checkins.scan(byCode(event, elsewhereCode, "Enhet", UUID.randomUUID().toString())));
      f.add(checkins.scan(byPick(event, UUID.randomUUID(), "Enhet")));
      f.add(checkins.scan(byPick(-1, in.id(), "Enhet")));
    });
    Future<ScanResult> ok = f.get(0);
    Future<ScanResult> gone = f.get(1);
    Future<ScanResult> wrong = f.get(2);
    Future<ScanResult> unknown = f.get(3);
    Future<ScanResult> noDesk = f.get(4);
    settle(Future.join(List.of(ok, gone, wrong, unknown, noDesk)));

    assertEquals("ok", ok.result().result());
    assertEquals("Välkommen", ok.result().name());
    assertEquals("cancelled", gone.result().result());
    assertEquals("wrong_event", wrong.result().result());
    assertEquals(other, wrong.result().eventId());
    assertEquals("invalid", unknown.result().result());
    assertTrue(noDesk.failed(), "an unknown event is not found, and fails only that scan");
  }

  @Test
  void aReplayArrivingWithItsOriginalGetsTheSameAnswerAndIsLoggedOnce() {
    long event = door.event("Omspelning", 50, null);
    Door.Person p = door.signUp(event, "Köad", null);
    String code = door.ticket(event, p).code();
    String key = UUID.randomUUID().toString();
    List<Future<ScanResult>> f = new ArrayList<>();
    whileTheStatementIsBusy(checkins, event, () -> {
      f.add(checkins.scan(byCode(event, code, "Offline-enhet", key)));
      f.add(checkins.scan(byCode(event, code, "Offline-enhet", key)));
    });
    Future<ScanResult> original = f.get(0);
    Future<ScanResult> replay = f.get(1);
    await(Future.join(original, replay));
    assertEquals("ok", original.result().result());
    assertEquals("ok", replay.result().result(), "a replay answers as the first time");
    assertEquals(List.of(1L), Db.column(app.databaseUrl,
        "select count(*) from checkin_scan where registration_id = '" + p.id() + "'"));
  }

  @Test
  void aScanTheDatabaseRefusesDoesNotTakeItsNeighboursDown() {
    long event = door.event("Vägrad", 50, null);
    Door.Person a = door.signUp(event, "Före", null);
    Door.Person b = door.signUp(event, "Efter", null);
    List<Future<ScanResult>> f = new ArrayList<>();
    whileTheStatementIsBusy(checkins, event, () -> {
      f.add(checkins.scan(byPick(event, a.id(), "Enhet")));
      // A staff member who does not exist: the foreign key refuses the row.
      f.add(checkins.scan(new CheckinService.Scan(event, null, null, b.id(), "Enhet", Long.MAX_VALUE,
          OffsetDateTime.now(), UUID.randomUUID().toString(), false, "manual", null)));
      f.add(checkins.scan(byPick(event, b.id(), "Enhet 2")));
    });
    Future<ScanResult> before = f.get(0);
    Future<ScanResult> refused = f.get(1);
    Future<ScanResult> after = f.get(2);
    settle(Future.join(before, refused, after));
    assertEquals("ok", before.result().result());
    assertTrue(refused.failed());
    assertEquals("ok", after.result().result());
    assertNotNull(after.result().firstCheckinAt());
  }
}
