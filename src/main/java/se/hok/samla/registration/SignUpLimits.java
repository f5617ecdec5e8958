package se.hok.samla.registration;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.hok.samla.config.Limit;
import se.hok.samla.config.Limits;
import se.hok.samla.events.OrganisationNames;
import se.hok.samla.web.ClientAddress;
import se.hok.samla.web.RateLimiter;
import se.hok.samla.web.TooManyRequestsException;

/**
 * Limits on public sign-ups, chained in front of the sign-up form's POST and the API's createRegistration. Per client
 * address (sized so that an office behind one address can sign 30 people up in a minute), per participant e-mail
 * address, per e-mail address and event, and – when the form brings an organisation name nobody has used yet – per
 * client address for new names. A sign-up that is then refused for its content (a form with mistakes, a closed event:
 * any 4xx but 429) gives its tokens back: only sign-ups that were taken count.
 *
 * <p>The limits on the caller (client address, new names) answer 429 with Retry-After: they are about the caller's own
 * flood. The limits on the e-mail address do not: a 429 there would tell a stranger that someone signed that address
 * up within the hour, and sign-up answers reveal nothing. A sign-up over them goes on to its handler marked
 * ({@link #addressOverLimit}), which answers it exactly as any other – the same checks, refusals and neutral answer –
 * and keeps nothing of it ({@link RegistrationService.Effect#ANSWER_ONLY}): no registration, no e-mail.
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

  /** Where a sign-up over its e-mail address's limits is marked for its handler: how long until it would not be. */
  private static final String ADDRESS_OVER_LIMIT = "samla.signUpAddressOverLimit";

  /**
   * Whether this sign-up's e-mail address is over its limits, and if so for how long. The public is then answered as
   * always and nothing is kept; staff, who see the event's registrations anyway, may be told (429).
   */
  public static Optional<Duration> addressOverLimit(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(ADDRESS_OVER_LIMIT));
  }

  /** The effect a public sign-up may have: kept, or – its address over the limits – only answered. */
  static RegistrationService.Effect effect(RoutingContext ctx) {
    return addressOverLimit(ctx).isPresent() ? RegistrationService.Effect.ANSWER_ONLY : RegistrationService.Effect.KEEP;
  }

  private void limit(RoutingContext ctx, Attempt attempt) {
    String eventId = ctx.pathParam("id");
    String client = ClientAddress.of(ctx);
    String email = attempt.normalisedEmail();
    List<Taken> taken = new ArrayList<>();
    // The caller's own: refused with 429. They come first, so whether they refuse never depends on the address.
    take(taken, new Taken(CLIENT, limits.signUpsPerClient(), client), "signup.tooMany")
        .compose(v -> attempt.typedOrganisation() == null || limits.organisationsPerClient().off()
            ? Future.succeededFuture()
            : organisations.known(attempt.typedOrganisation()).compose(known -> known ? Future.succeededFuture()
                : take(taken, new Taken(ORGANISATIONS, limits.organisationsPerClient(), client), "signup.tooManyOrganisations")))
        // The address's: never refused, only marked (see the class comment).
        .compose(v -> email == null ? Future.succeededFuture(Optional.<Duration>empty())
            : overLimit(taken, new Taken(EMAIL, limits.signUpsPerEmail(), email))
                .compose(over -> over.isPresent() ? Future.succeededFuture(over)
                    : overLimit(taken, new Taken(EMAIL_EVENT, limits.signUpsPerEmailEvent(), email + "|" + eventId))))
        .onSuccess(over -> {
          if (over.isPresent()) {
            // Nothing of this sign-up will be kept, so only the caller's own request counts.
            List<Taken> notKept = taken.stream().filter(t -> !t.name().equals(CLIENT)).toList();
            taken.removeAll(notKept);
            giveBack(notKept);
            ctx.put(ADDRESS_OVER_LIMIT, over.get());
          }
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

  /** Takes a token; when there is none, how long until there would be. */
  private Future<Optional<Duration>> overLimit(List<Taken> taken, Taken token) {
    return limiter.take(token.name(), token.limit(), token.subject()).map(decision -> {
      if (!decision.allowed()) {
        return Optional.of(decision.retryAfter());
      }
      taken.add(token);
      return Optional.empty();
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
