package se.hok.samla.followup;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import se.hok.samla.events.Organisation;
import se.hok.samla.events.PlanYear;

/**
 * Who took part in the events held in a scope (a plan year or a period). Taking part means being admitted at the
 * door (a check-in that was not undone); a registration that never came is counted as confirmed, not as taking
 * part. Events held = published events that have started; drafts and cancelled events were not held.
 *
 * <p>People are told apart by their e-mail address (case-insensitive) while it exists. Retention erases it a set
 * number of days after each event, so erased registrations still count as attendances and for their
 * organisation, but can no longer be linked to a person: person-level figures (people, breadth, repeat
 * participants) cover identifiable attendances only, and say how many could not be linked.
 */
public record Participation(Scope scope, PlanYear plan, Totals totals, List<HeldEvent> events,
                            Map<String, Long> eventsByKind, List<SectorRow> sectors, List<OrganisationRow> organisations,
                            List<Organisation> silentSignatories, Breadth breadth) {

  public static final List<String> SECTORS = List.of("ideburen", "offentlig", "privat", "ovrig");
  public static final List<String> KINDS = List.of("samverkanskonferens", "dialogmote", "workshop", "seminarium",
      "utbildning", "remissmote", "framtidsforum", "annat");

  /**
   * attendances = admitted registrations (one person at two events counts twice); people = distinct identifiable
   * persons among them; unlinked = attendances whose registration is erased.
   *
   * <p>attendanceRate = admitted confirmed registrations / confirmed registrations, over the events whose attendance
   * was recorded only (see {@link HeldEvent#attendanceRecorded()}): an online meeting held without check-in would
   * otherwise add its registrations as if nobody had come and pull the year's rate down.
   * confirmedAttendanceRecorded is that denominator; eventsAttendanceUnrecorded says how many held events were
   * left out, so the reader is told. confirmed still counts every event's confirmed registrations.
   */
  public record Totals(long events, long confirmed, long attendances, long walkIns, long people, long unlinked,
                       long organisations, long confirmedAttended, long confirmedAttendanceRecorded,
                       long eventsAttendanceUnrecorded) {
    public Double attendanceRate() {
      return confirmedAttendanceRecorded == 0 ? null : (double) confirmedAttended / confirmedAttendanceRecorded;
    }
  }

  public record HeldEvent(long id, String kind, String titleSv, String titleEn, OffsetDateTime startsAt,
                          Integer planYear, long confirmed, long attendances, long walkIns, long confirmedAttended,
                          Ratings ratings) {
    /**
     * At least one admission (to the event or a session) that was not undone. Without one the event was held
     * without check-in, and how many came is unknown, not zero.
     */
    public boolean attendanceRecorded() {
      return attendances > 0;
    }

    /** Admitted confirmed registrations / confirmed; null when nobody is confirmed or attendance is unknown. */
    public Double attendanceRate() {
      return confirmed == 0 || !attendanceRecorded() ? null : (double) confirmedAttended / confirmed;
    }
  }

  /** sector null: attendances without an organisation. */
  public record SectorRow(String sector, long organisations, long attendances, long events) {}

  public record OrganisationRow(long id, String name, String sector, boolean signatory, long events,
                                List<String> kinds, long attendances) {}

  /**
   * Participation breadth: organisations and (identifiable) people that took part in two or more kinds of
   * activity, and repeat participants that came to two or more events.
   */
  public record Breadth(long organisations, long organisationsTwoKinds, long organisationsTwoEvents,
                        long people, long peopleTwoKinds, long peopleTwoEvents, long unlinked,
                        Map<Integer, Long> organisationsByKindCount) {}

  /** One registration of a held event, as the scope's query returns it. person is null once erased. */
  record Attendance(long eventId, String status, String source, Long organisationId, String person,
                    boolean attended) {}

  static Participation of(Scope scope, PlanYear plan, List<HeldEvent> held, List<Attendance> rows,
                          List<Organisation> organisations, Map<Long, Ratings> ratings) {
    Map<Long, HeldEvent> eventsById = new LinkedHashMap<>();
    held.forEach(e -> eventsById.put(e.id(), e));
    Map<Long, Organisation> orgs = new HashMap<>();
    organisations.forEach(o -> orgs.put(o.id(), o));

    Map<Long, long[]> perEvent = new HashMap<>();  // confirmed, attendances, walk-ins, confirmed attended
    Map<Long, Set<Long>> orgEvents = new HashMap<>();
    Map<Long, Set<String>> orgKinds = new HashMap<>();
    Map<Long, Long> orgAttendances = new HashMap<>();
    Map<String, Set<Long>> personEvents = new HashMap<>();
    Map<String, Set<String>> personKinds = new HashMap<>();
    Map<String, long[]> sectorCounts = new HashMap<>();  // attendances
    Map<String, Set<Long>> sectorOrgs = new HashMap<>();
    Map<String, Set<Long>> sectorEvents = new HashMap<>();
    long confirmed = 0;
    long attendances = 0;
    long walkIns = 0;
    long unlinked = 0;
    long confirmedAttended = 0;

    for (Attendance a : rows) {
      HeldEvent event = eventsById.get(a.eventId());
      if (event == null) {
        continue;
      }
      long[] counts = perEvent.computeIfAbsent(a.eventId(), k -> new long[4]);
      boolean isConfirmed = "confirmed".equals(a.status());
      if (isConfirmed) {
        confirmed++;
        counts[0]++;
      }
      if (!a.attended()) {
        continue;
      }
      attendances++;
      counts[1]++;
      if ("walk_in".equals(a.source())) {
        walkIns++;
        counts[2]++;
      }
      if (isConfirmed) {
        confirmedAttended++;
        counts[3]++;
      }
      Organisation org = a.organisationId() == null ? null : orgs.get(a.organisationId());
      String sector = org == null ? null : org.sector();
      sectorCounts.computeIfAbsent(sector, k -> new long[1])[0]++;
      sectorEvents.computeIfAbsent(sector, k -> new HashSet<>()).add(a.eventId());
      if (org != null) {
        sectorOrgs.computeIfAbsent(sector, k -> new HashSet<>()).add(org.id());
      }
      if (org != null && org.name() != null) {  // a name not yet accepted is "other": counted, never named
        orgEvents.computeIfAbsent(org.id(), k -> new HashSet<>()).add(a.eventId());
        orgKinds.computeIfAbsent(org.id(), k -> new TreeSet<>(Comparator.comparingInt(KINDS::indexOf)))
            .add(event.kind());
        orgAttendances.merge(org.id(), 1L, Long::sum);
      }
      if (a.person() == null) {
        unlinked++;
      } else {
        personEvents.computeIfAbsent(a.person(), k -> new HashSet<>()).add(a.eventId());
        personKinds.computeIfAbsent(a.person(), k -> new HashSet<>()).add(event.kind());
      }
    }

    List<HeldEvent> events = new ArrayList<>();
    Map<String, Long> byKind = new LinkedHashMap<>();
    long confirmedAttendanceRecorded = 0;
    long eventsAttendanceUnrecorded = 0;
    for (HeldEvent e : held) {
      long[] c = perEvent.getOrDefault(e.id(), new long[4]);
      HeldEvent counted = new HeldEvent(e.id(), e.kind(), e.titleSv(), e.titleEn(), e.startsAt(), e.planYear(), c[0],
          c[1], c[2], c[3], ratings.getOrDefault(e.id(), Ratings.NONE));
      events.add(counted);
      byKind.merge(e.kind(), 1L, Long::sum);
      if (counted.attendanceRecorded()) {
        confirmedAttendanceRecorded += counted.confirmed();
      } else {
        eventsAttendanceUnrecorded++;
      }
    }
    Map<String, Long> eventsByKind = new LinkedHashMap<>();
    KINDS.stream().filter(byKind::containsKey).forEach(k -> eventsByKind.put(k, byKind.get(k)));

    List<SectorRow> sectors = new ArrayList<>();
    List<String> sectorOrder = new ArrayList<>(SECTORS);
    sectorOrder.add(null);
    for (String s : sectorOrder) {
      if (sectorCounts.containsKey(s)) {
        sectors.add(new SectorRow(s, sectorOrgs.getOrDefault(s, Set.of()).size(), sectorCounts.get(s)[0],
            sectorEvents.get(s).size()));
      }
    }

    List<OrganisationRow> orgRows = orgEvents.keySet().stream()
        .map(orgs::get)
        .map(o -> new OrganisationRow(o.id(), o.name(), o.sector(), o.signatory(), orgEvents.get(o.id()).size(),
            List.copyOf(orgKinds.get(o.id())), orgAttendances.get(o.id())))
        .sorted(Comparator.comparingLong(OrganisationRow::events).reversed()
            .thenComparing(OrganisationRow::attendances, Comparator.reverseOrder())
            .thenComparing(r -> r.name().toLowerCase(java.util.Locale.ROOT)))
        .toList();

    List<Organisation> silent = organisations.stream()
        .filter(o -> o.signatory() && !orgEvents.containsKey(o.id()))
        .sorted(Comparator.comparing(o -> o.name().toLowerCase(java.util.Locale.ROOT)))
        .toList();

    Map<Integer, Long> byKindCount = new LinkedHashMap<>();
    orgKinds.values().forEach(k -> byKindCount.merge(Math.min(k.size(), 3), 1L, Long::sum));
    Breadth breadth = new Breadth(orgRows.size(),
        orgKinds.values().stream().filter(k -> k.size() >= 2).count(),
        orgEvents.values().stream().filter(e -> e.size() >= 2).count(),
        personEvents.size(),
        personKinds.values().stream().filter(k -> k.size() >= 2).count(),
        personEvents.values().stream().filter(e -> e.size() >= 2).count(),
        unlinked,
        new java.util.TreeMap<>(byKindCount));

    Totals totals = new Totals(held.size(), confirmed, attendances, walkIns, personEvents.size(), unlinked,
        orgRows.size(), confirmedAttended, confirmedAttendanceRecorded, eventsAttendanceUnrecorded);
    return new Participation(scope, plan, totals, events, eventsByKind, sectors, orgRows, silent, breadth);
  }
}
