package se.hok.samla.checkin;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Scans that arrive while the database is busy go to it together: at most {@code maxInFlight} statements run at
 * once, and whatever queued meanwhile (up to {@code maxBatch}) becomes the next statement. A quiet door pays no wait:
 * with a statement slot free, a scan goes alone at once. A busy one pays one transaction, one round trip and one
 * plan per batch instead of per scan, which is what the door's throughput was made of.
 *
 * <p>Two scans with the same {@code key} (a replayed idempotency key) never share a batch: the later waits for the
 * next one, so it finds the first scan's answer. If the database refuses a batch ({@code refused}: a constraint, a
 * value it cannot store), each of its scans is tried alone, so one bad scan cannot fail its neighbours. Any other
 * failure (the database unreachable, a connection lost) fails the whole batch at once: trying 64 scans one by one
 * against a database that is down would only make each door wait 64 times as long for its error.
 *
 * @param <I> a scan
 * @param <O> its answer
 */
final class ScanBatches<I, O> {
  private final int maxInFlight;
  private final int maxBatch;
  private final Function<I, Object> key;
  private final Function<List<I>, Future<List<O>>> run;
  private final Predicate<Throwable> refused;
  private final ConcurrentLinkedQueue<Waiting<I, O>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger largest = new AtomicInteger();

  private record Waiting<I, O>(I item, Promise<O> answer, Context context) {}

  /**
   * @param run answers a batch, one answer per item in the same order
   * @param refused whether a failure of a batch is the database refusing something in it (then each is tried alone)
   */
  ScanBatches(int maxInFlight, int maxBatch, Function<I, Object> key, Function<List<I>, Future<List<O>>> run,
              Predicate<Throwable> refused) {
    this.maxInFlight = maxInFlight;
    this.maxBatch = maxBatch;
    this.key = key;
    this.run = run;
    this.refused = refused;
  }

  Future<O> submit(I item) {
    Promise<O> answer = Promise.promise();
    queue.add(new Waiting<>(item, answer, Vertx.currentContext()));
    drain();
    return answer.future();
  }

  private void drain() {
    while (!queue.isEmpty()) {
      int running = inFlight.get();
      if (running >= maxInFlight) {
        return;  // the statement that finishes next takes what is queued
      }
      if (!inFlight.compareAndSet(running, running + 1)) {
        continue;
      }
      List<Waiting<I, O>> batch = take();
      if (batch.isEmpty()) {
        inFlight.decrementAndGet();
        continue;
      }
      largest.accumulateAndGet(batch.size(), Math::max);
      execute(batch).onComplete(done -> {
        inFlight.decrementAndGet();
        drain();
      });
    }
  }

  /** The most scans one statement has carried so far (for tests and benchmarks). */
  int largestBatch() {
    return largest.get();
  }

  private List<Waiting<I, O>> take() {
    List<Waiting<I, O>> batch = new ArrayList<>();
    List<Waiting<I, O>> later = new ArrayList<>();
    Set<Object> keys = new HashSet<>();
    Waiting<I, O> next;
    while (batch.size() < maxBatch && (next = queue.poll()) != null) {
      Object k = key.apply(next.item());
      if (k == null || keys.add(k)) {
        batch.add(next);
      } else {
        later.add(next);
      }
    }
    queue.addAll(later);
    return batch;
  }

  private Future<Void> execute(List<Waiting<I, O>> batch) {
    Future<List<O>> answers;
    try {
      answers = run.apply(batch.stream().map(Waiting::item).toList());
    } catch (RuntimeException e) {
      answers = Future.failedFuture(e);
    }
    return answers.transform(result -> {
      if (result.succeeded()) {
        List<O> list = result.result();
        for (int i = 0; i < batch.size(); i++) {
          answer(batch.get(i), list.get(i), null);
        }
        return Future.succeededFuture();
      }
      if (batch.size() == 1 || !refused.test(result.cause())) {
        batch.forEach(w -> answer(w, null, result.cause()));
        return Future.succeededFuture();
      }
      // One at a time, so each scan gets its own answer or its own error.
      Future<Void> alone = Future.succeededFuture();
      for (Waiting<I, O> w : batch) {
        alone = alone.transform(ignored -> execute(List.of(w)));
      }
      return alone;
    });
  }

  private void answer(Waiting<I, O> w, O value, Throwable failure) {
    Runnable complete = () -> {
      if (failure == null) {
        w.answer().complete(value);
      } else {
        w.answer().fail(failure);
      }
    };
    if (w.context() == null || w.context() == Vertx.currentContext()) {
      complete.run();
    } else {
      w.context().runOnContext(v -> complete.run());
    }
  }
}
