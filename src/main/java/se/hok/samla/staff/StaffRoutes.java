package se.hok.samla.staff;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.web.Api;
import se.hok.samla.web.Json;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.Templates;
import se.hok.samla.web.ValidationException;
import se.hok.samla.web.WebServer;

/** Signing in and out, API tokens, and the admin's staff list. */
public final class StaffRoutes {
  private final StaffService staff;
  private final StaffAuth auth;
  private final Templates templates;
  private final SignInThrottle throttle;

  public StaffRoutes(StaffService staff, StaffAuth auth, Templates templates, SignInThrottle throttle) {
    this.staff = staff;
    this.auth = auth;
    this.templates = templates;
    this.throttle = throttle;
  }

  public void mount(Router router) {
    router.get("/login").handler(this::loginPage);
    router.post("/login").handler(this::login);
    router.post("/logout").handler(this::logout);
    router.get("/admin/personal").handler(auth.page(Permission.ADMINISTER)).handler(this::staffPage);
    router.post("/admin/personal").handler(auth.page(Permission.ADMINISTER)).handler(this::createStaff);
    router.post("/admin/personal/:id").handler(auth.page(Permission.ADMINISTER)).handler(this::updateStaff);
  }

  public void mount(Api api) {
    api.operation("createToken", Api::open, this::createToken);
  }

  private void loginPage(RoutingContext ctx) {
    if (StaffAuth.current(ctx) != null) {
      ctx.redirect(safeNext(ctx.request().getParam("next")));
      return;
    }
    templates.render(ctx, "staff/login", Map.of("next", safeNext(ctx.request().getParam("next")),
            "passwordChanged", "nytt".equals(ctx.request().getParam("losenord"))))
        .onFailure(ctx::fail);
  }

  private void login(RoutingContext ctx) {
    String email = ctx.request().getFormAttribute("email");
    String password = ctx.request().getFormAttribute("password");
    String next = safeNext(ctx.request().getFormAttribute("next"));
    throttle.authenticate(ctx, email, password).onSuccess(found -> {
      if (found.isEmpty()) {
        loginAgain(ctx, 422, next, email, Messages.get(Lang.of(ctx), "login.failed"));
        return;
      }
      Session session = ctx.session();
      session.regenerateId();
      session.put(StaffAuth.SESSION_STAFF_ID, found.get().id());
      // Names this sign-in, so that signing out ends the door tokens it issues (StaffAuth.signIn).
      session.put(StaffAuth.SESSION_SIGN_IN, se.hok.samla.web.Tokens.random(18));
      WebServer.saveSession(ctx).compose(v -> ctx.redirect(next)).onFailure(ctx::fail);
    }).onFailure(e -> {
      if (e instanceof se.hok.samla.web.TooManyRequestsException limited) {
        ctx.response().putHeader("Retry-After", String.valueOf(limited.retryAfterSeconds()));
        loginAgain(ctx, 429, next, email, limited.message(Lang.of(ctx)));
      } else {
        ctx.fail(e);
      }
    });
  }

  /** The login form again with what was typed, except the password. */
  private void loginAgain(RoutingContext ctx, int status, String next, String email, String message) {
    Map<String, String> errors = new LinkedHashMap<>();
    errors.put("email", message);
    Map<String, Object> model = new HashMap<>();
    model.put("next", next);
    model.put("email", email == null ? "" : email);
    model.put("errors", errors);
    templates.render(ctx, status, "staff/login", model).onFailure(ctx::fail);
  }

  /** Signs out, and ends the door tokens this sign-in issued: a door page left open stops working with it. */
  private void logout(RoutingContext ctx) {
    Object signIn = ctx.session() == null ? null : ctx.session().get(StaffAuth.SESSION_SIGN_IN);
    staff.revokeSignIn(signIn instanceof String s ? s : null).onFailure(ctx::fail).onSuccess(n -> {
      if (ctx.session() != null) {
        ctx.session().destroy();
      }
      WebServer.saveSession(ctx).onSuccess(v -> ctx.redirect("/")).onFailure(ctx::fail);
    });
  }

  private void createToken(RoutingContext ctx) {
    JsonObject body = Api.body(ctx);
    throttle.authenticate(ctx, body.getString("email"), body.getString("password"))
        .compose(found -> found.isEmpty()
            ? io.vertx.core.Future.failedFuture(new io.vertx.ext.web.handler.HttpException(401))
            : staff.issueToken(found.get().id()))
        .onSuccess(token -> Json.send(ctx, 201, Map.of(
            "token", token, "expiresInDays", StaffService.TOKEN_LIFETIME.toDays())))
        .onFailure(ctx::fail);
  }

  private void staffPage(RoutingContext ctx) {
    renderStaffPage(ctx, 200, Map.of(), Map.of());
  }

  private void renderStaffPage(RoutingContext ctx, int status, Map<String, String> errors, Map<String, String> input) {
    Future.all(staff.list(), staff.tokenCounts()).onSuccess(all -> {
      List<StaffMember> members = all.resultAt(0);
      Map<String, Object> model = new HashMap<>();
      model.put("members", members);
      model.put("tokenCounts", all.resultAt(1));
      model.put("roles", List.of(Role.values()).stream().map(Role::code).toList());
      model.put("errors", errors);
      model.put("input", input);
      model.put("saved", ctx.request().getParam("saved") != null);
      String linkFor = ctx.request().getParam("lank");
      model.put("linkSentTo", members.stream().filter(m -> String.valueOf(m.id()).equals(linkFor))
          .map(StaffMember::email).findFirst().orElse(null));
      templates.render(ctx, status, "staff/list", model).onFailure(ctx::fail);
    }).onFailure(ctx::fail);
  }

  private void createStaff(RoutingContext ctx) {
    var form = ctx.request().formAttributes();
    staff.create(form.get("email"), form.get("name"), form.get("password"), form.get("role"))
        .onSuccess(created -> ctx.redirect("/admin/personal?saved=1"))
        .onFailure(ValidationException.formAgain(ctx, errors -> {
          Map<String, String> input = new HashMap<>();
          input.put("email", nullToEmpty(form.get("email")));
          input.put("name", nullToEmpty(form.get("name")));
          input.put("role", nullToEmpty(form.get("role")));
          renderStaffPage(ctx, 422, errors, input);
        }));
  }

  private void updateStaff(RoutingContext ctx) {
    long id = se.hok.samla.web.PathIds.id(ctx);
    var form = ctx.request().formAttributes();
    staff.update(StaffAuth.current(ctx).id(), id, form.get("role"), "true".equals(form.get("active")))
        .onSuccess(v -> ctx.redirect("/admin/personal?saved=1"))
        .onFailure(ctx::fail);
  }

  /** Only local paths ({@link se.hok.samla.web.LocalPath}), so the login form cannot send anyone to another site. */
  static String safeNext(String next) {
    return se.hok.samla.web.LocalPath.of(next).filter(path -> !path.startsWith("/login")).orElse("/arrangor");
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
