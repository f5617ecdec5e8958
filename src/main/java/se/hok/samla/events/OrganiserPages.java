package se.hok.samla.events;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import se.hok.samla.staff.EventAccess;
import se.hok.samla.staff.EventRight;
import se.hok.samla.staff.Permission;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.staff.StaffMember;
import se.hok.samla.web.EventTimes;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Templates;
import se.hok.samla.web.ValidationException;

/** The organiser's back office for events, sessions and venues. */
public final class OrganiserPages {
  private final EventService events;
  private final ActionPlan plan;
  private final StaffAuth auth;
  private final EventAccess access;
  private final ParticipantCounts participants;
  private final Templates templates;
  private final Clock clock;

  public OrganiserPages(EventService events, ActionPlan plan, StaffAuth auth, EventAccess access,
                        ParticipantCounts participants, Templates templates, Clock clock) {
    this.events = events;
    this.plan = plan;
    this.auth = auth;
    this.access = access;
    this.participants = participants;
    this.templates = templates;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/arrangor").handler(auth.page(Permission.STAFF)).handler(this::dashboard);
    router.get("/arrangor/evenemang/ny").handler(auth.page(Permission.ORGANISE)).handler(this::newForm);
    router.post("/arrangor/evenemang").handler(auth.page(Permission.ORGANISE)).handler(this::create);
    // The address a failed "create" answers from; a language switch there lands on the overview.
    router.get("/arrangor/evenemang").handler(ctx -> ctx.redirect("/arrangor"));
    router.get("/arrangor/evenemang/:id").handler(access.page(EventRight.MANAGE)).handler(this::editForm);
    router.post("/arrangor/evenemang/:id").handler(access.page(EventRight.MANAGE)).handler(this::update);
    router.post("/arrangor/evenemang/:id/publicera").handler(access.page(EventRight.MANAGE)).handler(this::publish);
    // Cancelling mails everyone and cannot be undone: a page of its own asks for the reason and says so first (WCAG 3.3.4).
    router.get("/arrangor/evenemang/:id/installa").handler(access.page(EventRight.MANAGE)).handler(this::cancelForm);
    router.post("/arrangor/evenemang/:id/installa").handler(access.page(EventRight.MANAGE)).handler(this::cancel);
    router.get("/arrangor/lokaler").handler(auth.page(Permission.ORGANISE)).handler(this::venues);
    router.post("/arrangor/lokaler").handler(auth.page(Permission.ORGANISE)).handler(this::createVenue);
    router.post("/arrangor/lokaler/rum").handler(auth.page(Permission.ORGANISE)).handler(this::createRoom);
  }

  /**
   * An event in the overview, with what the reader may do with it; {@code needs}: its needs still to book, for the
   * event's own organisers (null for others, and when there are none).
   */
  public record Row(EventView view, boolean manage, boolean door, String duty, NeedsToBookView needs) {}

  /** "3 to book, the first by 12 January", flagged when that day has passed. */
  public record NeedsToBookView(long count, String firstBookBy, String isoFirstBookBy, boolean overdue) {}

