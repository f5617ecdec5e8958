package se.hok.samla.events;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Templates;

/** What the public sees: the calendar, past events, an event's page and calendar files. No login. */
public final class EventPages {
  private final EventService events;
  private final Templates templates;
  private final String publicUrl;
  private final String accessibilityContact;
  private final Clock clock;

  /** @param accessibilityContact where the accessibility statement tells people to report problems (an address or a form) */
  public EventPages(EventService events, Templates templates, String publicUrl, String accessibilityContact, Clock clock) {
    this.events = events;
    this.templates = templates;
    this.publicUrl = publicUrl;
    this.accessibilityContact = accessibilityContact;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/").handler(this::calendar);
    router.get("/tidigare").handler(this::past);
    router.get("/evenemang/:id").handler(this::event);
    router.get("/evenemang/:id/kalender.ics").handler(this::eventIcs);
    router.get("/events.ics").handler(this::feed);
    router.get("/integritet").handler(ctx -> templates.render(ctx, "privacy", Map.of()).onFailure(ctx::fail));
    router.get("/tillganglighet").handler(ctx -> templates.render(ctx, "accessibility", Map.of("contact", accessibilityContact))
        .onFailure(ctx::fail));
  }

  private void calendar(RoutingContext ctx) {
    listPage(ctx, true, "events/calendar");
  }

  private void past(RoutingContext ctx) {
    listPage(ctx, false, "events/past");
  }

  private void listPage(RoutingContext ctx, boolean upcoming, String template) {
    String kindParam = ctx.queryParams().get("kind");
    EventKind kind = EventKind.parse(kindParam);
    Integer year = EventApi.parseYear(ctx.queryParams().get("year"));
    Lang lang = Lang.of(ctx);
    OffsetDateTime now = OffsetDateTime.now(clock);
    events.planYears().compose(years -> events.list(new EventService.Query(
            EnumSet.of(EventStatus.PUBLISHED, EventStatus.CANCELLED), kind, year, upcoming, now))
        .compose(list -> {
          Map<String, Object> model = new HashMap<>();
          model.put("events", list.stream().map(e -> EventView.of(e, lang, now)).toList());
          model.put("years", years);
          model.put("kinds", kindCodes());
          model.put("selectedKind", kind == null ? "" : kind.code());
          model.put("selectedYear", year == null ? "" : String.valueOf(year));
          model.put("selectedPlanYear", years.stream().filter(y -> year != null && y.year() == year).findFirst().orElse(null));
          return templates.render(ctx, template, model);
        }))
        .onFailure(ctx::fail);
  }

  private void event(RoutingContext ctx) {
    Lang lang = Lang.of(ctx);
    OffsetDateTime now = OffsetDateTime.now(clock);
    events.getPublic(pathId(ctx))
        .compose(e -> templates.render(ctx, "events/event", Map.of(
            "e", EventView.of(e, lang, now),
            "jsonLd", Calendars.jsonLd(e, publicUrl))))
        .onFailure(ctx::fail);
  }

  private void eventIcs(RoutingContext ctx) {
    events.getPublic(pathId(ctx))
        .onSuccess(e -> sendIcs(ctx, List.of(e), "hok-evenemang-" + e.id() + ".ics"))
        .onFailure(ctx::fail);
  }

  private void feed(RoutingContext ctx) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    events.list(new EventService.Query(EnumSet.of(EventStatus.PUBLISHED, EventStatus.CANCELLED), null, null, true, now))
        .onSuccess(list -> sendIcs(ctx, list, "hok-evenemang.ics"))
        .onFailure(ctx::fail);
  }

  private void sendIcs(RoutingContext ctx, List<Event> list, String filename) {
    ctx.response()
        .putHeader("Content-Type", "text/calendar; charset=utf-8")
        .putHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"")
        .end(Calendars.ics(list, publicUrl, URI.create(publicUrl).getHost()));
  }

  static List<String> kindCodes() {
    return java.util.Arrays.stream(EventKind.values()).map(EventKind::code).toList();
  }

  static long pathId(RoutingContext ctx) {
    return se.hok.samla.web.PathIds.id(ctx);
  }
}
