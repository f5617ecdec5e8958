package se.hok.samla.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many requests this instance is answering right now, so that background work (sending e-mail) can yield to
 * people waiting for an answer. Server-sent event streams stop counting once they are open ({@link #streaming}):
 * they stay open for hours and wait for nothing. Being the first handler of every request, it is also where a
 * stopping instance turns new requests away ({@link #stopTaking()}).
 */
public final class RequestLoad {
  private static final String COUNTED = "samla.requestLoad";

  private final AtomicInteger inFlight = new AtomicInteger();
  private final int busyAbove;
  private volatile boolean stopping;

  /** @param busyAbove more requests in flight than this is busy */
  RequestLoad(int busyAbove) {
    this.busyAbove = busyAbove;
  }

  /** Two requests per core in flight: beyond that, people are queueing for the CPU. */
  public static RequestLoad forThisMachine() {
    return new RequestLoad(2 * Runtime.getRuntime().availableProcessors());
  }

  /** Counts every request from its start until its response has ended (or its connection closed). */
  Handler<RoutingContext> counter() {
    return ctx -> {
      if (stopping) {
        ctx.request().connection().close();
        return;
      }
      inFlight.incrementAndGet();
      ctx.put(COUNTED, this);
      ctx.addEndHandler(done -> release(ctx));
      ctx.next();
    };
  }

  /** This request is a long-lived stream: it no longer counts as someone waiting. */
  public static void streaming(RoutingContext ctx) {
    release(ctx);
  }

  private static void release(RoutingContext ctx) {
    RequestLoad load = ctx.remove(COUNTED);
    if (load != null) {
      load.inFlight.decrementAndGet();
    }
  }

  /**
   * The instance is stopping: from now on a new request is not taken. Its connection is closed without reading it, so
   * the client sees a failed connection and knows nothing was done (it may try again, or another instance), never a
   * half-done request or a 5xx. Requests already in progress are answered as usual.
   */
  public void stopTaking() {
    stopping = true;
  }

  int inFlight() {
    return inFlight.get();
  }

  public boolean busy() {
    return inFlight.get() > busyAbove;
  }
}
