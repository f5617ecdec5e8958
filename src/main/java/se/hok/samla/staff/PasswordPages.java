package se.hok.samla.staff;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import se.hok.samla.config.Limits;
import se.hok.samla.web.ClientAddress;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.PathIds;
import se.hok.samla.web.RateLimiter;
import se.hok.samla.web.Templates;
import se.hok.samla.web.TooManyRequestsException;
import se.hok.samla.web.ValidationException;
import se.hok.samla.web.WebServer;

/**
 * "Byt lösenord" for a signed-in member, "Glömt lösenordet?" for anyone, the page behind the reset link, and the
 * admin's "send a reset link". The forgot form answers the same whatever was typed, so it tells nobody which
 * addresses have accounts; it is limited per client address (429) and, silently, per account.
 */
public final class PasswordPages {
  static final String FORGOT_PATH = "/losenord/glomt";
  static final String RESET_PATH = "/losenord/nytt/";
  static final String CHANGE_PATH = "/konto/losenord";
  static final String RESET_CLIENT = "reset-client";
  static final String RESET_ACCOUNT = "reset-account";

  private final PasswordResets resets;
  private final SignInThrottle throttle;
  private final RateLimiter limiter;
  private final Limits limits;
  private final StaffAuth auth;
  private final Templates templates;

  public PasswordPages(PasswordResets resets, SignInThrottle throttle, RateLimiter limiter, Limits limits, StaffAuth auth,
                       Templates templates) {
    this.resets = resets;
    this.throttle = throttle;
    this.limiter = limiter;
    this.limits = limits;
    this.auth = auth;
    this.templates = templates;
  }

  public void mount(Router router) {
    router.get(FORGOT_PATH).handler(ctx -> forgotForm(ctx, 200, "", Map.of()));
    router.post(FORGOT_PATH).handler(this::forgot);
    router.get(RESET_PATH + ":token").handler(this::resetForm);
    router.post(RESET_PATH + ":token").handler(this::reset);
    router.get(CHANGE_PATH).handler(auth.page(Permission.STAFF)).handler(ctx -> changeForm(ctx, 200, Map.of()));
    router.post(CHANGE_PATH).handler(auth.page(Permission.STAFF)).handler(this::change);
    router.post("/admin/personal/:id/losenord").handler(auth.page(Permission.ADMINISTER)).handler(this::sendLink);
  }

  // ------------------------------------------------------------------------------------------------ forgot

  private void forgotForm(RoutingContext ctx, int status, String email, Map<String, String> errors) {
    Map<String, Object> model = new HashMap<>();
    model.put("email", email);
    model.put("errors", errors);
    templates.render(ctx, status, "staff/forgot", model).onFailure(ctx::fail);
  }

  private void forgot(RoutingContext ctx) {
    String email = ctx.request().getFormAttribute("email");
    String typed = email == null ? "" : email.strip();
    if (typed.isEmpty()) {
      forgotForm(ctx, 422, "", Map.of("email", Messages.get(Lang.of(ctx), "error.required.login.email")));
      return;
    }
    limiter.take(RESET_CLIENT, limits.resetPerClient(), ClientAddress.of(ctx))
        .compose(byClient -> byClient.allowed()
            ? limiter.take(RESET_ACCOUNT, limits.resetPerAccount(), typed.toLowerCase(Locale.ROOT))
            : Future.failedFuture(new TooManyRequestsException(byClient.retryAfter(), "reset.tooMany")))
        // Over the account's limit: the same answer, and no e-mail (the owner already has a fresh link).
        .compose(byAccount -> byAccount.allowed() ? resets.request(typed, Lang.of(ctx), null) : Future.succeededFuture())
        .onSuccess(v -> templates.render(ctx, "staff/forgot-sent", Map.of()).onFailure(ctx::fail))
        .onFailure(e -> {
          if (e instanceof TooManyRequestsException limited) {
            ctx.response().putHeader("Retry-After", String.valueOf(limited.retryAfterSeconds()));
            forgotForm(ctx, 429, typed, Map.of("email", limited.message(Lang.of(ctx))));
          } else {
            ctx.fail(e);
          }
        });
  }

