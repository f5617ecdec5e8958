package se.hok.samla.registration;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.hok.samla.config.Limit;
import se.hok.samla.config.Limits;
import se.hok.samla.events.OrganisationNames;
import se.hok.samla.web.ClientAddress;
import se.hok.samla.web.RateLimiter;
import se.hok.samla.web.TooManyRequestsException;

/**
 * Limits on public sign-ups, chained in front of the sign-up form's POST and the API's createRegistration, so the
 * sign-up handlers themselves stay as they are. Per client address (sized so that an office behind one address can
 * sign 30 people up in a minute), per participant e-mail address, per e-mail address and event, and – when the
 * form brings an organisation name nobody has used yet – per client address for new names. A sign-up that is then
 * refused for its content (a form with mistakes, a closed event: any 4xx but 429) gives its tokens back: only
 * sign-ups that were taken count.
 */
public final class SignUpLimits {
  private static final Logger log = LoggerFactory.getLogger(SignUpLimits.class);
  static final String CLIENT = "signup-client";
  static final String EMAIL = "signup-email";
  static final String EMAIL_EVENT = "signup-email-event";
  static final String ORGANISATIONS = "signup-organisations";

  private final RateLimiter limiter;
  private final Limits limits;
  private final OrganisationNames organisations;

  public SignUpLimits(RateLimiter limiter, Limits limits, OrganisationNames organisations) {
    this.limiter = limiter;
    this.limits = limits;
    this.organisations = organisations;
  }

  /** Mounted before the sign-up routes (pages and API). */
  public void mount(Router router) {
    router.post("/evenemang/:id/anmalan").handler(ctx -> {
      var form = ctx.request().formAttributes();
      limit(ctx, new Attempt(form.get("email"), form.get("organisationId"), form.get("organisationName")));
    });
    router.post("/api/v1/events/:id/registrations").handler(ctx -> {
      JsonObject body;
      try {
        body = ctx.body() == null ? null : ctx.body().asJsonObject();
      } catch (RuntimeException malformed) {
        body = null;  // the contract's validation answers that
      }
      if (body == null) {
        ctx.next();
        return;
      }
      limit(ctx, new Attempt(text(body.getValue("email")), text(body.getValue("organisationId")),
          text(body.getValue("organisationName"))));
    });
  }

  /** What a sign-up brings that the limits look at. */
  private record Attempt(String email, String organisationId, String organisationName) {
    String normalisedEmail() {
      return email == null || email.isBlank() || email.length() > 254 ? null : email.strip().toLowerCase(Locale.ROOT);
    }

    String typedOrganisation() {
      boolean chosen = organisationId != null && !organisationId.isBlank();
      return chosen || organisationName == null || organisationName.isBlank() || organisationName.length() > 200
          ? null : organisationName.strip();
    }
  }

  /** A token taken, to give back if the sign-up is not taken after all. */
  private record Taken(String name, Limit limit, String subject) {}

  private void limit(RoutingContext ctx, Attempt attempt) {
    String eventId = ctx.pathParam("id");
    String client = ClientAddress.of(ctx);
    String email = attempt.normalisedEmail();
    List<Taken> taken = new ArrayList<>();
    take(taken, new Taken(CLIENT, limits.signUpsPerClient(), client), "signup.tooMany")
        .compose(v -> email == null ? Future.succeededFuture()
            : take(taken, new Taken(EMAIL, limits.signUpsPerEmail(), email), "signup.tooManyForEmail"))
        .compose(v -> email == null ? Future.succeededFuture()
            : take(taken, new Taken(EMAIL_EVENT, limits.signUpsPerEmailEvent(), email + "|" + eventId), "signup.tooManyForEmail"))
        .compose(v -> attempt.typedOrganisation() == null || limits.organisationsPerClient().off()
            ? Future.succeededFuture()
            : organisations.known(attempt.typedOrganisation()).compose(known -> known ? Future.succeededFuture()
                : take(taken, new Taken(ORGANISATIONS, limits.organisationsPerClient(), client), "signup.tooManyOrganisations")))
        .onSuccess(v -> {
          if (!taken.isEmpty()) {
            ctx.addHeadersEndHandler(end -> {
              int status = ctx.response().getStatusCode();
              if (status >= 400 && status < 500 && status != 429) {
                giveBack(taken);
              }
            });
          }
          ctx.next();
        })
        .onFailure(e -> {
          giveBack(taken);
          ctx.fail(e);
        });
  }

  /** Takes a token, or fails with 429 (the tokens taken so far for this request are then given back by the caller). */
  private Future<Void> take(List<Taken> taken, Taken token, String message) {
    return limiter.take(token.name(), token.limit(), token.subject()).compose(decision -> {
      if (!decision.allowed()) {
        return Future.failedFuture(new TooManyRequestsException(decision.retryAfter(), message));
      }
      taken.add(token);
      return Future.succeededFuture();
    });
  }

  private void giveBack(List<Taken> taken) {
    for (Taken t : taken) {
      limiter.giveBack(t.name(), t.limit(), t.subject())
          .onFailure(e -> log.warn("A sign-up token could not be given back ({}): {}", t.name(), e.toString()));
    }
  }

  private static String text(Object value) {
    return value == null ? null : String.valueOf(value);
  }
}
