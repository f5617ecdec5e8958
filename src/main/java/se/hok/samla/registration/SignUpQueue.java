package se.hok.samla.registration;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Sign-ups go to the database in batches, in the spirit of the door's {@code checkin.ScanBatches}: while
 * {@code maxInFlight} batches are being claimed, the sign-ups that arrive wait in line, and when one is done the next
 * batch takes all of them (up to {@code maxBatch}), in the order they came, whatever their events. One line for all
 * events, so that a rush spread over many events fills its batches as well as a rush for one event does (one line per
 * event left each batch of a spread rush with one sign-up: one transaction, one WAL flush per person). A batch starts
 * only once the batch before it holds its events' locks, so where the two share an event, the later one's lock waits
 * for the earlier one's commit and the numbers follow arrival; a batch takes its events' locks in one statement, in
 * the order of their ids, so batches never wait for each other in a circle. A quiet moment pays no wait: with a slot
 * free, a sign-up goes at once, alone.
 *
 * <p>The wait is bounded, for every event alike, and nothing waits on a timer: a sign-up waits in line for at most
 * the {@code maxInFlight} batches in flight plus the {@code ceil(ahead / maxBatch)} batches that take those ahead of
 * it (and, if it shares a key with a sign-up ahead of it or in flight, for that one's batch), then for its own batch.
 * A sign-up for a quiet event that arrives during another event's rush goes in the next batch with the rush: it waits
 * as long as a sign-up of the rush, not for the rush to pass. The price of one line: a batch that waits for an event's
 * lock (held by another instance's batch or by a change of that event, both one short transaction) holds up the next
 * batch, whatever its events.
 *
 * <p>The line is shared by all event loops of the instance (one lock, held only to move items in and out of it), so
 * sign-ups arriving on different event loops share batches; answers are given on the context each sign-up came from.
 *
 * <p>Two sign-ups with a common {@code keys} value (the same Idempotency-Key, the same e-mail address for one event)
 * never share a batch: the later waits for the next one, so it finds the first's registration as a new sign-up would.
 * A sign-up that must be {@code alone} (a sign-up only to be answered, whose transaction is rolled back) gets a batch
 * of its own, in a lane of its own, one at a time beside the batches: it keeps no number, so it needs no turn, and a
 * flood of them neither cuts the batches of the line nor holds them up; a sign-up sharing a key with one waits for it.
 *
 * @param <I> a sign-up
 * @param <O> its answer
 */
final class SignUpQueue<I, O> {
  private final int maxBatch;
  private final int maxInFlight;
  private final Function<I, List<Object>> keys;
  private final Predicate<I> alone;
  private final Claim<I, O> run;
  private final AtomicInteger largest = new AtomicInteger();

  // The line, guarded by itself.
  private final ArrayDeque<Waiting<I, O>> line = new ArrayDeque<>();
  private int inFlight;
  /** The keys of the sign-ups in flight: a sign-up sharing one waits until they are done. */
  private final Set<Object> busy = new HashSet<>();
  /** When the batch launched last holds its locks (or is done): the next batch is launched only then. */
  private Future<Void> turn = Future.succeededFuture();
  private boolean awaitingTurn;
  /** Sign-ups to be {@code alone} waiting in line, and whether one is in its lane. */
  private int aloneWaiting;
  private boolean aloneInFlight;

  /** One sign-up's answer: its result, or its own failure. */
  record Answer<O>(O result, Throwable failure) {
    static <O> Answer<O> of(O result) {
      return new Answer<>(result, null);
    }

    static <O> Answer<O> failed(Throwable failure) {
      return new Answer<>(null, failure);
    }
  }

  private record Waiting<I, O>(I item, Promise<O> answer, Context context) {}

  /** Claims a batch of sign-ups, of one event or several. */
  interface Claim<I, O> {
    /**
     * @param locked to complete when the batch holds the locks of all its events: the next batch starts then (where
     *               it shares an event, its lock then waits for this one's commit, so the numbers follow arrival);
     *               completed by the queue when the batch is done, if not before
     * @return one answer per sign-up, in the same order; a failed future fails them all
     */
    Future<List<Answer<O>>> claim(List<I> items, Promise<Void> locked);
  }

  /**
   * @param maxInFlight batches in flight at once: with two, the next batch writes its rows while the one before holds
   *                    the locks, and claims its seats right after. The next batch starts only once the one before
   *                    holds its locks, so it never holds a database connection while waiting in this queue
   */
  SignUpQueue(int maxBatch, int maxInFlight, Function<I, List<Object>> keys, Predicate<I> alone, Claim<I, O> run) {
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
    this.keys = keys;
    this.alone = alone;
    this.run = run;
  }

  Future<O> submit(I item) {
    Promise<O> answer = Promise.promise();
    synchronized (line) {
      line.add(new Waiting<>(item, answer, Vertx.currentContext()));
      if (alone.test(item)) {
        aloneWaiting++;
      }
    }
    drain();
    return answer.future();
  }

  /** The most sign-ups one batch has carried so far (for tests and benchmarks). */
  int largestBatch() {
    return largest.get();
  }

  private record Taken<I, O>(List<Waiting<I, O>> batch, Promise<Void> locked, boolean alone) {}

  private void drain() {
    List<Taken<I, O>> taken = new ArrayList<>();
    Future<Void> awaited = null;
    synchronized (line) {
      if (!aloneInFlight && aloneWaiting > 0) {
        Waiting<I, O> next = takeAlone();
        if (next != null) {
          aloneWaiting--;
          aloneInFlight = true;
          busy.addAll(keys.apply(next.item()));
          taken.add(new Taken<>(List.of(next), Promise.promise(), true));
        }
      }
      while (inFlight < maxInFlight && !line.isEmpty()) {
        if (!turn.isComplete()) {
          if (!awaitingTurn) {
            awaitingTurn = true;
            awaited = turn;
          }
          break;  // taken when the batch in flight holds its locks, with everyone who came meanwhile
        }
        List<Waiting<I, O>> batch = take();
        if (batch.isEmpty()) {
          break;  // everyone waiting shares a key with a sign-up in flight, or is to be alone
        }
        batch.forEach(w -> busy.addAll(keys.apply(w.item())));
        Promise<Void> locked = Promise.promise();
        turn = locked.future();
        taken.add(new Taken<>(batch, locked, false));
        inFlight++;
      }
    }
    taken.forEach(this::launch);
    if (awaited != null) {
      awaited.onComplete(v -> {
        synchronized (line) {
          awaitingTurn = false;
        }
        drain();
      });
    }
  }

  private void launch(Taken<I, O> t) {
    List<Waiting<I, O>> batch = t.batch();
    largest.accumulateAndGet(batch.size(), Math::max);
    Future<List<Answer<O>>> answers;
    try {
      answers = run.claim(batch.stream().map(Waiting::item).toList(), t.locked());
    } catch (RuntimeException e) {
      answers = Future.failedFuture(e);
    }
    answers.onComplete(done -> {
      for (int i = 0; i < batch.size(); i++) {
        answer(batch.get(i), done.succeeded() ? done.result().get(i) : Answer.failed(done.cause()));
      }
      synchronized (line) {
        if (t.alone()) {
          aloneInFlight = false;
        } else {
          inFlight--;
        }
        batch.forEach(w -> keys.apply(w.item()).forEach(busy::remove));
      }
      t.locked().tryComplete();
      drain();
    });
  }

  /**
   * The next batch: in arrival order, skipping (for a later batch) whoever is to be alone, and whoever shares a key
   * with someone waiting ahead of them or with a sign-up in flight ({@code busy}). Two transactions in flight never
   * wait for each other's rows: the later one waits for the earlier one's commit in this queue, so the earlier one
   * must never wait for it in the database. Called holding the line's lock.
   */
  private List<Waiting<I, O>> take() {
    List<Waiting<I, O>> batch = new ArrayList<>();
    Set<Object> ahead = new HashSet<>(busy);
    for (Iterator<Waiting<I, O>> it = line.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
      Waiting<I, O> next = it.next();
      List<Object> own = keys.apply(next.item());
      if (alone.test(next.item()) || own.stream().anyMatch(ahead::contains)) {
        ahead.addAll(own);  // nobody sharing a key with it overtakes it
        continue;
      }
      ahead.addAll(own);
      batch.add(next);
      it.remove();
    }
    return batch;
  }

  /** The first sign-up to be alone that shares no key with anyone ahead of it or in flight; null if none. */
  private Waiting<I, O> takeAlone() {
    Set<Object> ahead = new HashSet<>(busy);
    for (Iterator<Waiting<I, O>> it = line.iterator(); it.hasNext(); ) {
      Waiting<I, O> next = it.next();
      List<Object> own = keys.apply(next.item());
      if (alone.test(next.item()) && own.stream().noneMatch(ahead::contains)) {
        it.remove();
        return next;
      }
      ahead.addAll(own);
    }
    return null;
  }

  private void answer(Waiting<I, O> w, Answer<O> a) {
    Runnable complete = () -> {
      if (a.failure() == null) {
        w.answer().complete(a.result());
      } else {
        w.answer().fail(a.failure());
      }
    };
    if (w.context() == null || w.context() == Vertx.currentContext()) {
      complete.run();
    } else {
      w.context().runOnContext(v -> complete.run());
    }
  }
}
