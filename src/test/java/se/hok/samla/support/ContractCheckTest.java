package se.hok.samla.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The check itself: against a stand-in server that answers what the test tells it to, a wrong answer fails the
 * request that received it, naming the operation, the status and what the schema says; a right one passes.
 */
class ContractCheckTest {
  private static Vertx vertx;
  private static HttpServer server;
  private static WebClient client;
  /** Path → status and body the stand-in answers. */
  private static final Map<String, String[]> ANSWERS = Map.of(
      "/api/v1/events/1", new String[] {"200", "{\"id\": \"not a number\"}"},
      "/api/v1/events/2", new String[] {"418", "{\"error\": \"teapot\", \"message\": \"no\"}"},
      "/api/v1/events/3", new String[] {"404", "{\"error\": \"not_found\", \"message\": \"Finns inte\"}"},
      "/api/v1/nothing-here", new String[] {"404", "{\"error\": \"not_found\", \"message\": \"Finns inte\"}"},
      "/api/v1/nothing-either", new String[] {"200", "{}"});

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = TestApp.await(vertx.createHttpServer().requestHandler(req -> {
      String[] answer = ANSWERS.get(req.path());
      req.response().setStatusCode(Integer.parseInt(answer[0])).putHeader("Content-Type", "application/json; charset=utf-8")
          .end(answer[1]);
    }).listen(0, "127.0.0.1"));
    client = ContractCheck.on(vertx, WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(server.actualPort())));
  }

  @AfterAll
  static void stop() {
    client.close();
    TestApp.await(vertx.close());
  }

  private static String refusal(String path) {
    return assertThrows(IllegalStateException.class, () -> TestApp.await(client.get(path).send())).getMessage();
  }

  @Test
  void aBodyTheSchemaForbidsFailsTheRequestNamingOperationStatusAndError() {
    String message = refusal("/api/v1/events/1");
    assertTrue(message.contains("getEvent") && message.contains("answered 200") && message.contains("#/id"), message);
  }

  @Test
  void aStatusTheOperationDoesNotListFailsTheRequest() {
    String message = refusal("/api/v1/events/2");
    assertTrue(message.contains("getEvent") && message.contains("418") && message.contains("does not list"), message);
  }

  @Test
  void anAnswerTheContractDescribesPasses() {
    assertEquals(404, TestApp.await(client.get("/api/v1/events/3").send()).statusCode());
  }

  @Test
  void aPathOutsideTheContractMayOnlyBeTheApisOwn404() {
    assertEquals(404, TestApp.await(client.get("/api/v1/nothing-here").send()).statusCode());
    assertTrue(refusal("/api/v1/nothing-either").contains("no operation"));
  }
}
