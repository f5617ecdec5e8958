package se.hok.samla.events;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The API's view of an event. Times carry the Stockholm offset of their date. The meeting link of an online event is
 * only for those registered (their ticket e-mail, their manage page) and the event's organisers: the public reads
 * {@code online} (whether one can take part online) and no link.
 */
public record EventJson(
    long id,
    String kind,
    String status,
    String title,
    String titleEn,
    String description,
    String descriptionEn,
    OffsetDateTime startsAt,
    OffsetDateTime endsAt,
    String timeZone,
    Long venueId,
    VenueJson venue,
    String onlineUrl,
    boolean online,
    int capacity,
    int seatsLeft,
    OffsetDateTime registrationOpensAt,
    OffsetDateTime registrationClosesAt,
    boolean registrationOpen,
    Integer year,
    String theme,
    String focusArea,
    String organiserName,
    String organiserEmail,
    List<SessionJson> sessions,
    int reminderDays,
    Long plannedActivityId,
    String plannedActivity,
    String url) {

  public record VenueJson(long id, String name, String address, Accessibility accessibility) {
    static VenueJson of(Venue v) {
      return new VenueJson(v.id(), v.name(), v.address(), new Accessibility(v.stepFreeEntrance(), v.hearingLoop(),
          v.accessibleToilet(), v.disabledParking(), v.accessibilityNotes()));
    }
  }

  public record Accessibility(boolean stepFreeEntrance, boolean hearingLoop, boolean accessibleToilet,
                              boolean disabledParking, String notes) {}

  /** A session; {@code room} the place as printed, {@code roomId} and {@code roomAccessibility} when it is a venue's room. */
  public record SessionJson(long id, String title, String titleEn, OffsetDateTime startsAt, OffsetDateTime endsAt,
                            int capacity, int seatsLeft, String room, Long roomId, RoomAccessibility roomAccessibility) {}

  public record RoomAccessibility(boolean hearingLoop, boolean stepFree, int wheelchairPlaces, String notes) {
    static RoomAccessibility of(Room r) {
      return r == null ? null : new RoomAccessibility(r.hearingLoop(), r.stepFree(), r.wheelchairPlaces(), r.notes());
    }
  }

  public record RoomJson(long id, long venueId, String name, RoomAccessibility accessibility) {
    static RoomJson of(Room r) {
      return new RoomJson(r.id(), r.venueId(), r.name(), RoomAccessibility.of(r));
    }
  }

  /** As the public sees it: no meeting link. */
  public static EventJson of(Event e, String publicUrl, OffsetDateTime now) {
    return of(e, publicUrl, now, false);
  }

  /** As the event's organisers see it (the answers to their own writes): with the meeting link. */
  public static EventJson forOrganisers(Event e, String publicUrl, OffsetDateTime now) {
    return of(e, publicUrl, now, true);
  }

  private static EventJson of(Event e, String publicUrl, OffsetDateTime now, boolean withLink) {
    return new EventJson(e.id(), e.kind().code(), e.status().code(), e.titleSv(), e.titleEn(), e.descriptionSv(),
        e.descriptionEn(), local(e.startsAt()), local(e.endsAt()), EventInput.STOCKHOLM.getId(),
        e.venue() == null ? null : e.venue().id(), e.venue() == null ? null : VenueJson.of(e.venue()),
        withLink ? e.onlineUrl() : null, e.online(), e.capacity(), e.seatsLeft(), local(e.registrationOpensAt()), local(e.registrationClosesAt()),
        e.registrationOpen(now), e.planYear() == null ? null : e.planYear().year(),
        e.planYear() == null ? null : e.planYear().theme(), e.planYear() == null ? null : e.planYear().focusArea(),
        e.organiserName(), e.organiserEmail(),
        e.sessions().stream().map(s -> new SessionJson(s.id(), s.titleSv(), s.titleEn(), local(s.startsAt()),
            local(s.endsAt()), s.capacity(), s.seatsLeft(), s.room(), s.inRoom() == null ? null : s.inRoom().id(),
            RoomAccessibility.of(s.inRoom()))).toList(),
        e.reminderDays(), e.plannedActivity() == null ? null : e.plannedActivity().id(),
        e.plannedActivity() == null ? null : e.plannedActivity().title(), publicUrl + "/evenemang/" + e.id());
  }

  static OffsetDateTime local(OffsetDateTime t) {
    return t == null ? null : t.atZoneSameInstant(EventInput.STOCKHOLM).toOffsetDateTime();
  }
}