  // ------------------------------------------------------------------------------------------------ reset link

  private void resetForm(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    resets.holder(token).onSuccess(found -> {
      if (found.isEmpty()) {
        templates.render(ctx, 404, "staff/reset-invalid", Map.of()).onFailure(ctx::fail);
      } else {
        resetPage(ctx, 200, token, found.get(), Map.of());
      }
    }).onFailure(ctx::fail);
  }

  private void resetPage(RoutingContext ctx, int status, String token, PasswordResets.Holder holder, Map<String, String> errors) {
    Map<String, Object> model = new HashMap<>();
    model.put("action", RESET_PATH + token);
    model.put("holderEmail", holder.email());
    model.put("errors", errors);
    templates.render(ctx, status, "staff/reset", model).onFailure(ctx::fail);
  }

  private void reset(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    String password = ctx.request().getFormAttribute("password");
    resets.reset(token, password).onSuccess(done -> {
      if (done.isEmpty()) {
        templates.render(ctx, 404, "staff/reset-invalid", Map.of()).onFailure(ctx::fail);
        return;
      }
      // The owner has proved they read the account's e-mail: an attacker's lock on the account is lifted.
      throttle.release(done.get().email())
          .compose(v -> ctx.redirect("/login?losenord=nytt"))
          .onFailure(ctx::fail);
    }).onFailure(e -> {
      if (e instanceof ValidationException v) {
        resets.holder(token).onSuccess(found -> {
          if (found.isEmpty()) {
            templates.render(ctx, 404, "staff/reset-invalid", Map.of()).onFailure(ctx::fail);
          } else {
            resetPage(ctx, 422, token, found.get(), v.messages(Lang.of(ctx)));
          }
        }).onFailure(ctx::fail);
      } else {
        ctx.fail(e);
      }
    });
  }

  // ------------------------------------------------------------------------------------------------ change

  private void changeForm(RoutingContext ctx, int status, Map<String, String> errors) {
    Map<String, Object> model = new HashMap<>();
    model.put("errors", errors);
    model.put("changed", ctx.queryParams().contains("bytt"));
    templates.render(ctx, status, "staff/change-password", model).onFailure(ctx::fail);
  }

  private void change(RoutingContext ctx) {
    StaffMember me = StaffAuth.current(ctx);
    String current = ctx.request().getFormAttribute("currentPassword");
    String password = ctx.request().getFormAttribute("password");
    Lang lang = Lang.of(ctx);
    throttle.verify(ctx, me, current == null ? "" : current).compose(ok -> {
      if (!ok) {
        return Future.failedFuture(new ValidationException(Map.of("currentPassword",
            se.hok.samla.web.Msg.of("password.currentWrong"))));
      }
      String oldId = ctx.session().id();
      return resets.change(me, password, oldId).compose(v -> {
        // A new session id too: whoever may have seen the old one is out as well.
        ctx.session().regenerateId();
        return WebServer.saveSession(ctx);
      });
    }).compose(v -> ctx.redirect(CHANGE_PATH + "?bytt=1")).onFailure(e -> {
      if (e instanceof ValidationException v) {
        changeForm(ctx, 422, v.messages(lang));
      } else if (e instanceof TooManyRequestsException limited) {
        ctx.response().putHeader("Retry-After", String.valueOf(limited.retryAfterSeconds()));
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("currentPassword", limited.message(lang));
        changeForm(ctx, 429, errors);
      } else {
        ctx.fail(e);
      }
    });
  }

  // ------------------------------------------------------------------------------------------------ admin

  private void sendLink(RoutingContext ctx) {
    long id = PathIds.id(ctx);
    resets.emailOf(id).compose(email -> email.isEmpty()
            ? Future.failedFuture(new se.hok.samla.web.NotFoundException("staff member"))
            : resets.request(email.get(), Lang.of(ctx), StaffAuth.current(ctx).id()))
        .compose(v -> ctx.redirect("/admin/personal?lank=" + id))
        .onFailure(ctx::fail);
  }
}