  /**
   * Every event's public facts, the next one first ({@code ?tidigare=1}: those that have ended, the latest first); links
   * to manage an event or work its door only where the reader may, and its needs still to book for its organisers.
   * Others' drafts are not public facts, so only admins and the event's own staff see them. {@code ?mina=1}: only
   * one's own events.
   */
  private void dashboard(RoutingContext ctx) {
    EventStatus status = EventStatus.parse(ctx.queryParams().get("status"));
    Integer year = EventApi.parseYear(ctx.queryParams().get("year"));
    boolean mineOnly = "1".equals(ctx.queryParams().get("mina"));
    boolean past = "1".equals(ctx.queryParams().get("tidigare"));
    Lang lang = Lang.of(ctx);
    OffsetDateTime now = OffsetDateTime.now(clock);
    StaffMember me = StaffAuth.current(ctx);
    Future.all(events.planYears(), access.rightsByEvent(me), events.list(new EventService.Query(
            status == null ? null : EnumSet.of(status), null, year, !past, now)))
        .compose(all -> participants.needsToBook(all.<List<Event>>resultAt(2).stream().map(Event::id).toList())
            .map(needs -> java.util.Map.entry(all, needs)))
        .compose(found -> {
          var all = found.getKey();
          Map<Long, ParticipantCounts.NeedsToBook> toBook = found.getValue();
          Map<Long, Set<EventRight>> mine = all.resultAt(1);
          List<Event> list = all.resultAt(2);
          List<Row> rows = new ArrayList<>();
          for (Event e : list) {
            Set<EventRight> rights = me.isAdmin() ? EventAccess.rights(me, null) : mine.getOrDefault(e.id(), Set.of());
            boolean own = mine.containsKey(e.id());
            if (mineOnly && !own || !me.isAdmin() && !own && e.status() == EventStatus.DRAFT) {
              continue;
            }
            String duty = !own ? null : rights.contains(EventRight.MANAGE) ? "organiser" : "door";
            ParticipantCounts.NeedsToBook open = rights.contains(EventRight.MANAGE) ? toBook.get(e.id()) : null;
            rows.add(new Row(EventView.of(e, lang, now), rights.contains(EventRight.MANAGE),
                rights.contains(EventRight.DOOR), duty, open == null ? null : needsView(open, lang, now)));
          }
          Map<String, Object> model = new HashMap<>();
          model.put("rows", rows);
          model.put("past", past);
          model.put("years", all.resultAt(0));
          model.put("selectedStatus", status == null ? "" : status.code());
          model.put("selectedYear", year == null ? "" : String.valueOf(year));
          model.put("mineOnly", mineOnly);
          return templates.render(ctx, "organiser/dashboard", model);
        })
        .onFailure(ctx::fail);
  }

  private static NeedsToBookView needsView(ParticipantCounts.NeedsToBook open, Lang lang, OffsetDateTime now) {
    java.time.LocalDate today = now.atZoneSameInstant(EventInput.STOCKHOLM).toLocalDate();
    String day = EventTimes.date(lang).format(open.firstBookBy());
    return new NeedsToBookView(open.count(), day, open.firstBookBy().toString(), open.firstBookBy().isBefore(today));
  }

  private void newForm(RoutingContext ctx) {
    EventInput blank = new EventInput(null, null, null, null, null, null, null, null, null, null, null, null,
        null, StaffAuth.current(ctx).name(), StaffAuth.current(ctx).email(), java.util.List.of(), "2", null);
    renderForm(ctx, 200, null, blank, null, Map.of());
  }

  private void editForm(RoutingContext ctx) {
    events.get(EventPages.pathId(ctx))
        .onSuccess(e -> renderForm(ctx, 200, e, EventInput.of(e), null, Map.of()))
        .onFailure(ctx::fail);
  }

  private void create(RoutingContext ctx) {
    EventInput input = EventInput.fromForm(ctx.request().formAttributes());
    events.create(input, StaffAuth.current(ctx).id())
        .onSuccess(e -> ctx.redirect("/arrangor/evenemang/" + e.id() + "?saved=1"))
        .onFailure(err -> formFailure(ctx, null, input, err));
  }

  /**
   * Saves the event; a change the participants need to know of is told to them (ChangeNotices), with the organiser's
   * note, and the page then says who is told and what about.
   */
  private void update(RoutingContext ctx) {
    long id = EventPages.pathId(ctx);
    EventInput input = EventInput.fromForm(ctx.request().formAttributes());
    String note = ctx.request().formAttributes().get("changeNote");
    events.update(id, input, note)
        .onSuccess(u -> ctx.redirect("/arrangor/evenemang/" + u.event().id() + "?saved=1" + told(u.told())))
        .onFailure(ValidationException.formAgain(ctx, errors -> {
          events.get(id).onSuccess(e -> renderForm(ctx, 422, e, input, note, errors))
              .onFailure(ctx::fail);
        }));
  }

  /** Who is told, in the address of the page that says so: counts and kinds of change, no names. */
  private static String told(ChangeNotices.Told told) {
    return told.total() == 0 ? "" : "&meddelas=" + told.confirmed() + "-" + told.waitlisted() + "&andrat="
        + String.join(",", told.what());
  }

  /** The kinds of change a page may name (anything else in the address is ignored). */
  private static final List<String> CHANGE_KINDS = List.of("time", "venue", "onlineUrl", "session");

