package se.hok.samla.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests count while they are being answered; an open event stream does not. Real HTTP on loopback. */
class RequestLoadTest {
  Vertx vertx;
  HttpServer server;
  HttpClient client;
  final RequestLoad load = new RequestLoad(1);
  final List<Promise<Void>> held = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().handler(load.counter());
    router.get("/slow").handler(ctx -> {
      Promise<Void> answer = Promise.promise();
      held.add(answer);
      answer.future().onComplete(v -> ctx.response().end("ok"));
    });
    router.get("/stream").handler(ctx -> {
      RequestLoad.streaming(ctx);
      ctx.response().setChunked(true).putHeader("Content-Type", "text/event-stream").write("retry: 2000\n\n");
    });
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private Future<HttpClientResponse> get(String path) {
    return client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", path).compose(r -> r.send());
  }

  private void waitFor(int inFlight) throws InterruptedException {
    for (int i = 0; i < 200 && load.inFlight() != inFlight; i++) {
      Thread.sleep(10);
    }
    assertEquals(inFlight, load.inFlight());
  }

  @Test
  void requestsCountUntilAnsweredAndStreamsDoNot() throws Exception {
    List<Future<HttpClientResponse>> slow = new ArrayList<>();
    slow.add(get("/slow"));
    slow.add(get("/slow"));
    waitFor(2);
    assertTrue(load.busy(), "two waiting, more than one is busy");

    HttpClientResponse stream = await(get("/stream"));
    assertEquals(200, stream.statusCode());
    waitFor(2);  // the open stream does not count

    held.forEach(Promise::complete);
    slow.forEach(f -> assertEquals(200, await(f).statusCode()));
    waitFor(0);
    assertFalse(load.busy());
  }
}
