package se.hok.samla.checkin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How scans are grouped into statements, with a stand-in for the statement (the database tests are ScanBatchDbTest). */
class ScanBatchesTest {
  /** A statement that answers when the test says so, and records each batch it was given. */
  static final class Statements {
    final List<List<String>> batches = new CopyOnWriteArrayList<>();
    final List<Promise<List<String>>> open = new CopyOnWriteArrayList<>();
    volatile boolean down;

    Future<List<String>> run(List<String> batch) {
      batches.add(batch);
      if (batch.stream().anyMatch(s -> s.startsWith("bad"))) {
        return Future.failedFuture(new IllegalStateException("refused " + batch));
      }
      if (down) {
        return Future.failedFuture(new java.net.ConnectException("database unreachable"));
      }
      Promise<List<String>> p = Promise.promise();
      open.add(p);
      return p.future().map(ignored -> batch.stream().map(s -> "answer to " + s).toList());
    }

    void finishAll() {
      List<Promise<List<String>>> now = new ArrayList<>(open);
      open.removeAll(now);
      now.forEach(p -> p.complete(List.of()));
    }
  }

  /** The stand-in's refusals are IllegalStateExceptions; a ConnectException is the database not answering. */
  private static boolean refused(Throwable e) {
    return e instanceof IllegalStateException;
  }

  private static ScanBatches<String, String> batches(Statements db, int atOnce, int maxBatch) {
    return new ScanBatches<>(atOnce, maxBatch, ScanBatchesTest::key, db::run, ScanBatchesTest::refused);
  }

  /** n scans named prefix0, prefix1, … submitted in order. */
  private static List<Future<String>> submit(ScanBatches<String, String> batches, String prefix, int n) {
    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      answers.add(batches.submit(prefix + i));
    }
    return answers;
  }

  private static String key(String item) {
    return item.contains("#") ? item.substring(0, item.indexOf('#')) : null;
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void aQuietDoorSendsEachScanAtOnceAndABusyOneSendsWhatQueuedTogether() throws Exception {
    Statements db = new Statements();
    ScanBatches<String, String> batches = batches(db, 2, 64);
    Future<String> a = batches.submit("a");
    Future<String> b = batches.submit("b");
    assertEquals(List.of(List.of("a"), List.of("b")), db.batches, "two statements may run: each goes alone, at once");
    List<Future<String>> queued = submit(batches, "q", 10);
    assertEquals(2, db.batches.size(), "nothing more runs while two are running");
    db.finishAll();
    assertEquals("answer to a", get(a));
    assertEquals("answer to b", get(b));
    assertEquals(List.of("q0", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9"), db.batches.get(2),
        "the first statement to finish takes everything queued, in order");
    db.finishAll();
    for (int i = 0; i < 10; i++) {
      assertEquals("answer to q" + i, get(queued.get(i)), "each scan gets its own answer");
    }
    assertEquals(10, batches.largestBatch());
  }

  @Test
  void aBatchNeverExceedsItsLimit() throws Exception {
    Statements db = new Statements();
    ScanBatches<String, String> batches = batches(db, 1, 4);
    batches.submit("first");
    List<Future<String>> queued = submit(batches, "q", 9);
    while (!db.open.isEmpty()) {
      db.finishAll();
    }
    assertEquals(List.of(1, 4, 4, 1), db.batches.stream().map(List::size).toList());
    for (Future<String> f : queued) {
      assertTrue(get(f).startsWith("answer to q"));
    }
  }

  @Test
  void aReplayedKeyWaitsForTheNextStatementSoItFindsTheFirstAnswer() throws Exception {
    Statements db = new Statements();
    ScanBatches<String, String> batches = batches(db, 1, 64);
    batches.submit("busy");
    Future<String> first = batches.submit("device1:key1#first");
    Future<String> other = batches.submit("device2:key1#other");
    Future<String> replay = batches.submit("device1:key1#replay");
    db.finishAll();
    assertEquals(List.of("device1:key1#first", "device2:key1#other"), db.batches.get(1));
    db.finishAll();
    assertEquals(List.of("device1:key1#replay"), db.batches.get(2));
    db.finishAll();
    assertEquals("answer to device1:key1#first", get(first));
    assertEquals("answer to device2:key1#other", get(other));
    assertEquals("answer to device1:key1#replay", get(replay));
  }

  @Test
  void aScanTheDatabaseRefusesFailsAloneAndItsNeighboursAreAnswered() throws Exception {
    Statements db = new Statements();
    ScanBatches<String, String> batches = batches(db, 1, 64);
    batches.submit("busy");
    Future<String> before = batches.submit("good1");
    Future<String> bad = batches.submit("bad");
    Future<String> after = batches.submit("good2");
    while (!db.open.isEmpty()) {
      db.finishAll();
    }
    assertEquals("answer to good1", get(before));
    assertEquals("answer to good2", get(after));
    assertTrue(bad.failed(), "the refused scan fails");
    assertEquals(List.of(List.of("busy"), List.of("good1", "bad", "good2"), List.of("good1"), List.of("bad"), List.of("good2")),
        db.batches, "the failed batch is tried again one scan at a time");
    assertFalse(db.batches.stream().skip(5).findAny().isPresent());
  }

  @Test
  void whenTheDatabaseIsDownEveryScanOfTheBatchFailsAtOnce() throws Exception {
    Statements db = new Statements();
    ScanBatches<String, String> batches = batches(db, 1, 64);
    batches.submit("busy");
    List<Future<String>> queued = submit(batches, "q", 5);
    db.down = true;
    db.finishAll();
    for (Future<String> f : queued) {
      Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> get(f));
      assertTrue(e.getCause() instanceof java.net.ConnectException, e.toString());
    }
    assertEquals(2, db.batches.size(), "no scan was tried alone: " + db.batches);
  }
}
