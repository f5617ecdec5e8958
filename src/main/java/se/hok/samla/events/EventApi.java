package se.hok.samla.events;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.Map;
import se.hok.samla.staff.EventAccess;
import se.hok.samla.staff.EventRight;
import se.hok.samla.staff.Permission;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.web.Api;
import se.hok.samla.web.Json;

/** The events part of /api/v1: public reads, organiser writes. */
public final class EventApi {
  private final EventService events;
  private final StaffAuth auth;
  private final EventAccess access;
  private final String publicUrl;
  private final Clock clock;

  public EventApi(EventService events, StaffAuth auth, EventAccess access, String publicUrl, Clock clock) {
    this.events = events;
    this.auth = auth;
    this.access = access;
    this.publicUrl = publicUrl;
    this.clock = clock;
  }

  public void mount(Api api) {
    api.operation("listEvents", Api::open, this::list);
    api.operation("getEvent", Api::open, this::get);
    api.operation("createEvent", auth.api(Permission.ORGANISE), this::create);
    api.operation("updateEvent", access.api(EventRight.MANAGE), this::update);
    api.operation("publishEvent", access.api(EventRight.MANAGE), this::publish);
    api.operation("cancelEvent", access.api(EventRight.MANAGE), this::cancel);
    api.operation("createVenue", auth.api(Permission.ORGANISE), this::createVenue);
    api.operation("listVenues", Api::open, this::venues);
    api.operation("listRooms", Api::open, this::rooms);
    api.operation("createRoom", auth.api(Permission.ORGANISE), this::createRoom);
    api.operation("listOrganisations", Api::open, this::organisations);
  }

  private void list(RoutingContext ctx) {
    EventKind kind = EventKind.parse(ctx.queryParams().get("kind"));
    Integer year = parseYear(ctx.queryParams().get("year"));
    events.list(new EventService.Query(EnumSet.of(EventStatus.PUBLISHED), kind, year, true, now()))
        .onSuccess(list -> Json.send(ctx, 200, Map.of("events",
            list.stream().map(e -> EventJson.of(e, publicUrl, now())).toList())))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    events.getPublic(id(ctx))
        .onSuccess(e -> Json.send(ctx, 200, EventJson.of(e, publicUrl, now())))
        .onFailure(ctx::fail);
  }

  private void create(RoutingContext ctx) {
    events.create(EventInput.fromJson(Api.body(ctx)), StaffAuth.current(ctx).id())
        .onSuccess(e -> {
          ctx.response().putHeader("Location", "/api/v1/events/" + e.id());
          Json.send(ctx, 201, EventJson.forOrganisers(e, publicUrl, now()));
        })
        .onFailure(ctx::fail);
  }

  /** A change of time, place, link or a session's time or room is told to the participants, with {@code changeNote}. */
  private void update(RoutingContext ctx) {
    io.vertx.core.json.JsonObject body = Api.body(ctx);
    Object note = body.getValue("changeNote");
    events.update(id(ctx), EventInput.fromJson(body), note == null ? null : String.valueOf(note))
        .onSuccess(u -> Json.send(ctx, 200, EventJson.forOrganisers(u.event(), publicUrl, now())))
        .onFailure(ctx::fail);
  }

  private void publish(RoutingContext ctx) {
    events.publish(id(ctx))
        .onSuccess(e -> Json.send(ctx, 200, EventJson.forOrganisers(e, publicUrl, now())))
        .onFailure(ctx::fail);
  }

  /** With an optional body: the reason and the new date, which the e-mail to everyone registered carries. */
  private void cancel(RoutingContext ctx) {
    io.vertx.core.json.JsonObject body = Api.body(ctx);
    Object reason = body.getValue("reason");
    Object newDate = body.getValue("newDate");
    events.cancel(id(ctx), reason == null ? null : String.valueOf(reason), newDate == null ? null : String.valueOf(newDate), false)
        .onSuccess(e -> Json.send(ctx, 200, EventJson.forOrganisers(e, publicUrl, now())))
        .onFailure(ctx::fail);
  }

  private void createVenue(RoutingContext ctx) {
    events.createVenue(VenueInput.fromJson(Api.body(ctx)))
        .onSuccess(v -> Json.send(ctx, 201, EventJson.VenueJson.of(v)))
        .onFailure(ctx::fail);
  }

  private void rooms(RoutingContext ctx) {
    events.rooms(se.hok.samla.web.PathIds.id(ctx))
        .onSuccess(list -> Json.send(ctx, 200, Map.of("rooms", list.stream().map(EventJson.RoomJson::of).toList())))
        .onFailure(ctx::fail);
  }

  private void createRoom(RoutingContext ctx) {
    events.createRoom(se.hok.samla.web.PathIds.id(ctx), RoomInput.fromJson(Api.body(ctx)), "")
        .onSuccess(r -> Json.send(ctx, 201, EventJson.RoomJson.of(r)))
        .onFailure(ctx::fail);
  }

  private void venues(RoutingContext ctx) {
    events.venues()
        .onSuccess(list -> Json.send(ctx, 200, Map.of("venues", list.stream().map(EventJson.VenueJson::of).toList())))
        .onFailure(ctx::fail);
  }

  private void organisations(RoutingContext ctx) {
    events.organisations(ctx.queryParams().get("q"))
        .onSuccess(list -> Json.send(ctx, 200, Map.of("organisations", list.stream()
            .map(o -> {
              Map<String, Object> m = new java.util.LinkedHashMap<>();
              m.put("id", o.id());
              m.put("name", o.name());
              m.put("sector", o.sector());
              m.put("signatory", o.signatory());
              m.put("signatorySince", o.signatorySince() == null ? null : o.signatorySince().toString());
              m.put("signatoryUntil", o.signatoryUntil() == null ? null : o.signatoryUntil().toString());
              return m;
            })
            .toList())))
        .onFailure(ctx::fail);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }

  /** Path ids are validated by the contract as integers; anything else is simply not found. */
  static long id(RoutingContext ctx) {
    return se.hok.samla.web.PathIds.id(ctx);
  }

  static Integer parseYear(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
