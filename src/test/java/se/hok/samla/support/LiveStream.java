package se.hok.samla.support;

import static se.hok.samla.support.TestApp.await;

import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;

/** An event's live counts as a door page follows them: the Server-Sent Events stream of an instance. */
public final class LiveStream {
  private LiveStream() {}

  /** Opens the stream with this API token and puts each {@code counts} message's data on the queue. */
  public static HttpClientResponse listen(TestApp app, long event, String token, BlockingQueue<JsonObject> messages) {
    HttpClient client = app.vertx.createHttpClient(new HttpClientOptions().setDefaultPort(app.port()).setDefaultHost("localhost"));
    return await(client.request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/api/v1/events/" + event + "/live")
            .putHeader("Authorization", "Bearer " + token))
        .compose(req -> req.send())
        .map(response -> {
          StringBuilder pending = new StringBuilder();
          response.handler(chunk -> {
            pending.append(chunk.toString());
            int end;
            while ((end = pending.indexOf("\n\n")) >= 0) {
              String message = pending.substring(0, end);
              pending.delete(0, end + 2);
              if (message.startsWith("event: counts\n")) {
                messages.add(new JsonObject(message.substring(message.indexOf("data: ") + 6)));
              }
            }
          });
          return response;
        }));
  }
}
