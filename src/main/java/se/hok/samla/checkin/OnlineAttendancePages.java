package se.hok.samla.checkin;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import se.hok.samla.events.Event;
import se.hok.samla.events.EventService;
import se.hok.samla.privacy.AuditLog;
import se.hok.samla.staff.EventAccess;
import se.hok.samla.staff.EventRight;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.web.FieldChecks;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.Templates;

/**
 * Attendance of an online meeting (or of the online part of a hybrid one), where there is no door to scan at: the
 * event's door staff and organisers tick the names of those who took part, and its organisers may instead upload the
 * meeting tool's participant list (Teams, Zoom … as CSV), matched by e-mail address. Either way each is an admission
 * like a scan at the door (method {@code online}), so the follow-up counts them as attended.
 *
 * <p>The list shows names and organisations, as the door does (DOOR); reading it is logged. Matching a file by e-mail
 * needs MANAGE: it ties addresses to people, which only the event's organisers see. Door admissions are shown but not
 * changed here.
 */
public final class OnlineAttendancePages {
  /** An e-mail address anywhere in a file, whatever its columns: every meeting tool writes its own. */
  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+");
  private static final int MOST_ADDRESSES = 5000;

  private final Vertx vertx;
  private final CheckinService checkins;
  private final LiveCounts live;
  private final EventService events;
  private final EventAccess access;
  private final AuditLog audit;
  private final Templates templates;

  public OnlineAttendancePages(Vertx vertx, CheckinService checkins, LiveCounts live, EventService events,
                               EventAccess access, AuditLog audit, Templates templates) {
    this.vertx = vertx;
    this.checkins = checkins;
    this.live = live;
    this.events = events;
    this.access = access;
    this.audit = audit;
    this.templates = templates;
  }

  public void mount(Router router) {
    router.get("/arrangor/evenemang/:id/narvaro").handler(access.page(EventRight.DOOR)).handler(this::list);
    router.post("/arrangor/evenemang/:id/narvaro").handler(access.page(EventRight.DOOR)).handler(this::tick);
    router.post("/arrangor/evenemang/:id/narvaro/lista").handler(access.page(EventRight.MANAGE)).handler(this::upload);
  }

  private void list(RoutingContext ctx) {
    Lang lang = Lang.of(ctx);
    String saved = ctx.queryParams().get("sparad");
    String notice = saved != null && saved.matches("\\d{1,6}-\\d{1,6}")
        ? Messages.get(lang, "online.saved", Integer.parseInt(saved.split("-")[0]), Integer.parseInt(saved.split("-")[1]))
        : null;
    render(ctx, 200, notice, null, Map.of()).onFailure(ctx::fail);
  }

  /** The ticked list: those ticked are in, those unticked that were ticked online are out. */
  private void tick(RoutingContext ctx) {
    long eventId = se.hok.samla.web.PathIds.id(ctx);
    MultiMap form = ctx.request().formAttributes();
    Set<UUID> present = ids(form.getAll("present"));
    Set<UUID> shown = ids(form.getAll("shown"));
    List<UUID> absent = shown.stream().filter(id -> !present.contains(id)).toList();
    checkins.recordOnline(eventId, List.copyOf(present), absent, StaffAuth.current(ctx).id())
        .onSuccess(done -> {
          live.changed(eventId);
          ctx.redirect("/arrangor/evenemang/" + eventId + "/narvaro?sparad=" + done.admitted() + "-" + done.undone());
        })
        .onFailure(ctx::fail);
  }

  /**
   * The meeting tool's participant list: every e-mail address in the file (any columns, UTF-8, UTF-16 with its byte
   * order mark as Teams writes it, or Windows-1252) is matched against those with a seat. The page then says how many
   * came in, how many were in already, and which addresses of the file matched nobody with a seat.
   */
  private void upload(RoutingContext ctx) {
    long eventId = se.hok.samla.web.PathIds.id(ctx);
    Lang lang = Lang.of(ctx);
    List<FileUpload> files = ctx.fileUploads();
    FileUpload file = files.stream().filter(f -> "list".equals(f.name()) && f.size() > 0).findFirst().orElse(null);
    if (file == null) {
      render(ctx, 422, null, null, Map.of("list", Messages.get(lang, "online.error.noFile"))).onFailure(ctx::fail);
      return;
    }
    vertx.fileSystem().readFile(file.uploadedFileName())
        .map(buffer -> addresses(text(buffer.getBytes())))
        .compose(found -> {
          if (found.isEmpty()) {
            return render(ctx, 422, null, null, Map.of("list", Messages.get(lang, "online.error.noAddresses")));
          }
          return checkins.matchOnline(eventId, found, StaffAuth.current(ctx).id()).compose(matched -> {
            live.changed(eventId);
            return render(ctx, 200, Messages.get(lang, "online.matched", matched.admitted(), matched.alreadyIn(),
                matched.unmatched().size()), matched.unmatched(), Map.of());
          });
        })
        .onFailure(ctx::fail);
  }

  private Future<Void> render(RoutingContext ctx, int status, String notice, List<String> unmatched,
                              Map<String, String> errors) {
    long eventId = se.hok.samla.web.PathIds.id(ctx);
    Lang lang = Lang.of(ctx);
    return events.get(eventId).compose(event -> checkins.attendanceList(eventId)
        // The list shows who has a seat, by name: logged as a read of those people.
        .compose(people -> audit.read(ctx, eventId, AuditLog.Read.ONLINE_ATTENDANCE, false, people.size()).map(people))
        .compose(people -> {
          Map<String, Object> model = new HashMap<>();
          model.put("eventId", eventId);
          model.put("title", title(event, lang));
          model.put("online", event.online());
          model.put("people", people);
          model.put("present", people.stream().filter(CheckinService.Attendee::present).count());
          model.put("notice", notice);
          model.put("unmatched", unmatched == null ? List.of() : unmatched);
          model.put("errors", errors);
          model.put("canUpload", EventAccess.has(ctx, EventRight.MANAGE));
          return templates.render(ctx, status, "checkin/online-attendance", model);
        }));
  }

  private static Set<UUID> ids(List<String> values) {
    Set<UUID> out = new HashSet<>();
    for (String v : values) {
      try {
        out.add(UUID.fromString(v.strip()));
      } catch (IllegalArgumentException notAnId) {
        // not one of ours: ignored, as an id of another event is
      }
    }
    return out;
  }

  /** The file as text: UTF-16 or UTF-8 by its byte order mark, else UTF-8 if it is valid, else Windows-1252. */
  static String text(byte[] bytes) {
    if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE) {
      return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16LE);
    }
    if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF) {
      return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16BE);
    }
    if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
      return new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException notUtf8) {
      return new String(bytes, Charset.forName("windows-1252"));
    }
  }

  /** Every e-mail address in the text, once each (as first written), at most {@link #MOST_ADDRESSES}. */
  static Set<String> addresses(String text) {
    Set<String> seen = new HashSet<>();
    Set<String> out = new LinkedHashSet<>();
    Matcher m = ADDRESS.matcher(text);
    while (m.find() && out.size() < MOST_ADDRESSES) {
      String address = m.group();
      if (FieldChecks.isEmail(address) && address.length() <= 254 && seen.add(address.toLowerCase(java.util.Locale.ROOT))) {
        out.add(address);
      }
    }
    return out;
  }

  private static String title(Event e, Lang lang) {
    return lang == Lang.EN && e.titleEn() != null && !e.titleEn().isBlank() ? e.titleEn() : e.titleSv();
  }
}
