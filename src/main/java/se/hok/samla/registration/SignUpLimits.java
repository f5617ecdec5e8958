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
      JsonObject body = se.hok.samla.web.Json.body(ctx).orElse(null);
      if (body == null) {
        ctx.next();  // no JSON object: the API's own check answers that
        return;
      }
      limit(ctx, new Attempt(text(body.getValue("email")), text(body.getValue("organisationId")),
          text(body.getValue("organisationName"))));
    });
    router.post("/evenemang/:id/anmalan/grupp").handler(ctx -> limitGroup(ctx, GroupInput.fromForm(ctx.request().formAttributes())));
    router.post("/api/v1/events/:id/group-registrations").handler(ctx -> {
      JsonObject body = se.hok.samla.web.Json.body(ctx).orElse(null);
      if (body == null) {
        ctx.next();  // no JSON object: the API's own check answers that
        return;
      }
      limitGroup(ctx, GroupInput.fromJson(body));
    });
  }

  /** Where a group sign-up's people over their addresses' limits are marked for its handler. */
  private static final String GROUP_OVER_LIMIT = "samla.groupOverLimit";

  /** Which people of a group sign-up are only answered (their address over its limits); see {@link #limitGroup}. */
  static RegistrationService.GroupEffects groupEffects(RoutingContext ctx) {
    RegistrationService.GroupEffects marked = ctx.get(GROUP_OVER_LIMIT);
    return marked == null ? RegistrationService.GroupEffects.KEEP_ALL : marked;
  }

  /**
   * The limits of a group sign-up. The caller's: a group counts as its size against the per-client limit (at most the
   * limit's smallest capacity, so a group the size of the limit can still pass), and each new organisation name typed in
   * it as one. The addresses': each person's own address as a sign-up of its own, and the contact's address once (it
   * gets one e-mail for the group); an address over its limits is never refused (that would tell a stranger it was
   * signed up before) but its people are only answered, not kept – the person with it, or, for the contact's, everyone
   * signed up through the contact. Tokens of a sign-up refused for its content are given back, as for one person.
   */
  private void limitGroup(RoutingContext ctx, GroupInput group) {
    String eventId = ctx.pathParam("id");
    String client = ClientAddress.of(ctx);
    String contact = new Attempt(group.contactEmail(), null, null).normalisedEmail();
    List<Taken> taken = new ArrayList<>();
    long size = Math.max(1, Math.min(group.people().size(), GroupInput.MAX_PEOPLE));
    long clientTokens = Math.min(size, smallestCapacity(limits.signUpsPerClient()));
    java.util.Set<String> newNames = new java.util.LinkedHashSet<>();
    group.people().forEach(p -> {
      String typed = new Attempt(null, p.organisationId(), p.organisationName()).typedOrganisation();
      if (typed != null && newNames.size() < GroupInput.MAX_PEOPLE) {
        newNames.add(typed.toLowerCase(Locale.ROOT));
      }
    });
    java.util.Set<Integer> overLimit = new java.util.HashSet<>();
    boolean[] contactOver = new boolean[1];
    Future<Void> chain = take(taken, new Taken(CLIENT, limits.signUpsPerClient(), client, clientTokens), "signup.tooMany");
    for (String name : newNames) {
      chain = chain.compose(v -> limits.organisationsPerClient().off() ? Future.succeededFuture()
          : organisations.known(name).compose(known -> known ? Future.succeededFuture()
              : take(taken, new Taken(ORGANISATIONS, limits.organisationsPerClient(), client), "signup.tooManyOrganisations")));
    }
    boolean anyViaContact = false;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < Math.min(group.people().size(), GroupInput.MAX_PEOPLE); i++) {
      int index = i;
      String own = new Attempt(group.people().get(i).email(), null, null).normalisedEmail();
      if (own == null || own.equals(contact)) {
        anyViaContact = true;
      } else if (seen.add(own)) {
        chain = chain.compose(v -> addressOverLimit(taken, own, eventId)).map(over -> {
          if (over) {
            overLimit.add(index);
          }
          return null;
        });
      }
    }
    if (anyViaContact && contact != null) {
      chain = chain.compose(v -> addressOverLimit(taken, contact, eventId)).map(over -> {
        contactOver[0] = over;
        return null;
      });
    }
    chain.onSuccess(v -> {
          ctx.put(GROUP_OVER_LIMIT, new RegistrationService.GroupEffects(java.util.Set.copyOf(overLimit), contactOver[0]));
          goOn(ctx, taken);
        })
        .onFailure(e -> {
          giveBack(taken);
          ctx.fail(e);
        });
  }

  /**
   * Whether the address is over its limits (over all events, or for this event); its tokens are taken when it is not.
   * When it is, the tokens taken for it are given back: nothing of it will be kept.
   */
  private Future<Boolean> addressOverLimit(List<Taken> taken, String email, String eventId) {
    List<Taken> mine = new ArrayList<>();
    return overLimit(mine, new Taken(EMAIL, limits.signUpsPerEmail(), email))
        .compose(over -> over.isPresent() ? Future.succeededFuture(over)
            : overLimit(mine, new Taken(EMAIL_EVENT, limits.signUpsPerEmailEvent(), email + "|" + eventId)))
        .map(over -> {
          if (over.isPresent()) {
            giveBack(mine);
            return true;
          }
          taken.addAll(mine);
          return false;
        });
  }

  private static long smallestCapacity(Limit limit) {
    return limit.bands().stream().mapToLong(Limit.Band::capacity).min().orElse(Long.MAX_VALUE);
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

  /** Tokens taken, to give back if the sign-up is not taken after all. */
  private record Taken(String name, Limit limit, String subject, long tokens) {
    Taken(String name, Limit limit, String subject) {
      this(name, limit, subject, 1);
    }
  }

  /** Where a sign-up over its e-mail address's limits is marked for its handler: how long until it would not be. */
  private static final String ADDRESS_OVER_LIMIT = "samla.signUpAddressOverLimit";

  /**
   * Whether this sign-up's e-mail address is over its limits, and if so for how long. The public is then answered as
   * always and nothing is kept; staff, who see the event's registrations anyway, may be told (429).
   */
  static Optional<Duration> addressOverLimit(RoutingContext ctx) {
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
          goOn(ctx, taken);
        })
        .onFailure(e -> {
          giveBack(taken);
          ctx.fail(e);
        });
  }

  /**
   * Lets the request go on with its tokens taken; a refusal of the sign-up itself (4xx other than 429: bad input, a
   * closed event) gives them back, since nothing was signed up.
   */
  private void goOn(RoutingContext ctx, List<Taken> taken) {
    if (!taken.isEmpty()) {
      ctx.addHeadersEndHandler(end -> {
        int status = ctx.response().getStatusCode();
        if (status >= 400 && status < 500 && status != 429) {
          giveBack(taken);
        }
      });
    }
    ctx.next();
  }

  /** Takes a token, or fails with 429 (the tokens taken so far for this request are then given back by the caller). */
  private Future<Void> take(List<Taken> taken, Taken token, String message) {
    return limiter.take(token.name(), token.limit(), token.subject(), token.tokens()).compose(decision -> {
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
      limiter.giveBack(t.name(), t.limit(), t.subject(), t.tokens())
          .onFailure(e -> log.warn("A sign-up token could not be given back ({}): {}", t.name(), e.toString()));
    }
  }

  private static String text(Object value) {
    return value == null ? null : String.valueOf(value);
  }
}
