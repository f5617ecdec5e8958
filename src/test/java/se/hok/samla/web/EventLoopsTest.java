package se.hok.samla.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.TestApp;

/**
 * Every core serves HTTP: the public port is served by SAMLA_HTTP_INSTANCES servers, each on an event loop of its
 * own, and new connections are spread over them. The probe route that names the thread is added by this test to
 * the running routers, so nothing of it exists in Samla itself.
 */
class EventLoopsTest {
  static TestApp app;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("SAMLA_HTTP_INSTANCES", "3"));
    for (Router router : app.running.routers()) {
      router.get("/test-only/thread").order(-1)
          .handler(ctx -> ctx.response().end(Thread.currentThread().getName()));
    }
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void connectionsLandOnSeveralEventLoops() {
    assertEquals(3, app.running.routers().size(), "one router per server");
    // A new connection for every request: Vert.x hands each accepted connection to the next server in turn.
    HttpClient client = app.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
        .setDefaultHost("localhost").setDefaultPort(app.port()));
    try {
      Set<String> threads = new TreeSet<>();
      for (int i = 0; i < 12; i++) {
        String thread = await(client.request(HttpMethod.GET, "/test-only/thread")
            .compose(req -> req.send().compose(HttpClientResponse::body))).toString();
        threads.add(thread);
      }
      assertTrue(threads.stream().allMatch(t -> t.startsWith("vert.x-eventloop-thread-")), threads.toString());
      assertEquals(3, threads.size(), "each of the three servers took connections: " + threads);
    } finally {
      client.close();
    }
  }

  @Test
  void everyServerServesThePages() {
    HttpClient client = app.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
        .setDefaultHost("localhost").setDefaultPort(app.port()));
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        answers.add(client.request(HttpMethod.GET, "/").compose(req -> req.send().map(HttpClientResponse::statusCode)));
      }
      await(Future.all(answers));
      answers.forEach(a -> assertEquals(200, a.result()));
    } finally {
      client.close();
    }
  }
}
