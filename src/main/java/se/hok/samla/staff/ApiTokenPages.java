package se.hok.samla.staff;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import se.hok.samla.web.EventTimes;
import se.hok.samla.web.Lang;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.PathIds;
import se.hok.samla.web.Templates;

/**
 * API keys as people see them: everyone their own ({@code /konto/nycklar}), admins anyone's
 * ({@code /admin/personal/{id}/nycklar}): when each was made, last used, until when it works and what it may do;
 * never the secret, which is not stored. Revoking takes effect at once on this instance (and within
 * {@link StaffService#TOKEN_CACHE} on others).
 */
public final class ApiTokenPages {
  private static final DateTimeFormatter WHEN = EventTimes.STAMP;
  private static final ZoneId STOCKHOLM = EventTimes.ZONE;

  private final StaffService staff;
  private final StaffAuth auth;
  private final Templates templates;
  private final EventTitles eventTitle;

  public ApiTokenPages(StaffService staff, StaffAuth auth, Templates templates, EventTitles eventTitle) {
    this.staff = staff;
    this.auth = auth;
    this.templates = templates;
    this.eventTitle = eventTitle;
  }

  public void mount(Router router) {
    router.get("/konto/nycklar").handler(auth.page(Permission.STAFF)).handler(this::own);
    router.post("/konto/nycklar/:tokenId/aterkalla").handler(auth.page(Permission.STAFF)).handler(this::revokeOwn);
    router.get("/admin/personal/:id/nycklar").handler(auth.page(Permission.ADMINISTER)).handler(this::members);
    router.post("/admin/personal/:id/nycklar/aterkalla").handler(auth.page(Permission.ADMINISTER)).handler(this::revokeAll);
    router.post("/admin/personal/:id/nycklar/:tokenId/aterkalla").handler(auth.page(Permission.ADMINISTER))
        .handler(this::revokeMembers);
  }

  /** A key as the page shows it. */
  public record Line(long id, String created, String lastUsed, String expires, boolean door, Long eventId,
                     String eventTitle, boolean thisSignIn) {}

  private void own(RoutingContext ctx) {
    StaffMember me = StaffAuth.current(ctx);
    render(ctx, me, "/konto/nycklar", false);
  }

  private void members(RoutingContext ctx) {
    long id = PathIds.id(ctx);
    staff.byId(id).onFailure(ctx::fail).onSuccess(found -> {
      if (found.isEmpty()) {
        ctx.fail(new NotFoundException("staff member"));
        return;
      }
      render(ctx, found.get(), "/admin/personal/" + id + "/nycklar", true);
    });
  }

  private void render(RoutingContext ctx, StaffMember owner, String base, boolean asAdmin) {
    staff.tokensOf(owner.id(), StaffAuth.signIn(ctx)).compose(tokens -> titles(tokens, Lang.of(ctx)).compose(titles -> {
      List<Line> lines = new ArrayList<>();
      for (StaffService.TokenInfo t : tokens) {
        lines.add(new Line(t.id(), format(t.createdAt()), format(t.lastUsedAt()), format(t.expiresAt()), t.door(),
            t.eventId(), t.eventId() == null ? null : titles.get(t.eventId()), t.thisSignIn() && !asAdmin));
      }
      Map<String, Object> model = new HashMap<>();
      model.put("owner", owner);
      model.put("asAdmin", asAdmin);
      model.put("base", base);
      model.put("lines", lines);
      model.put("revoked", ctx.queryParams().contains("aterkallad"));
      return templates.render(ctx, "staff/tokens", model);
    })).onFailure(ctx::fail);
  }

  private Future<Map<Long, String>> titles(List<StaffService.TokenInfo> tokens, Lang lang) {
    Set<Long> ids = new LinkedHashSet<>();
    tokens.forEach(t -> {
      if (t.eventId() != null) {
        ids.add(t.eventId());
      }
    });
    Map<Long, String> titles = new HashMap<>();
    List<Future<Void>> lookups = new ArrayList<>();
    for (Long id : ids) {
      lookups.add(eventTitle.title(id, lang).map(title -> {
        titles.put(id, title);
        return (Void) null;
      }).otherwiseEmpty());
    }
    return Future.join(lookups).transform(done -> Future.succeededFuture(titles));
  }

  private void revokeOwn(RoutingContext ctx) {
    long tokenId = PathIds.id(ctx, "tokenId");
    staff.revokeToken(StaffAuth.current(ctx).id(), tokenId).onFailure(ctx::fail).onSuccess(found -> {
      if (found) {
        ctx.redirect("/konto/nycklar?aterkallad=1");
      } else {
        ctx.fail(new NotFoundException("token"));
      }
    });
  }

  private void revokeMembers(RoutingContext ctx) {
    long id = PathIds.id(ctx);
    long tokenId = PathIds.id(ctx, "tokenId");
    staff.revokeToken(id, tokenId).onFailure(ctx::fail).onSuccess(found -> {
      if (found) {
        ctx.redirect("/admin/personal/" + id + "/nycklar?aterkallad=1");
      } else {
        ctx.fail(new NotFoundException("token"));
      }
    });
  }

  private void revokeAll(RoutingContext ctx) {
    long id = PathIds.id(ctx);
    staff.revokeAll(id)
        .onSuccess(n -> ctx.redirect("/admin/personal/" + id + "/nycklar?aterkallad=1"))
        .onFailure(ctx::fail);
  }

  private static String format(OffsetDateTime t) {
    return t == null ? null : WHEN.format(t.atZoneSameInstant(STOCKHOLM));
  }
}
