package se.hok.samla.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/**
 * What a load balancer, systemd or an operator asks of an instance:
 *
 * <ul>
 *   <li>{@code /health/live}: the process is up and its event loop answers (no database asked): restart it when this
 *       fails, never because the database is down.</li>
 *   <li>{@code /health/ready} (and {@code /health}, as before): it can serve: the start-up finished (migrations done,
 *       the first admin created, the workers and jobs started; {@link #started()}), it is not shutting down, and the
 *       database answers {@code select 1} within two seconds. Send it requests only while this says UP.</li>
 * </ul>
 *
 * Both answer JSON, {@code 200 {"status":"UP"}} or {@code 503 {"status":"DOWN"}}, with the checks that were made, and
 * are not cached.
 */
public final class Readiness {
  private final Pool pool;
  private volatile boolean started;
  private volatile boolean stopping;

  public Readiness(Pool pool) {
    this.pool = pool;
  }

  /** Everything is started: from now on readiness is the database's answer. */
  public void started() {
    started = true;
  }

  /** Shutting down: not ready any more, whatever the database says, so that no new work is sent here. */
  public void stopping() {
    stopping = true;
  }

  Handler<RoutingContext> live() {
    return ctx -> answer(ctx, true, new JsonArray());
  }

  Handler<RoutingContext> ready() {
    return ctx -> {
      String phase = stopping ? "stopping" : started ? "started" : "starting";
      JsonArray checks = new JsonArray()
          .add(new JsonObject().put("id", "start-up").put("status", started && !stopping ? "UP" : "DOWN").put("phase", phase));
      Future<Boolean> database = pool.query("select 1").execute().timeout(2, TimeUnit.SECONDS)
          .map(rows -> true).otherwise(false);
      database.onComplete(r -> {
        boolean answers = r.result();
        checks.add(new JsonObject().put("id", "database").put("status", answers ? "UP" : "DOWN"));
        answer(ctx, started && !stopping && answers, checks);
      });
    };
  }

  private static void answer(RoutingContext ctx, boolean up, JsonArray checks) {
    String status = up ? "UP" : "DOWN";
    JsonObject body = new JsonObject().put("status", status).put("outcome", status).put("checks", checks);
    ctx.response().setStatusCode(up ? 200 : 503)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
