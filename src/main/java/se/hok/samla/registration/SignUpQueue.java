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
 * when one is done the next batch takes all of them (up to {@code maxBatch}), in the order they came. Each batch claims
 * its seats only after the batch taken before it is done, so the numbers follow arrival. A quiet event pays no wait:
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
    /** When the batch taken last is done: the next batch claims its seats only after it. */
    Future<Void> last = Future.succeededFuture();
  }

  /** Claims a batch of sign-ups for an event. */
  interface Claim<I, O> {
    /**
     * @param previous done when the batch of this event taken before is done (committed or failed): the seats are
     *                 to be claimed only after it, so that the numbers follow arrival
     * @return one answer per sign-up, in the same order; a failed future fails them all
     */
    Future<List<Answer<O>>> claim(long eventId, List<I> items, Future<Void> previous);
  }

  /**
   * @param maxInFlight batches of one event in flight at once: with two, the next batch writes its rows while the one
   *                    before holds the event's lock, and claims its seats right after
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

  private record Taken<I, O>(List<Waiting<I, O>> batch, Future<Void> previous, Promise<Void> done) {}

  private void drain(long eventId) {
    List<Taken<I, O>> taken = new ArrayList<>();
    synchronized (lines) {
      Line<I, O> line = lines.get(eventId);
      if (line == null) {
        return;
      }
      while (line.inFlight < maxInFlight && !line.queue.isEmpty()) {
        Promise<Void> done = Promise.promise();
        List<Waiting<I, O>> batch = take(line.queue, line.busy);
        if (batch.isEmpty()) {
          break;  // everyone waiting shares a key with a sign-up in flight
        }
        batch.forEach(w -> line.busy.addAll(keys.apply(w.item())));
        taken.add(new Taken<>(batch, line.last, done));
        line.last = done.future();
        line.inFlight++;
      }
      if (line.inFlight == 0 && line.queue.isEmpty()) {
        lines.remove(eventId);
      }
    }
    taken.forEach(t -> launch(eventId, t));
  }

  private void launch(long eventId, Taken<I, O> t) {
    List<Waiting<I, O>> batch = t.batch();
    largest.accumulateAndGet(batch.size(), Math::max);
    Future<List<Answer<O>>> answers;
    try {
      answers = run.claim(eventId, batch.stream().map(Waiting::item).toList(), t.previous());
    } catch (RuntimeException e) {
      answers = Future.failedFuture(e);
    }
    answers.onComplete(done -> {
      t.done().complete();
      for (int i = 0; i < batch.size(); i++) {
        answer(batch.get(i), done.succeeded() ? done.result().get(i) : Answer.failed(done.cause()));
      }
      synchronized (lines) {
        Line<I, O> line = lines.get(eventId);
        line.inFlight--;
        batch.forEach(w -> keys.apply(w.item()).forEach(line.busy::remove));
      }
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