  private void publish(RoutingContext ctx) {
    events.publish(EventPages.pathId(ctx))
        .onSuccess(e -> ctx.redirect("/arrangor/evenemang/" + e.id() + "?published=1"))
        .onFailure(ctx::fail);
  }

  /**
   * Calling the event off: a page of its own that asks for the reason (required) and the new date (optional), which the
   * e-mail to everyone registered carries, and says who will be told, before anything happens.
   */
  private void cancelForm(RoutingContext ctx) {
    events.get(EventPages.pathId(ctx))
        .compose(e -> renderCancel(ctx, 200, e, null, null, Map.of()))
        .onFailure(ctx::fail);
  }

  private void cancel(RoutingContext ctx) {
    long id = EventPages.pathId(ctx);
    String reason = ctx.request().formAttributes().get("reason");
    String newDate = ctx.request().formAttributes().get("newDate");
    events.cancel(id, reason, newDate, true)
        .onSuccess(e -> ctx.redirect("/arrangor/evenemang/" + e.id() + "?cancelled=1"))
        .onFailure(ValidationException.formAgain(ctx, errors -> {
          // Nothing was cancelled, nothing sent: the page again, with what was typed.
          events.get(id).compose(e -> renderCancel(ctx, 422, e, reason, newDate, errors))
              .onFailure(ctx::fail);
        }));
  }

  /** The cancel page: what will happen and to whom (how many are e-mailed), the reason and new date, one button. */
  private Future<Void> renderCancel(RoutingContext ctx, int status, Event e, String reason, String newDate,
                                    Map<String, String> errors) {
    return participants.toTell(e.id()).compose(toTell -> {
      Map<String, Object> model = new HashMap<>();
      model.put("event", EventView.of(e, Lang.of(ctx), OffsetDateTime.now(clock)));
      model.put("toTell", toTell);
      model.put("alreadyCancelled", e.status() == EventStatus.CANCELLED);
      model.put("reason", reason);
      model.put("newDate", newDate);
      model.put("errors", errors);
      model.put("reasonMax", EventService.REASON_MAX);
      return templates.render(ctx, status, "organiser/event-cancel", model);
    });
  }

  private void formFailure(RoutingContext ctx, Event event, EventInput input, Throwable err) {
    if (err instanceof ValidationException v) {
      renderForm(ctx, 422, event, input, null, v.messages(Lang.of(ctx)));
    } else {
      ctx.fail(err);
    }
  }

  private void renderForm(RoutingContext ctx, int status, Event event, EventInput input, String changeNote,
                          Map<String, String> errors) {
    Lang lang = Lang.of(ctx);
    Future.all(events.venues(), events.planYears(), plan.activities(), events.allRooms()).compose(all -> {
      Map<String, Object> model = new HashMap<>();
      java.util.List<Venue> venueList = all.resultAt(0);
      Map<Long, java.util.List<Room>> rooms = all.resultAt(3);
      // The rooms to choose from, under their venue's name (the server refuses a room of another venue).
      model.put("roomGroups", venueList.stream().filter(v -> rooms.containsKey(v.id()))
          .map(v -> new RoomGroup(v.name(), rooms.get(v.id()))).toList());
      model.put("event", event == null ? null : EventView.of(event, lang, OffsetDateTime.now(clock)));
      model.put("input", input);
      model.put("sessionRows", input.sessionRows());
      model.put("errors", errors);
      model.put("venues", all.resultAt(0));
      model.put("years", all.resultAt(1));
      List<PlannedActivity> activities = all.resultAt(2);
      model.put("activityYears", activities.stream()
          .collect(java.util.stream.Collectors.groupingBy(PlannedActivity::year, java.util.TreeMap::new,
              java.util.stream.Collectors.toList()))
          .entrySet().stream().map(e -> Map.of("year", e.getKey(), "activities", e.getValue())).toList());
      model.put("kinds", EventPages.kindCodes());
      model.put("saved", ctx.queryParams().contains("saved"));
      model.put("published", ctx.queryParams().contains("published"));
      model.put("cancelled", ctx.queryParams().contains("cancelled"));
      model.put("changeNote", changeNote);
      model.put("noteMax", EventService.NOTE_MAX);
      model.put("told", toldFromQuery(ctx, lang));
      return templates.render(ctx, status, "organiser/event-form", model);
    }).onFailure(ctx::fail);
  }

