package se.hok.samla.web;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorException;

/**
 * The API surface, built from the OpenAPI contract ({@code /openapi.yaml}): every operation in the contract
 * must be given its handlers here. Each runs its access check first, so a stranger gets 401 and a wrong
 * role 403 before any 400, then the contract's request validation, then the handler.
 */
public final class Api {
  private final OpenAPIContract contract;
  private final RouterBuilder builder;
  private final RequestValidator validator;
  private final RequestExtractor extractor = RequestExtractor.withBodyHandler();

  public Api(Vertx vertx, OpenAPIContract contract) {
    this.contract = contract;
    this.builder = RouterBuilder.create(vertx, contract);
    this.validator = RequestValidator.create(vertx, contract);
  }

  RouterBuilder builder() {
    return builder;
  }

  public void operation(String operationId, Handler<RoutingContext> access, Handler<RoutingContext> handler) {
    OpenAPIRoute route = builder.getRoute(operationId);
    if (route == null) {
      throw new IllegalStateException("The OpenAPI contract has no operation " + operationId);
    }
    route.setDoValidation(false).setDoSecurity(false).addHandler(access).addHandler(validation(operationId)).addHandler(handler);
  }

  /**
   * An operation whose handler checks its request itself, field by field, as strictly as the contract describes
   * it (answering 400 with {@link BadRequestException}). Only for the hottest paths: vertx-openapi 5.0 builds a new
   * schema validator for every request, copying the lookup table of every schema in the contract, which made up
   * about 40% of the service's CPU per door scan.
   */
  public void operationCheckedByHandler(String operationId, Handler<RoutingContext> access, Handler<RoutingContext> handler) {
    OpenAPIRoute route = builder.getRoute(operationId);
    if (route == null) {
      throw new IllegalStateException("The OpenAPI contract has no operation " + operationId);
    }
    route.setDoValidation(false).setDoSecurity(false).addHandler(access).addHandler(handler);
  }

  /** For operations anyone may call. */
  public static void open(RoutingContext ctx) {
    ctx.next();
  }

  /** The request body as validated against the contract. */
  public static JsonObject body(RoutingContext ctx) {
    ValidatedRequest request = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    if (request == null || request.getBody() == null || request.getBody().isNull()) {
      return new JsonObject();
    }
    return request.getBody().getJsonObject();
  }

  private Handler<RoutingContext> validation(String operationId) {
    Operation operation = contract.operation(operationId);
    return ctx -> extractor.extractValidatableRequest(ctx, operation)
        .compose(request -> validator.validate(request, operationId))
        .onSuccess(validated -> {
          ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
          ctx.next();
        })
        .onFailure(e -> ctx.fail(e instanceof ValidatorException
            ? new HttpException(400, e.getMessage(), e)
            : e));
  }
}
