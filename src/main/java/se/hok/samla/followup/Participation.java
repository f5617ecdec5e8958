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
import se.hok.samla.events.PlannedActivity;

/**
 * Who took part in the events held in a scope (a plan year or a period). Taking part means being admitted at the
 * door (a check-in that was not undone); a registration that never came is counted as confirmed, not as taking
 * part. Events held = published events that have started; drafts and cancelled events were not held.
 *
 * <p>People are told apart by their participant key (a keyed hash of the address under the secret of the event's
 * action-plan period, kept after retention erases the address), or by the address itself for events outside any
 * period while it exists. An attendance with neither (erased before its period had a secret, a walk-in without an
 * address, a period closed since) still counts for its organisation and the totals, but not as a person: person-level
 * figures ({@link People}) cover linked attendances only, and say how many could not be linked. Once a period is
 * closed, its years' person-level figures are the ones kept at closing.
 *
 * <p>planRows: the year's planned activities against what was held (see {@link PlanRow}).
 */
public record Participation(Scope scope, PlanYear plan, Totals totals, List<HeldEvent> events,
                            Map<String, Long> eventsByKind, List<SectorRow> sectors, List<OrganisationRow> organisations,
                            List<Organisation> silentSignatories, Breadth breadth, People people,
                            List<PlanRow> planRows) {

  public static final List<String> SECTORS = List.of("ideburen", "offentlig", "privat", "ovrig");
  public static final List<String> KINDS = List.of("samverkanskonferens", "dialogmote", "workshop", "seminarium",
      "utbildning", "remissmote", "framtidsforum", "annat");

  /**
   * attendances = admitted registrations (one person at two events counts twice). The persons among them are in
   * {@link People}.
   *
   * <p>attendanceRate = admitted confirmed registrations / confirmed registrations, over the events whose attendance
   * was recorded only (see {@link HeldEvent#attendanceRecorded()}): an online meeting held without check-in would
   * otherwise add its registrations as if nobody had come and pull the year's rate down.
   * confirmedAttendanceRecorded is that denominator; eventsAttendanceUnrecorded says how many held events were
   * left out, so the reader is told. confirmed still counts every event's confirmed registrations.
   */
  public record Totals(long events, long confirmed, long attendances, long walkIns,
                       long organisations, long confirmedAttended, long confirmedAttendanceRecorded,
                       long eventsAttendanceUnrecorded) {
    public Double attendanceRate() {
      return confirmedAttendanceRecorded == 0 ? null : (double) confirmedAttended / confirmedAttendanceRecorded;
    }
  }

  /** organisations: how many organisations (accepted names) the attendances came from. */
  public record HeldEvent(long id, String kind, String titleSv, String titleEn, OffsetDateTime startsAt,
                          Integer planYear, Long plannedActivityId, long confirmed, long attendances, long walkIns,
                          long confirmedAttended, long organisations, Ratings ratings) {
    /** An event as the scope's query finds it, before anything is counted. */
    static HeldEvent found(long id, String kind, String titleSv, String titleEn, OffsetDateTime startsAt,
                           Integer planYear, Long plannedActivityId) {
      return new HeldEvent(id, kind, titleSv, titleEn, startsAt, planYear, plannedActivityId, 0, 0, 0, 0, 0,
          Ratings.NONE);
    }

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
   * Participation breadth of the organisations: in two or more kinds of activity, at two or more events. The people's
   * breadth is in {@link People}.
   */
  public record Breadth(long organisations, long organisationsTwoKinds, long organisationsTwoEvents,
                        Map<Integer, Long> organisationsByKindCount) {}

  /**
   * The persons behind the attendances, counted by participant key: people = distinct persons who took part;
   * twoKinds = in two or more kinds of activity; twoEvents = at two or more events (they came back); unlinked =
   * attendances that cannot be linked to a person. Across the years of the action-plan period (plan years only, else
   * null): firstTimers = people who took part in no earlier year of the period; cameAgainNextYear = people who took part
   * the next year of the period too (null while the next year has held nothing, and for the period's last year).
   * ratingsOneKind / ratingsTwoKinds: the feedback ratings of people who took part in one kind of activity, and in two
   * or more. kept: counted when the period was closed (the keys are gone; these counts are all that remains).
   */
  public record People(long people, long twoKinds, long twoEvents, Long firstTimers, Long cameAgainNextYear,
                       long unlinked, Ratings ratingsOneKind, Ratings ratingsTwoKinds, boolean kept) {
    /** People who had taken part in an earlier year of the period too. */
    public Long returning() {
      return firstTimers == null ? null : people - firstTimers;
    }

    /** The share of the year's people who came again the next year. */
    public Double cameAgainShare() {
      return cameAgainNextYear == null || people == 0 ? null : (double) cameAgainNextYear / people;
    }

    People acrossYears(Long firstTimers, Long cameAgainNextYear) {
      return new People(people, twoKinds, twoEvents, firstTimers, cameAgainNextYear, unlinked, ratingsOneKind,
          ratingsTwoKinds, kept);
    }
  }

  /**
   * A line of "plan against outcome": a planned activity with one event that carried it out (HELD), with an upcoming
   * event linked to it (UPCOMING), or with none (NOT_HELD); or an event held outside the plan (OUTSIDE, no activity).
   * A planned activity carried out by several events has a line per event.
   */
  public record PlanRow(PlannedActivity activity, HeldEvent event, Upcoming upcoming, Status status) {
    public enum Status { HELD, UPCOMING, NOT_HELD, OUTSIDE }

    public String statusCode() {
      return status.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** A published event linked to a planned activity that has not started yet. */
  public record Upcoming(long id, long plannedActivityId, String titleSv, String titleEn, OffsetDateTime startsAt) {}

  /**
   * One registration of a held event, as the scope's query returns it. person: the participant key (or, outside any
   * period, the address while it exists); null when it cannot be linked. rating: its feedback rating, if any.
   */
  record Attendance(long eventId, String status, String source, Long organisationId, String person,
                    boolean attended, Integer rating) {}

  static Participation of(Scope scope, PlanYear plan, List<HeldEvent> held, List<Attendance> rows,
                          List<Organisation> organisations, Map<Long, Ratings> ratings) {
    Map<Long, HeldEvent> eventsById = new LinkedHashMap<>();
    held.forEach(e -> eventsById.put(e.id(), e));
    Map<Long, Organisation> orgs = new HashMap<>();
    organisations.forEach(o -> orgs.put(o.id(), o));

    Map<Long, long[]> perEvent = new HashMap<>();  // confirmed, attendances, walk-ins, confirmed attended
    Map<Long, Set<Long>> eventOrgs = new HashMap<>();
    List<Attendance> rated = new ArrayList<>();
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
        eventOrgs.computeIfAbsent(a.eventId(), k -> new HashSet<>()).add(org.id());
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
        if (a.rating() != null) {
          rated.add(a);
        }
      }
    }

    List<HeldEvent> events = new ArrayList<>();
    Map<String, Long> byKind = new LinkedHashMap<>();
    long confirmedAttendanceRecorded = 0;
    long eventsAttendanceUnrecorded = 0;
    for (HeldEvent e : held) {
      long[] c = perEvent.getOrDefault(e.id(), new long[4]);
      HeldEvent counted = new HeldEvent(e.id(), e.kind(), e.titleSv(), e.titleEn(), e.startsAt(), e.planYear(),
          e.plannedActivityId(), c[0], c[1], c[2], c[3], eventOrgs.getOrDefault(e.id(), Set.of()).size(),
          ratings.getOrDefault(e.id(), Ratings.NONE));
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
        .map(o -> new OrganisationRow(o.id(), o.name(), o.sector(), o.partyDuring(scope.firstDay(), scope.lastDay()),
            orgEvents.get(o.id()).size(),
            List.copyOf(orgKinds.get(o.id())), orgAttendances.get(o.id())))
        .sorted(Comparator.comparingLong(OrganisationRow::events).reversed()
            .thenComparing(OrganisationRow::attendances, Comparator.reverseOrder())
            .thenComparing(r -> r.name().toLowerCase(java.util.Locale.ROOT)))
        .toList();

    List<Organisation> silent = organisations.stream()
        .filter(o -> o.name() != null && o.partyDuring(scope.firstDay(), scope.lastDay()) && !orgEvents.containsKey(o.id()))
        .sorted(Comparator.comparing(o -> o.name().toLowerCase(java.util.Locale.ROOT)))
        .toList();

    Map<Integer, Long> byKindCount = new LinkedHashMap<>();
    orgKinds.values().forEach(k -> byKindCount.merge(Math.min(k.size(), 3), 1L, Long::sum));
    Breadth breadth = new Breadth(orgRows.size(),
        orgKinds.values().stream().filter(k -> k.size() >= 2).count(),
        orgEvents.values().stream().filter(e -> e.size() >= 2).count(),
        new java.util.TreeMap<>(byKindCount));

    long[] oneKind = new long[5];
    long[] twoKinds = new long[5];
    for (Attendance a : rated) {
      (personKinds.get(a.person()).size() >= 2 ? twoKinds : oneKind)[a.rating() - 1]++;
    }
    People people = new People(personEvents.size(),
        personKinds.values().stream().filter(k -> k.size() >= 2).count(),
        personEvents.values().stream().filter(e -> e.size() >= 2).count(),
        null, null, unlinked, Ratings.of(oneKind), Ratings.of(twoKinds), false);

    Totals totals = new Totals(held.size(), confirmed, attendances, walkIns, orgRows.size(), confirmedAttended,
        confirmedAttendanceRecorded, eventsAttendanceUnrecorded);
    return new Participation(scope, plan, totals, events, eventsByKind, sectors, orgRows, silent, breadth, people,
        List.of());
  }

  /** The same participation with its plan year, its people counted across years (or kept), and its plan rows. */
  Participation with(PlanYear plan, People people, List<PlanRow> planRows) {
    return new Participation(scope, plan, totals, events, eventsByKind, sectors, organisations, silentSignatories,
        breadth, people, planRows);
  }

  /** The persons who took part in each plan year's held events (linked attendances only). */
  static Map<Integer, Set<String>> personsByYear(List<HeldEvent> held, List<Attendance> rows) {
    Map<Long, Integer> yearOf = new HashMap<>();
    held.forEach(e -> {
      if (e.planYear() != null) {
        yearOf.put(e.id(), e.planYear());
      }
    });
    Map<Integer, Set<String>> out = new HashMap<>();
    for (Attendance a : rows) {
      Integer year = yearOf.get(a.eventId());
      if (year != null && a.attended() && a.person() != null) {
        out.computeIfAbsent(year, y -> new HashSet<>()).add(a.person());
      }
    }
    return out;
  }

  /**
   * Plan against outcome: each planned activity (in the plan's order) with the held events linked to it, or, without
   * one, an upcoming linked event or "not held"; then the held events linked to no activity of the scope. With
   * {@code notHeld} false (a period of dates, not a plan year) only events are listed.
   */
  static List<PlanRow> planRows(List<PlannedActivity> activities, List<HeldEvent> held, List<Upcoming> upcoming,
                                boolean notHeld) {
    List<PlanRow> out = new ArrayList<>();
    Set<Long> planned = new HashSet<>();
    for (PlannedActivity a : activities) {
      planned.add(a.id());
      List<HeldEvent> carried = held.stream().filter(e -> Long.valueOf(a.id()).equals(e.plannedActivityId())).toList();
      if (!carried.isEmpty()) {
        carried.forEach(e -> out.add(new PlanRow(a, e, null, PlanRow.Status.HELD)));
      } else if (notHeld) {
        Upcoming next = upcoming.stream().filter(u -> u.plannedActivityId() == a.id())
            .min(Comparator.comparing(Upcoming::startsAt)).orElse(null);
        out.add(new PlanRow(a, null, next, next == null ? PlanRow.Status.NOT_HELD : PlanRow.Status.UPCOMING));
      }
    }
    held.stream().filter(e -> e.plannedActivityId() == null || !planned.contains(e.plannedActivityId()))
        .forEach(e -> out.add(new PlanRow(null, e, null, PlanRow.Status.OUTSIDE)));
    return out;
  }
}