  /** "The change is told to 4 confirmed and 1 on the waiting list: time, place" from the page's address; else null. */
  private String toldFromQuery(RoutingContext ctx, Lang lang) {
    String counts = ctx.queryParams().get("meddelas");
    if (counts == null || !counts.matches("\\d{1,6}-\\d{1,6}")) {
      return null;
    }
    String[] n = counts.split("-");
    String changed = ctx.queryParams().get("andrat");
    List<String> what = new ArrayList<>();
    for (String kind : changed == null ? new String[0] : changed.split(",")) {
      if (CHANGE_KINDS.contains(kind)) {
        what.add(se.hok.samla.web.Messages.get(lang, "notices.told." + kind));
      }
    }
    return se.hok.samla.web.Messages.get(lang, "notices.told", Integer.parseInt(n[0]), Integer.parseInt(n[1]),
        String.join(", ", what), events.changeNoticeDelay().toMinutes());
  }

  /** A venue's rooms, as the event form offers them. */
  public record RoomGroup(String venue, java.util.List<Room> rooms) {}

  private void venues(RoutingContext ctx) {
    renderVenues(ctx, 200, Map.of(), null);
  }

  private void createVenue(RoutingContext ctx) {
    VenueInput input = VenueInput.fromForm(ctx.request().formAttributes());
    events.createVenue(input)
        .onSuccess(v -> ctx.redirect("/arrangor/lokaler?saved=1"))
        .onFailure(ValidationException.formAgain(ctx, errors -> renderVenues(ctx, 422, errors, input)));
  }

  /** A room added to a venue, from the one "Nytt rum" form under the venues (its fields are named room…). */
  private void createRoom(RoutingContext ctx) {
    io.vertx.core.MultiMap form = ctx.request().formAttributes();
    RoomInput input = RoomInput.fromForm(form);
    String venue = form.get("roomVenueId");
    long venueId;
    try {
      venueId = Long.parseLong(venue == null ? "" : venue.strip());
    } catch (NumberFormatException e) {
      renderVenues(ctx, 422, Map.of(), null, ValidationException.of("room.venueId", "error.event.venueUnknown").messages(Lang.of(ctx)), input, venue);
      return;
    }
    events.createRoom(venueId, input, "room.")
        .onSuccess(r -> ctx.redirect("/arrangor/lokaler?saved=1"))
        .onFailure(err -> {
          if (err instanceof ValidationException v) {
            renderVenues(ctx, 422, Map.of(), null, v.messages(Lang.of(ctx)), input, venue);
          } else if (err instanceof se.hok.samla.web.NotFoundException) {
            renderVenues(ctx, 422, Map.of(), null,
                ValidationException.of("room.venueId", "error.event.venueUnknown").messages(Lang.of(ctx)), input, venue);
          } else {
            ctx.fail(err);
          }
        });
  }

  private void renderVenues(RoutingContext ctx, int status, Map<String, String> errors, VenueInput input) {
    renderVenues(ctx, status, errors, input, Map.of(), null, null);
  }

  private void renderVenues(RoutingContext ctx, int status, Map<String, String> errors, VenueInput input,
                            Map<String, String> roomErrors, RoomInput room, String roomVenueId) {
    Future.all(events.venues(), events.allRooms()).compose(all -> {
      Map<String, Object> model = new HashMap<>();
      model.put("venues", all.resultAt(0));
      model.put("rooms", all.resultAt(1));
      model.put("errors", errors);
      // Blank forms where nothing was typed: the templates read every field (strict in the tests).
      model.put("input", input != null ? input : new VenueInput(null, null, false, false, false, false, null));
      model.put("roomErrors", roomErrors);
      model.put("room", room != null ? room : new RoomInput(null, false, false, null, null));
      model.put("roomVenueId", roomVenueId);
      model.put("saved", ctx.queryParams().contains("saved"));
      return templates.render(ctx, status, "organiser/venues", model);
    }).onFailure(ctx::fail);
  }
}
