package se.hok.samla.checkin;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.events.Event;
import se.hok.samla.events.EventService;
import se.hok.samla.events.EventSession;
import se.hok.samla.privacy.AuditLog;
import se.hok.samla.staff.EventAccess;
import se.hok.samla.staff.EventRight;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.staff.StaffService;
import se.hok.samla.web.Lang;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.PathIds;
import se.hok.samla.web.Templates;

/**
 * The door: one page per event (and per session, {@code ?pass=ID}) that scans by camera or handheld scanner,
 * finds people by name, registers walk-ins and shows live counts. The page talks to the check-in API with a
 * token of its own, issued when the page opens, so that check-ins queued offline still go through after the
 * web session has ended. That token carries only the door of this one event (never the rights of the account that
 * opened the page) and is deleted when that person signs out. Live counts for pages come through the web session
 * ({@code …/live}), since a browser's EventSource cannot send a bearer token.
 */
public final class CheckinPages {
  /** A door device's API token: long enough for a day at the door, offline stretches included. */
  static final java.time.Duration DEVICE_TOKEN_LIFETIME = java.time.Duration.ofHours(16);

  private final CheckinService checkins;
  private final LiveCounts live;
  private final EventService events;
  private final StaffService staff;
  private final EventAccess access;
  private final AuditLog audit;
  private final Templates templates;

  public CheckinPages(CheckinService checkins, LiveCounts live, EventService events, StaffService staff,
                      EventAccess access, AuditLog audit, Templates templates) {
    this.checkins = checkins;
    this.live = live;
    this.events = events;
    this.staff = staff;
    this.access = access;
    this.audit = audit;
    this.templates = templates;
  }

  public void mount(Router router) {
    router.get("/arrangor/evenemang/:id/incheckning").handler(access.page(EventRight.DOOR)).handler(this::desk);
    router.get("/arrangor/evenemang/:id/live").handler(access.page(EventRight.DOOR))
        .handler(ctx -> live.stream(ctx, PathIds.id(ctx)));
  }

  private void desk(RoutingContext ctx) {
    long eventId = PathIds.id(ctx);
    Lang lang = Lang.of(ctx);
    Long sessionId = session(ctx.queryParams().get("pass"));
    events.get(eventId).compose(event -> {
      EventSession session = null;
      if (sessionId != null) {
        session = event.sessions().stream().filter(s -> s.id() == sessionId).findFirst()
            .orElseThrow(() -> new NotFoundException("session " + sessionId));
      }
      EventSession chosen = session;
      Future<String> token = staff.issueDoorToken(StaffAuth.current(ctx).id(), eventId, StaffAuth.signIn(ctx), DEVICE_TOKEN_LIFETIME);
      return Future.all(List.of(token, checkins.counts(eventId), checkins.conflicts(eventId), events.organisations(""),
              checkins.atDoorNeeds()))
          .compose(all -> {
            List<?> found = all.resultAt(2);
            // Conflicts name people: logged as a read of them, when there are any.
            return found.isEmpty() ? Future.succeededFuture(all)
                : audit.read(ctx, eventId, AuditLog.Read.DOOR_CONFLICTS, false, found.size()).map(all);
          })
          .compose(all -> {
            Map<String, Object> model = new HashMap<>();
            model.put("event", event);
            model.put("title", title(event, lang));
            model.put("session", chosen);
            model.put("sessionTitle", chosen == null ? null
                : lang == Lang.EN && chosen.titleEn() != null ? chosen.titleEn() : chosen.titleSv());
            model.put("sessions", event.sessions().stream()
                .map(s -> Map.of("id", s.id(), "title", lang == Lang.EN && s.titleEn() != null ? s.titleEn() : s.titleSv()))
                .toList());
            model.put("apiToken", all.resultAt(0));
            model.put("counts", all.resultAt(1));
            List<?> conflicts = all.resultAt(2);
            model.put("conflicts", conflicts.stream().map(c -> localTimes((io.vertx.core.json.JsonObject) c, lang)).toList());
            model.put("organisations", all.resultAt(3));
            List<CheckinService.DoorNeed> doorNeeds = all.resultAt(4);
            model.put("doorNeeds", doorNeeds.stream()
                .map(n -> Map.of("code", n.code(), "label", lang == Lang.EN ? n.labelEn() : n.labelSv())).toList());
            model.put("cancelled", "cancelled".equals(event.status().code()));
            model.put("textsJson", textsJson(lang));
            return templates.render(ctx, "checkin/desk", model);
          });
    }).onFailure(ctx::fail);
  }

  private static final java.time.format.DateTimeFormatter LOCAL =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  /** A conflict with its times in Stockholm's local time (as the door's script shows them too), not as UTC stamps. */
  private static Map<String, Object> localTimes(io.vertx.core.json.JsonObject conflict, Lang lang) {
    Map<String, Object> out = new HashMap<>(conflict.getMap());
    for (String field : List.of("scannedAt", "firstAt", "claimedAt")) {
      String iso = conflict.getString(field);
      if (iso != null) {
        out.put(field, LOCAL.format(java.time.OffsetDateTime.parse(iso).atZoneSameInstant(java.time.ZoneId.of("Europe/Stockholm"))));
      }
    }
    return out;
  }

  /** The texts the page's script shows, as JSON that is safe inside a script data block. */
  private static String textsJson(Lang lang) {
    Map<String, String> texts = new java.util.TreeMap<>();
    se.hok.samla.web.Messages.all(lang).forEach((k, v) -> {
      if (k.startsWith("checkin.js.")) {
        texts.put(k.substring("checkin.js.".length()), v);
      }
    });
    return new io.vertx.core.json.JsonObject(new HashMap<>(texts)).encode()
        .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }

  private static Long session(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new NotFoundException("session");
    }
  }

  private static String title(Event event, Lang lang) {
    return lang == Lang.EN && event.titleEn() != null ? event.titleEn() : event.titleSv();
  }
}
