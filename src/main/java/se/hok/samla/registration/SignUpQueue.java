package se.hok.samla.registration;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Sign-ups for one event go to the database in batches, in the spirit of the door's {@code checkin.ScanBatches}: while
 * {@code maxInFlight} batches of an event are being claimed, the sign-ups for that event that arrive wait in line, and
 * when one is done the next batch takes all of them (up to {@code maxBatch}), in the order they came. A batch starts
 * only once the batch before it holds the event's lock, so its own lock waits for that one's commit and the numbers
 * follow arrival. A quiet event pays no wait:
 * with a slot free, a sign-up goes at once, alone. The wait is bounded by the batches in flight and those ahead in
 * line ({@code maxBatch} sign-ups each); nothing waits on a timer.
 *
 * <p>Events are independent: each has its own line, so a rush for one event does not delay the others. The lines are
 * shared by all event loops of the instance (one lock, held only to move items in and out of a line), so sign-ups
 * arriving on different event loops share batches; answers are given on the context each sign-up came from.
 *
 * <p>Two sign-ups with a common {@code keys} value (the same Idempotency-Key, the same e-mail address) never share a
 * batch: the later waits for the next one, so it finds the first's registration as a new sign-up would. A sign-up
 * that must be {@code alone} gets a batch of its own (a sign-up only to be answered, whose transaction is rolled back).
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
  private final Map<Long, Line<I, O>> lines = new HashMap<>();
  private final AtomicInteger largest = new AtomicInteger();

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

  private static final class Line<I, O> {
    final ArrayDeque<Waiting<I, O>> queue = new ArrayDeque<>();
    int inFlight;
    /** The keys of the sign-ups in flight: a sign-up sharing one waits until they are done. */
    final Set<Object> busy = new HashSet<>();
    /** When the batch launched last has the event's lock (or is done): the next batch is launched only then. */
    Future<Void> turn = Future.succeededFuture();
    boolean awaitingTurn;
  }

  /** Claims a batch of sign-ups for an event. */
  interface Claim<I, O> {
    /**
     * @param locked to complete when the batch holds the event's lock: the next batch of the event starts then (its
     *               lock then waits for this one's commit, so the numbers follow arrival); completed by the queue
     *               when the batch is done, if not before
     * @return one answer per sign-up, in the same order; a failed future fails them all
     */
    Future<List<Answer<O>>> claim(long eventId, List<I> items, Promise<Void> locked);
  }

  /**
   * @param maxInFlight batches of one event in flight at once: with two, the next batch writes its rows while the one
   *                    before holds the event's lock, and claims its seats right after. The next batch starts only
   *                    once the one before holds the lock, so it never holds a database connection while waiting in
   *                    this queue
   */
  SignUpQueue(int maxBatch, int maxInFlight, Function<I, List<Object>> keys, Predicate<I> alone, Claim<I, O> run) {
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
    this.keys = keys;
    this.alone = alone;
    this.run = run;
  }

  Future<O> submit(long eventId, I item) {
    Promise<O> answer = Promise.promise();
    synchronized (lines) {
      lines.computeIfAbsent(eventId, id -> new Line<>()).queue.add(new Waiting<>(item, answer, Vertx.currentContext()));
    }
    drain(eventId);
    return answer.future();
  }

  /** The most sign-ups one batch has carried so far (for tests and benchmarks). */
  int largestBatch() {
    return largest.get();
  }

  private record Taken<I, O>(List<Waiting<I, O>> batch, Promise<Void> locked) {}

  private void drain(long eventId) {
    List<Taken<I, O>> taken = new ArrayList<>();
    Future<Void> awaited = null;
    synchronized (lines) {
      Line<I, O> line = lines.get(eventId);
      if (line == null) {
        return;
      }
      while (line.inFlight < maxInFlight && !line.queue.isEmpty()) {
        if (!line.turn.isComplete()) {
          if (!line.awaitingTurn) {
            line.awaitingTurn = true;
            awaited = line.turn;
          }
          break;  // taken when the batch in flight has the lock, with everyone who came meanwhile
        }
        List<Waiting<I, O>> batch = take(line.queue, line.busy);
        if (batch.isEmpty()) {
          break;  // everyone waiting shares a key with a sign-up in flight
        }
        batch.forEach(w -> line.busy.addAll(keys.apply(w.item())));
        Promise<Void> locked = Promise.promise();
        line.turn = locked.future();
        taken.add(new Taken<>(batch, locked));
        line.inFlight++;
      }
      if (line.inFlight == 0 && line.queue.isEmpty()) {
        lines.remove(eventId);
      }
    }
    taken.forEach(t -> launch(eventId, t));
    if (awaited != null) {
      awaited.onComplete(v -> {
        synchronized (lines) {
          Line<I, O> line = lines.get(eventId);
          if (line != null) {
            line.awaitingTurn = false;
          }
        }
        drain(eventId);
      });
    }
  }

  private void launch(long eventId, Taken<I, O> t) {
    List<Waiting<I, O>> batch = t.batch();
    largest.accumulateAndGet(batch.size(), Math::max);
    Future<List<Answer<O>>> answers;
    try {
      answers = run.claim(eventId, batch.stream().map(Waiting::item).toList(), t.locked());
    } catch (RuntimeException e) {
      answers = Future.failedFuture(e);
    }
    answers.onComplete(done -> {
      for (int i = 0; i < batch.size(); i++) {
        answer(batch.get(i), done.succeeded() ? done.result().get(i) : Answer.failed(done.cause()));
      }
      synchronized (lines) {
        Line<I, O> line = lines.get(eventId);
        line.inFlight--;
        batch.forEach(w -> keys.apply(w.item()).forEach(line.busy::remove));
      }
      t.locked().tryComplete();
      drain(eventId);
    });
  }

  /**
   * The next batch: in arrival order, skipping (for a later batch) whoever shares a key with someone taken or with a
   * sign-up in flight ({@code busy}). Two transactions in flight never wait for each other's rows: the later one
   * waits for the earlier one's commit in this queue, so the earlier one must never wait for it in the database.
   */
  private List<Waiting<I, O>> take(ArrayDeque<Waiting<I, O>> queue, Set<Object> busy) {
    List<Waiting<I, O>> batch = new ArrayList<>();
    Waiting<I, O> first = queue.peek();
    if (first != null && alone.test(first.item())) {
      if (keys.apply(first.item()).stream().noneMatch(busy::contains)) {
        batch.add(queue.poll());
      }
      return batch;
    }
    Set<Object> taken = new HashSet<>(busy);
    for (Iterator<Waiting<I, O>> it = queue.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
      Waiting<I, O> next = it.next();
      if (alone.test(next.item())) {
        break;  // it goes next, by itself, and nobody behind it overtakes it
      }
      List<Object> own = keys.apply(next.item());
      if (own.stream().anyMatch(taken::contains)) {
        continue;
      }
      taken.addAll(own);
      batch.add(next);
      it.remove();
    }
    return batch;
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
