package se.hok.samla.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.ZonedDateTime;
import java.util.List;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VTimeZone;
import net.fortuna.ical4j.model.property.TzId;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Status;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.Url;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableMethod;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

/** Events as iCalendar (.ics, through ical4j) and as schema.org JSON-LD for search engines. */
public final class Calendars {
  private static final TimeZoneRegistry ZONES = TimeZoneRegistryFactory.getInstance().createRegistry();

  private Calendars() {}

  /** A calendar with the given events, times in Europe/Stockholm with its VTIMEZONE. */
  static String ics(List<Event> events, String publicUrl, String host) {
    Calendar calendar = new Calendar()
        .add(new ProdId("-//HÖK//Samla//SV"))
        .add(ImmutableVersion.VERSION_2_0)
        .add(ImmutableCalScale.GREGORIAN)
        .add(ImmutableMethod.PUBLISH);
    calendar.add(stockholmZone());
    for (Event e : events) {
      calendar.add(vevent(e, publicUrl, host));
    }
    return calendar.toString();
  }

  /**
   * The VTIMEZONE that DTSTART's TZID=Europe/Stockholm points to. ical4j's bundled tzurl data defines
   * Europe/Stockholm as a copy of Europe/Berlin, TZID included (tzdata made Stockholm a link to Berlin: the same
   * rules since 1980), which would leave the events' TZID without a matching VTIMEZONE. So the copy is renamed.
   */
  public static VTimeZone stockholmZone() {
    VTimeZone zone = ZONES.getTimeZone(EventInput.STOCKHOLM.getId()).getVTimeZone().copy();
    zone.replace(new TzId(EventInput.STOCKHOLM.getId()));
    zone.removeAll("TZURL", "X-LIC-LOCATION");
    return zone;
  }

  private static VEvent vevent(Event e, String publicUrl, String host) {
    ZonedDateTime start = e.startsAt().atZoneSameInstant(EventInput.STOCKHOLM);
    ZonedDateTime end = e.endsAt().atZoneSameInstant(EventInput.STOCKHOLM);
    String url = publicUrl + "/evenemang/" + e.id();
    VEvent vevent = new VEvent(start, end, e.titleSv());
    vevent.add(new Uid("event-" + e.id() + "@" + host));
    vevent.add(new Description((e.descriptionSv() == null ? "" : e.descriptionSv() + "\n\n") + url));
    vevent.add(new Location(place(e)));
    vevent.add(new Url(java.net.URI.create(url)));
    vevent.add(e.status() == EventStatus.CANCELLED ? new Status(Status.VALUE_CANCELLED) : new Status(Status.VALUE_CONFIRMED));
    return vevent;
  }

  /** The public place: the venue, or "Online" – the meeting link is for those registered only. */
  static String place(Event e) {
    if (e.venue() != null) {
      return e.venue().name() + ", " + e.venue().address();
    }
    return e.online() ? se.hok.samla.web.Messages.get(se.hok.samla.web.Lang.SV, "event.online") : "";
  }

  /** schema.org Event, safe to embed in a script element: no markup characters survive as such. */
  static String jsonLd(Event e, String publicUrl) {
    JsonObject json = new JsonObject()
        .put("@context", "https://schema.org")
        .put("@type", "Event")
        .put("name", e.titleSv())
        .put("description", e.descriptionSv())
        .put("startDate", EventJson.local(e.startsAt()).toString())
        .put("endDate", EventJson.local(e.endsAt()).toString())
        .put("url", publicUrl + "/evenemang/" + e.id())
        .put("inLanguage", "sv")
        .put("isAccessibleForFree", true)
        .put("eventStatus", e.status() == EventStatus.CANCELLED
            ? "https://schema.org/EventCancelled" : "https://schema.org/EventScheduled")
        .put("organizer", new JsonObject().put("@type", "Organization")
            .put("name", "Den Halländska Överenskommelsen (HÖK)"));
    JsonArray locations = new JsonArray();
    if (e.venue() != null) {
      locations.add(new JsonObject().put("@type", "Place").put("name", e.venue().name())
          .put("address", e.venue().address()));
    }
    if (e.online()) {
      // The meeting link is for those registered: the event's own page (where one signs up) stands in for it.
      locations.add(new JsonObject().put("@type", "VirtualLocation").put("url", publicUrl + "/evenemang/" + e.id()));
    }
    json.put("location", locations.size() == 1 ? locations.getValue(0) : locations);
    json.put("eventAttendanceMode", e.venue() != null && e.online()
        ? "https://schema.org/MixedEventAttendanceMode"
        : e.venue() != null ? "https://schema.org/OfflineEventAttendanceMode"
        : "https://schema.org/OnlineEventAttendanceMode");
    return json.encode().replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }
}
