package se.hok.samla.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.ext.web.client.impl.WebClientInternal;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every answer a test receives from {@code /api/v1} is checked against {@code openapi.yaml}: its operation must
 * list the status code, and the body must match that response's schema. A mismatch fails the request's future, so the
 * test that made the request fails with the operation, the status and the schema's complaint.
 *
 * <p>The contract is parsed once per JVM; each app gets its own validator (the validator runs on the app's Vert.x).
 *
 * <p>There is no list of tolerated mismatches: every answer the tests see is checked.
 */
public final class ContractCheck {
  private static final String BASE = "/api/v1";
  private static volatile OpenAPIContract contract;

  private ContractCheck() {
  }

  /** The contract as the app serves it, parsed once per JVM. */
  public static OpenAPIContract contract() {
    OpenAPIContract c = contract;
    if (c == null) {
      synchronized (ContractCheck.class) {
        c = contract;
        if (c == null) {
          Vertx loader = Vertx.vertx();
          try {
            c = OpenAPIContract.from(loader, "openapi.yaml").toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new IllegalStateException("openapi.yaml does not parse", e);
          } finally {
            loader.close();
          }
          contract = c;
        }
      }
    }
    return c;
  }

  /** Adds the check to this client: every answer of {@code /api/v1} it receives is validated before the test sees it. */
  public static WebClient on(Vertx vertx, WebClient client) {
    ResponseValidator validator = ResponseValidator.create(vertx, contract());
    ((WebClientInternal) client).addInterceptor(ctx -> {
      if (ctx.phase() != ClientPhase.DISPATCH_RESPONSE) {
        ctx.next();
        return;
      }
      check(validator, ctx).onComplete(ar -> {
        if (ar.succeeded()) {
          ctx.next();
        } else {
          ctx.fail(ar.cause());
        }
      });
    });
    return client;
  }

  private static Future<Void> check(ResponseValidator validator, HttpContext<?> ctx) {
    String uri = ctx.requestOptions().getURI();
    String path = uri == null ? "" : uri.split("[?#]", 2)[0];
    if (!path.startsWith(BASE + "/")) {
      return Future.succeededFuture();
    }
    HttpResponse<?> response = ctx.response();
    int status = response.statusCode();
    String call = ctx.requestOptions().getMethod() + " " + path;
    Operation operation = contract().findOperation(path, ctx.requestOptions().getMethod());
    if (operation == null) {
      // A path or method the contract does not have: the API's own 404/405, in the contract's error shape.
      if ((status == 404 || status == 405) && isError(body(response))) {
        return Future.succeededFuture();
      }
      return Future.failedFuture(new AssertionError("Contract: " + call + " answered " + status
          + ", but openapi.yaml has no operation for it"));
    }
    String name = operation.getOperationId() + " (" + call + ")";
    if (operation.getResponse(status) == null && operation.getDefaultResponse() == null) {
      return Future.failedFuture(new AssertionError("Contract: " + name + " answered " + status
          + ", a status openapi.yaml does not list for it. Body: " + text(response)));
    }
    Buffer body = body(response);
    String contentType = response.getHeader("Content-Type");
    String mediaType = contentType == null ? null : contentType.split(";", 2)[0].trim();
    ValidatableResponse validatable = body == null || body.length() == 0
        ? ValidatableResponse.create(status)
        : ValidatableResponse.create(status, headers(response), body, mediaType);
    return validator.validate(validatable, operation.getOperationId())
        .<Void>mapEmpty()
        .recover(e -> Future.failedFuture(new AssertionError("Contract: " + name + " answered " + status
            + ", which does not match openapi.yaml: " + e.getMessage() + details(e) + "\nBody: " + text(response), e)));
  }

  /** The shape of the contract's {@code Error}: {@code {"error": code, "message": text}}. */
  private static boolean isError(Buffer body) {
    try {
      JsonObject error = body == null ? null : body.toJsonObject();
      return error != null && error.getValue("error") instanceof String && error.getValue("message") instanceof String;
    } catch (RuntimeException notJson) {
      return false;
    }
  }

  private static Map<String, String> headers(HttpResponse<?> response) {
    Map<String, String> headers = new java.util.HashMap<>();
    response.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
    return headers;
  }

  private static String details(Throwable e) {
    if (e instanceof io.vertx.openapi.validation.SchemaValidationException s && s.getOutputUnit() != null) {
      return " " + s.getOutputUnit().toJson().encode();
    }
    return "";
  }

  private static Buffer body(HttpResponse<?> response) {
    Object body = response.body();
    if (body instanceof Buffer b) {
      return b;
    }
    if (body instanceof JsonObject o) {
      return o.toBuffer();
    }
    if (body instanceof JsonArray a) {
      return a.toBuffer();
    }
    if (body instanceof String s) {
      return Buffer.buffer(s);
    }
    return body == null ? null : Buffer.buffer(String.valueOf(body));
  }

  private static String text(HttpResponse<?> response) {
    Buffer b = body(response);
    if (b == null) {
      return "(none)";
    }
    String s = b.toString();
    return s.length() > 600 ? s.substring(0, 600) + "…" : s;
  }
}
