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
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Sign-ups for one event go to the database in batches, in the spirit of the door's {@code checkin.ScanBatches}: while
 * one batch of an event is being claimed, the sign-ups for that event that arrive wait in line, and when it is done
 * the next batch takes all of them (up to {@code maxBatch}), in the order they came. A quiet event pays no wait: with
 * no batch of its own in flight, a sign-up goes at once, alone. The wait is bounded by the batch in flight and the
 * batches ahead in line ({@code maxBatch} sign-ups each); nothing waits on a timer.
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
  private final Function<I, List<Object>> keys;
  private final Predicate<I> alone;
  private final BiFunction<Long, List<I>, Future<List<Answer<O>>>> run;
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
    boolean inFlight;
  }

  /**
   * @param run claims a batch for an event: one answer per sign-up, in the same order; a failed future fails them all
   */
  SignUpQueue(int maxBatch, Function<I, List<Object>> keys, Predicate<I> alone,
              BiFunction<Long, List<I>, Future<List<Answer<O>>>> run) {
    this.maxBatch = maxBatch;
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

  private void drain(long eventId) {
    List<Waiting<I, O>> batch;
    synchronized (lines) {
      Line<I, O> line = lines.get(eventId);
      if (line == null || line.inFlight) {
        return;  // the batch in flight takes what is queued when it is done
      }
      if (line.queue.isEmpty()) {
        lines.remove(eventId);
        return;
      }
      batch = take(line.queue);
      line.inFlight = true;
    }
    largest.accumulateAndGet(batch.size(), Math::max);
    Future<List<Answer<O>>> answers;
    try {
      answers = run.apply(eventId, batch.stream().map(Waiting::item).toList());
    } catch (RuntimeException e) {
      answers = Future.failedFuture(e);
    }
    answers.onComplete(done -> {
      for (int i = 0; i < batch.size(); i++) {
        answer(batch.get(i), done.succeeded() ? done.result().get(i) : Answer.failed(done.cause()));
      }
      synchronized (lines) {
        lines.get(eventId).inFlight = false;
      }
      drain(eventId);
    });
  }

  /** The next batch: in arrival order, skipping (for a later batch) whoever shares a key with someone taken. */
  private List<Waiting<I, O>> take(ArrayDeque<Waiting<I, O>> queue) {
    List<Waiting<I, O>> batch = new ArrayList<>();
    Waiting<I, O> first = queue.peek();
    if (first != null && alone.test(first.item())) {
      batch.add(queue.poll());
      return batch;
    }
    Set<Object> taken = new HashSet<>();
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
