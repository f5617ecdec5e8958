package se.hok.samla.demo;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import se.hok.samla.web.EventTimes;

/**
 * Demo content for a fresh database: the HÖK action plan 2020–2024 (plus two invented years for upcoming events),
 * the organisations named in HÖK's own documents, venues in Halland and a calendar of past and upcoming events.
 * The past events get invented participants (see {@link #participants}), so that the follow-up has figures to show.
 */
public final class DemoData {
  private static final ZoneId STOCKHOLM = EventTimes.ZONE;

  // Indexes into VENUES, so events can name their venue before the venue ids exist.
  private static final int HALMSTAD = 0;
  private static final int VARBERG = 1;
  private static final int FALKENBERG = 2;
  private static final int KUNGSBACKA = 3;
  private static final int LAHOLM = 4;

  private static final String NETWORK_GROUP = "HÖKs nätverksgrupp";
  private static final String NETWORK_GROUP_EMAIL = "natverksgruppen@example.org";

  private DemoData() {
  }

  /**
   * Loads the demo data once per database (guarded by the demo_load table, in one transaction, safe if two instances
   * start at once). Returns true when it loaded now, false when it had already been loaded.
   */
  public static Future<Boolean> loadOnce(Pool pool, Clock clock) {
    // The exclusive lock makes a second instance wait until the first has committed, and then see its demo_load row.
    return pool.withTransaction(conn -> conn.query("lock table demo_load in exclusive mode").execute()
        .compose(locked -> conn.query("select 1 from demo_load limit 1").execute())
        .compose(rows -> rows.size() > 0 ? Future.succeededFuture(false) : load(conn, clock.instant()).map(true)));
  }

  private static Future<Void> load(SqlConnection conn, Instant now) {
    List<Ev> events = events(now);
    return conn.preparedQuery("insert into action_plan_year (year, theme, focus_area) values ($1, $2, $3)"
            + " on conflict (year) do nothing")
        .executeBatch(PLAN_YEARS)
        .compose(done -> conn.preparedQuery("insert into plan_period (name, first_year, last_year) values ($1, $2, $3)"
                + " on conflict do nothing")
            .executeBatch(PLAN_PERIODS))
        .compose(done -> conn.preparedQuery("insert into planned_activity (plan_year, title, kind, position)"
                + " values ($1, $2, $3, $4)")
            .executeBatch(plannedActivities()))
        .compose(done -> conn.preparedQuery("insert into organisation (name, sector, signatory, signatory_since,"
                + " signatory_until, contact_name, contact_email) values ($1, $2, $3, $4, $5, $6, $7)"
                + " on conflict do nothing")
            .executeBatch(organisations()))
        .compose(done -> conn.preparedQuery("insert into venue (name, address, step_free_entrance, hearing_loop,"
                + " accessible_toilet, disabled_parking, accessibility_notes) values ($1, $2, $3, $4, $5, $6, $7)"
                + " returning id")
            .executeBatch(VENUES))
        .map(DemoData::ids)
        .compose(venueIds -> conn.preparedQuery(INSERT_EVENT).executeBatch(eventTuples(events, venueIds)))
        .map(DemoData::ids)
        .compose(eventIds -> conn.preparedQuery("insert into event_session (event_id, title_sv, title_en, starts_at,"
                + " ends_at, capacity) values ($1, $2, $3, $4, $5, $6)")
            .executeBatch(sessionTuples(events, eventIds))
            .compose(done -> participants(conn, events, eventIds, now))
            .compose(done -> staff(conn, events, eventIds, now)))
        .compose(done -> conn.query("insert into demo_load default values").execute())
        .mapEmpty();
  }

  // plan_year is looked up rather than passed, so an upcoming event in a year without a plan row gets null; so is the
  // planned activity it carries out (by its title, in the event's year).
  private static final String INSERT_EVENT = "insert into event (kind, title_sv, title_en, description_sv,"
      + " description_en, starts_at, ends_at, venue_id, online_url, capacity, registration_opens_at,"
      + " registration_closes_at, status, plan_year, organiser_name, organiser_email, published_at, cancelled_at,"
      + " planned_activity_id)"
      + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
      + " (select year from action_plan_year where year = $14), $15, $16, $17, $18,"
      + " (select id from planned_activity where plan_year = $14 and title = $19))"
      + " returning id";

  /** The ids a batch with {@code returning id} produced, in the order of its tuples (one row set per tuple). */
  private static List<Long> ids(RowSet<Row> first) {
    List<Long> ids = new ArrayList<>();
    for (RowSet<Row> rs = first; rs != null; rs = rs.next()) {
      for (Row row : rs) {
        ids.add(row.getLong(0));
      }
    }
    return ids;
  }

  private static List<Tuple> eventTuples(List<Ev> events, List<Long> venueIds) {
    List<Tuple> tuples = new ArrayList<>();
    for (Ev e : events) {
      tuples.add(Tuple.wrap(Arrays.asList(e.kind, e.titleSv, e.titleEn, e.descSv, e.descEn, e.start, e.end,
          e.venue == null ? null : venueIds.get(e.venue), e.onlineUrl, e.capacity, e.opens, e.closes, e.status,
          e.start.atZoneSameInstant(STOCKHOLM).getYear(), e.organiserName, e.organiserEmail, e.publishedAt,
          e.cancelledAt, CARRIES.get(e.titleSv))));
    }
    return tuples;
  }

  private static List<Tuple> sessionTuples(List<Ev> events, List<Long> eventIds) {
    List<Tuple> tuples = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      Ev e = events.get(i);
      LocalDate day = e.start.atZoneSameInstant(STOCKHOLM).toLocalDate();
      for (Session s : e.sessions) {
        tuples.add(Tuple.wrap(Arrays.asList(eventIds.get(i), s.titleSv(), s.titleEn(), at(day, s.from()),
            at(day, s.to()), s.capacity())));
      }
    }
    return tuples;
  }

  private static OffsetDateTime at(LocalDate day, LocalTime time) {
    return ZonedDateTime.of(day, time, STOCKHOLM).toOffsetDateTime();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Staff of the events: two organisers from the network group who share the events, a door volunteer at the
  // upcoming ones, and a member of the working group who reads the follow-up. The admin sees and can change all of it
  // (each event's page, "Personal för evenemanget"). Their password is the hash of a random password nobody kept:
  // demo data must never bring an account anyone can sign in to; an admin gives them passwords if they are wanted.

  private static final String NOBODYS_PASSWORD =
      "$argon2id$v=19$m=19456,t=2,p=1$HSrWm3+bpSOGid+h09XO1w$eaiCR9L3dEYFlWLAb0TWHJOGTD2gkCChF0u08el7faY";
  private static final List<Tuple> STAFF = List.of(
      Tuple.of("sara.lindqvist@example.org", "Sara Lindqvist", NOBODYS_PASSWORD, "organiser"),
      Tuple.of("omar.haddad@example.org", "Omar Haddad", NOBODYS_PASSWORD, "organiser"),
      Tuple.of("mats.ek@example.org", "Mats Ek", NOBODYS_PASSWORD, "checkin"),
      Tuple.of("eva.berg@example.org", "Eva Berg", NOBODYS_PASSWORD, "viewer"));

  private static Future<Void> staff(SqlConnection conn, List<Ev> events, List<Long> eventIds, Instant now) {
    return conn.preparedQuery("insert into staff_user (email, name, password_hash, role) values ($1, $2, $3, $4)"
            + " on conflict (lower(email)) do update set name = excluded.name returning id")
        .executeBatch(STAFF)
        .map(DemoData::ids)
        .compose(ids -> {
          long sara = ids.get(0);
          long omar = ids.get(1);
          long mats = ids.get(2);
          List<Tuple> duties = new ArrayList<>();
          for (int i = 0; i < events.size(); i++) {
            Ev e = events.get(i);
            long event = eventIds.get(i);
            // Sara and Omar share the events; the big conferences they organise together.
            boolean both = "samverkanskonferens".equals(e.kind);
            duties.add(Tuple.of(event, i % 2 == 0 || both ? sara : omar, "organiser", now.atOffset(ZoneOffset.UTC)));
            if (both) {
              duties.add(Tuple.of(event, omar, "organiser", now.atOffset(ZoneOffset.UTC)));
            }
            if (e.end.toInstant().isAfter(now) && "published".equals(e.status)) {
              duties.add(Tuple.of(event, mats, "door", now.atOffset(ZoneOffset.UTC)));
            }
          }
          return batch(conn, "insert into event_staff (event_id, staff_user_id, role, added_at) values ($1, $2, $3, $4)"
              + " on conflict do nothing", duties);
        });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Participants of the past events: invented people from the organisations above, so that the follow-up shows
  // realistic figures. Some cancel (late and early), most come (check-ins), a few walk in, some rate the event.
  // Every year a few signatories take part in nothing. Retention erases the names and e-mails soon after start-up,
  // as it would for real events this old; the organisations, check-ins and ratings stay.

  private static final String[] FIRST_NAMES = {"Anna", "Lars", "Maria", "Johan", "Elin", "Karin", "Ahmed", "Sofia",
      "Per", "Fatima", "Erik", "Lena", "Mikael", "Ingrid", "Omar", "Hanna", "Nils", "Ulla", "Jonas", "Leila", "Sven",
      "Emma", "Ali", "Birgitta", "Oskar", "Sara", "Göran", "Amira", "Henrik", "Eva"};
  private static final String[] LAST_NAMES = {"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson",
      "Olsson", "Persson", "Svensson", "Gustafsson", "Haddad", "Lindqvist", "Berg", "Öberg", "Nyström", "Åkesson",
      "Ali", "Holm", "Sandberg", "Lund"};
  // A companion is the companion answer (registration.companion), not a need (V19).
  private static final String[] NEEDS = {"horslinga", "teckensprakstolk", "skrivtolk", "rullstolsplats", "specialkost",
      "doftfri", "lattlast"};
  private static final int PEOPLE = 90;

  private static Future<Void> participants(SqlConnection conn, List<Ev> events, List<Long> eventIds, Instant now) {
    return conn.query("select id from organisation order by id").execute().compose(rows -> {
      List<Long> orgs = new ArrayList<>();
      rows.forEach(r -> orgs.add(r.getLong(0)));
      List<Tuple> registrations = new ArrayList<>();
      List<Tuple> checkins = new ArrayList<>();
      List<Tuple> needs = new ArrayList<>();
      List<Tuple> ratings = new ArrayList<>();
      List<Rated> rated = new ArrayList<>();
      java.util.Map<String, java.util.Set<String>> kindsOf = new java.util.HashMap<>();
      List<Long> past = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        Ev e = events.get(i);
        if (!"published".equals(e.status) || !e.start.toInstant().isBefore(now)) {
          continue;
        }
        long eventId = eventIds.get(i);
        past.add(eventId);
        int year = e.start.atZoneSameInstant(STOCKHOLM).getYear();
        java.util.Random rnd = new java.util.Random(7919L * i + 17);
        // Shuffled pool of people, each tied to one organisation; an organisation sits a year out now and then.
        List<Integer> pool = new ArrayList<>();
        for (int p = 0; p < PEOPLE; p++) {
          if ((p % orgs.size() + year) % 6 != 0) {
            pool.add(p);
          }
        }
        java.util.Collections.shuffle(pool, rnd);
        int registered = Math.min(e.capacity - 4, 12 + rnd.nextInt(24));
        int walkIns = 1 + rnd.nextInt(3);
        for (int k = 0; k < registered + walkIns; k++) {
          int person = pool.get(k);
          boolean walkIn = k >= registered;
          java.util.UUID id = java.util.UUID.nameUUIDFromBytes(("demo-" + eventId + "-" + person)
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
          String first = FIRST_NAMES[person % FIRST_NAMES.length];
          String last = LAST_NAMES[(person * 7) % LAST_NAMES.length];
          String email = ascii(first + "." + last + person) + "@example.org";
          Long org = person % 9 == 8 ? null : orgs.get(person % orgs.size());
          double roll = rnd.nextDouble();
          boolean cancelled = !walkIn && roll < 0.1;
          OffsetDateTime created = walkIn ? e.start : e.start.minusDays(10 + rnd.nextInt(30));
          OffsetDateTime cancelledAt = !cancelled ? null
              : roll < 0.03 ? e.start.minusHours(5) : roll < 0.06 ? e.start.minusDays(4) : e.start.minusDays(12);
          registrations.add(Tuple.wrap(Arrays.asList(id, eventId, cancelled ? "cancelled" : "confirmed",
              first + " " + last, email, org, walkIn ? "walk_in" : "web", created, cancelled ? null : created,
              cancelledAt)));
          boolean came = walkIn || (!cancelled && rnd.nextDouble() < 0.82);
          if (came) {
            checkins.add(Tuple.of(eventId, id, e.start.plusMinutes(rnd.nextInt(25) - 15), walkIn ? "walk_in" : "scan"));
            kindsOf.computeIfAbsent(year + "/" + person, key -> new java.util.HashSet<>()).add(e.kind);
            if (rnd.nextDouble() < 0.45) {
              rated.add(new Rated(id, eventId, year + "/" + person, rnd.nextInt(10), e.end.plusDays(1)));
            }
          }
          if (!cancelled && !walkIn && rnd.nextDouble() < 0.12) {
            needs.add(Tuple.of(id, NEEDS[rnd.nextInt(NEEDS.length)]));
          }
        }
      }
      // As the 2024 survey found: those who took part in several kinds of activity that year rate a little higher.
      for (Rated r : rated) {
        int[] scale = kindsOf.get(r.personYear()).size() >= 2 ? BROAD_RATINGS : NARROW_RATINGS;
        ratings.add(Tuple.of(r.id(), r.eventId(), scale[r.roll()], r.at()));
      }
      return batch(conn, "insert into registration (id, event_id, status, name, email, organisation_id, source,"
              + " created_at, confirmed_at, cancelled_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", registrations)
          .compose(v -> batch(conn, "insert into checkin (event_id, registration_id, checked_in_at, device_id, method)"
              + " values ($1, $2, $3, 'demo-door', $4)", checkins))
          .compose(v -> batch(conn, "insert into registration_need (registration_id, need_code) values ($1, $2)", needs))
          .compose(v -> batch(conn, "insert into feedback (registration_id, event_id, rating, submitted_at, updated_at)"
              + " values ($1, $2, $3, $4, $4)", ratings))
          .compose(v -> conn.preparedQuery("update event e set seats_taken = (select count(*) from registration r"
                  + " where r.event_id = e.id and r.status = 'confirmed') where e.id = any($1)")
              .execute(Tuple.tuple().addArrayOfLong(past.toArray(Long[]::new))))
          .mapEmpty();
    });
  }

  /** A rating to give once it is known how many kinds of activity the person took part in that year. */
  private record Rated(java.util.UUID id, long eventId, String personYear, int roll, OffsetDateTime at) {}

  private static final int[] BROAD_RATINGS = {5, 5, 5, 5, 4, 4, 4, 4, 3, 3};
  private static final int[] NARROW_RATINGS = {5, 4, 4, 4, 3, 3, 3, 3, 2, 2};

  private static Future<Void> batch(SqlConnection conn, String sql, List<Tuple> tuples) {
    return tuples.isEmpty() ? Future.succeededFuture() : conn.preparedQuery(sql).executeBatch(tuples).mapEmpty();
  }

  /** "Göran.Öberg12" → "goran.oberg12": e-mail addresses in plain ASCII. */
  private static String ascii(String s) {
    return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
        .toLowerCase(java.util.Locale.ROOT);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Action plan: 2020–2024 as in "Handlingsplan Halländska Överenskommelsen 2020–2024" and the 2024 minutes. The plan
  // left the focus areas of 2022 and 2023 to be decided at a later conference, so they stay empty here.

  private static final List<Tuple> PLAN_YEARS = List.of(
      Tuple.of(2020, "Kunskapsdelning", "Psykisk hälsa"),
      Tuple.of(2021, "Dialog", "Demokrati"),
      Tuple.of(2022, "Öppenhet och insyn", null),
      Tuple.of(2023, "Långsiktighet", null),
      Tuple.of(2024, "Kvalitet", "Ny version av HÖK"),
      // Invented, and marked as such, so that upcoming demo events have a plan year to belong to.
      Tuple.of(2026, "Delaktighet (demo)", "Tillgänglighet (demo)"),
      Tuple.of(2027, "Tillit (demo)", "Civil beredskap (demo)"));

  // Two periods: the action plan 2020–2024, and an invented one (marked as such) for the invented years above.
  private static final List<Tuple> PLAN_PERIODS = List.of(
      Tuple.of("Handlingsplan 2020–2024", 2020, 2024),
      Tuple.of("Handlingsplan 2025–2029 (demo)", 2025, 2029));

  /**
   * The planned activities of each year: 2020–2023 as in the action plan, 2024 as in the handlingsplan presented in the
   * minutes of the network group (it replaced the draft's three lines). Activities that are not events (a mapping, a
   * website, a survey, a publication) have no kind. The invented years get invented activities, marked "(demo)".
   */
  private static final Object[][] PLANNED = {
      {2020, "Grov kartläggning av samverkan mellan Region Halland och idéburna organisationer", null},
      {2020, "Skapandet och lansering av den Halländska Överenskommelsens hemsida", null},
      {2020, "Fördjupade samtal om den Regionala Utvecklingsstrategin", "seminarium"},
      {2020, "Dialogmöten mellan Region Hallands psykiatri och idéburna aktörer", "dialogmote"},
      {2020, "Remissmöte om den Regionala utvecklingsstrategin", "remissmote"},
      {2020, "Samverkanskonferens med tema kunskapsdelning", "samverkanskonferens"},
      {2021, "Utbildningstillfälle Idéburet Offentligt Partnerskap", "utbildning"},
      {2021, "Samverkanskonferens med tema dialog", "samverkanskonferens"},
      {2021, "Upphandling för idéburna", "utbildning"},
      {2021, "Uppmärksammande av rösträtten 100 år", "seminarium"},
      {2021, "Workshop kommande fokusområden", "workshop"},
      {2022, "Avstämning HÖKs målbild 2024", "dialogmote"},
      {2022, "Samverkanskonferens med tema öppenhet och insyn", "samverkanskonferens"},
      {2022, "Påbörja diskussioner ”HÖK efter 2024”", "workshop"},
      {2023, "Samverkanskonferens med tema långsiktighet", "samverkanskonferens"},
      {2023, "Workshop kommande sakområden", "workshop"},
      {2023, "Dialogmöten ”HÖK efter 2024”", "dialogmote"},
      {2024, "Samverkanskonferens med tema kvalitet", "samverkanskonferens"},
      {2024, "Framtidsforum: remissdialog", "framtidsforum"},
      {2024, "Enkätutskick parterna", null},
      {2024, "Uppföljning HÖKs målbild 2024", "seminarium"},
      {2024, "Publikation: metoder för samverkan (liten samverkansguide)", null},
      {2024, "Ta fram kommunikationsplan", null},
      {2024, "Sätta ihop ett informationspaket om HÖK", null},
      {2024, "Lansering ny version av HÖK", null},
      {2026, "Samverkanskonferens med tema delaktighet (demo)", "samverkanskonferens"},
      {2026, "Dialogmöten om tillgänglighet (demo)", "dialogmote"},
      {2026, "Utbildning i idéburet offentligt partnerskap (demo)", "utbildning"},
      {2027, "Samverkanskonferens med tema tillit (demo)", "samverkanskonferens"},
      {2027, "Framtidsforum om civil beredskap (demo)", "framtidsforum"}};

  private static List<Tuple> plannedActivities() {
    List<Tuple> out = new ArrayList<>();
    for (int i = 0; i < PLANNED.length; i++) {
      out.add(Tuple.of(PLANNED[i][0], PLANNED[i][1], PLANNED[i][2], i + 1));
    }
    return out;
  }

  /**
   * Which planned activity each demo event carries out (by the event's Swedish title). The inspelsafton of February
   * 2020 came before the plan, and the April 2024 workshop was added to it afterwards: both are "outside the plan".
   */
  private static final java.util.Map<String, String> CARRIES = java.util.Map.ofEntries(
      java.util.Map.entry("Fördjupade samtal om den regionala utvecklingsstrategin",
          "Fördjupade samtal om den Regionala Utvecklingsstrategin"),
      java.util.Map.entry("Remissmöte om den regionala utvecklingsstrategin",
          "Remissmöte om den Regionala utvecklingsstrategin"),
      java.util.Map.entry("Dialogmöte mellan Region Hallands psykiatri och idéburna aktörer",
          "Dialogmöten mellan Region Hallands psykiatri och idéburna aktörer"),
      java.util.Map.entry("Samverkanskonferens med tema kunskapsdelning", "Samverkanskonferens med tema kunskapsdelning"),
      java.util.Map.entry("Utbildningstillfälle: Idéburet offentligt partnerskap",
          "Utbildningstillfälle Idéburet Offentligt Partnerskap"),
      java.util.Map.entry("Rösträtten 100 år – demokrati i föreningslivet", "Uppmärksammande av rösträtten 100 år"),
      java.util.Map.entry("Upphandling för idéburna organisationer", "Upphandling för idéburna"),
      java.util.Map.entry("Samverkanskonferens med tema dialog: Starkare än förr!", "Samverkanskonferens med tema dialog"),
      java.util.Map.entry("Workshop om kommande fokusområden", "Workshop kommande fokusområden"),
      java.util.Map.entry("Avstämning av HÖKs målbild 2024", "Avstämning HÖKs målbild 2024"),
      java.util.Map.entry("Workshop: HÖK efter 2024", "Påbörja diskussioner ”HÖK efter 2024”"),
      java.util.Map.entry("Samverkanskonferens med tema öppenhet och insyn",
          "Samverkanskonferens med tema öppenhet och insyn"),
      java.util.Map.entry("Workshop om kommande sakområden", "Workshop kommande sakområden"),
      java.util.Map.entry("Dialogmöte: HÖK efter 2024", "Dialogmöten ”HÖK efter 2024”"),
      java.util.Map.entry("Samverkanskonferens med tema långsiktighet", "Samverkanskonferens med tema långsiktighet"),
      java.util.Map.entry("Framtidsforum: remissdialog om ny version av HÖK", "Framtidsforum: remissdialog"),
      java.util.Map.entry("Uppföljning av HÖKs målbild 2024", "Uppföljning HÖKs målbild 2024"),
      java.util.Map.entry("Samverkanskonferens med tema kvalitet", "Samverkanskonferens med tema kvalitet"),
      java.util.Map.entry("Samverkanskonferens med tema delaktighet", "Samverkanskonferens med tema delaktighet (demo)"),
      java.util.Map.entry("Dialogmöte om fysisk tillgänglighet i Region Hallands lokaler",
          "Dialogmöten om tillgänglighet (demo)"),
      java.util.Map.entry("Digital utbildning: från idé till idéburet offentligt partnerskap",
          "Utbildning i idéburet offentligt partnerskap (demo)"));

  // ---------------------------------------------------------------------------------------------------------------
  // Organisations. The parties: 27 signed HÖK at the ceremony on 14 May 2019 and three joined by October 2020 ("HÖK
  // numera innefattar 30 organisationer"). The seeds name ten of them; the other twenty are invented and marked
  // "(demo)", one of which left the agreement at the end of 2022. The non-signatories are authorities and national
  // bodies the documents mention. Contact persons are invented; addresses are on example.org.

  private static final java.time.LocalDate SIGNED = java.time.LocalDate.of(2019, 5, 14);

  private static final Object[][] ORGANISATIONS = {
      // name, sector, signatory since, signatory until, contact e-mail
      {"Region Halland", "offentlig", SIGNED, null, "hok.regionhalland@example.org"},
      {"Funktionshinderrådet Region Halland", "offentlig", SIGNED, null, "funktionshinderradet@example.org"},
      {"Studieförbundet Sensus", "ideburen", SIGNED, null, "sensus.halland@example.org"},
      {"RF-SISU Halland", "ideburen", SIGNED, null, "rf-sisu.halland@example.org"},
      {"Riksteatern Halland", "ideburen", SIGNED, null, "riksteatern.halland@example.org"},
      {"DHR Region Halland", "ideburen", SIGNED, null, "dhr.halland@example.org"},
      {"ABF Halland", "ideburen", SIGNED, null, "abf.halland@example.org"},
      {"Parasport Halland", "ideburen", SIGNED, null, "parasport.halland@example.org"},
      {"Lokalt Ledd Utveckling Halland", "ideburen", SIGNED, null, "llu.halland@example.org"},
      {"Rättighetscentrum Halland", "ideburen", SIGNED, null, "rattighetscentrum.halland@example.org"},
      {"Föreningen Tillsammans Halmstad (demo)", "ideburen", SIGNED, null, "tillsammans.halmstad@example.org"},
      {"Kustljus kulturförening (demo)", "ideburen", SIGNED, null, "kustljus@example.org"},
      {"Grannstöd Varberg (demo)", "ideburen", SIGNED, null, "grannstod.varberg@example.org"},
      {"Ungdomsrådet Hallandsås (demo)", "ideburen", SIGNED, null, "ungdomsradet@example.org"},
      {"Seniorforum Falkenberg (demo)", "ideburen", SIGNED, null, "seniorforum@example.org"},
      {"Föräldranätverket Laholm (demo)", "ideburen", SIGNED, null, "foraldranatverket@example.org"},
      {"Studiecirkelförbundet Västkust (demo)", "ideburen", SIGNED, null, "studiecirkel.vastkust@example.org"},
      {"Idrottsföreningen Ätran (demo)", "ideburen", SIGNED, null, "if.atran@example.org"},
      {"Brobyggarna Kungsbacka (demo)", "ideburen", SIGNED, null, "brobyggarna@example.org"},
      {"Hyltebygdens bygdeförening (demo)", "ideburen", SIGNED, null, "hyltebygden@example.org"},
      {"Nyanländas röst Halland (demo)", "ideburen", SIGNED, null, "nyanlandas.rost@example.org"},
      {"Funktionsrätt Nissadalen (demo)", "ideburen", SIGNED, null, "funktionsratt.nissadalen@example.org"},
      {"Stödlinjen Vinga (demo)", "ideburen", SIGNED, null, "stodlinjen@example.org"},
      {"Fritidsgårdarnas samverkan Halland (demo)", "ideburen", SIGNED, null, "fritidsgardarna@example.org"},
      {"Naturskyddsgruppen Lagan (demo)", "ideburen", SIGNED, null, "naturgruppen.lagan@example.org"},
      {"Sociala företag i samverkan (demo)", "ideburen", SIGNED, java.time.LocalDate.of(2022, 12, 31),
          "sociala.foretag@example.org"},
      {"Läsfrämjarna Halland (demo)", "ideburen", SIGNED, null, "lasframjarna@example.org"},
      {"Digitalt stöd Halland (demo)", "ideburen", java.time.LocalDate.of(2019, 10, 1), null, "digitalt.stod@example.org"},
      {"Mentorsnätverket Halland (demo)", "ideburen", java.time.LocalDate.of(2020, 3, 2), null, "mentorer@example.org"},
      {"Kamratstödet Laholm (demo)", "ideburen", java.time.LocalDate.of(2020, 9, 15), null, "kamratstodet@example.org"},
      {"Länsstyrelsen i Hallands län", "offentlig", null, null, "lansstyrelsen.halland@example.org"},
      {"Halmstads kommun", "offentlig", null, null, "halmstad.kommun@example.org"},
      {"Sveriges Kommuner och Regioner (SKR)", "offentlig", null, null, "skr.natverk@example.org"},
      {"Myndigheten för ungdoms- och civilsamhällesfrågor (MUCF)", "offentlig", null, null,
          "mucf.regionnatverk@example.org"},
      {"Myndigheten för samhällsskydd och beredskap (MSB)", "offentlig", null, null, "msb.civilsamhalle@example.org"},
      {"Folkhälsomyndigheten", "offentlig", null, null, "folkhalsomyndigheten@example.org"},
      {"NOD – Nationellt organ för dialog och samråd", "ovrig", null, null, "nod.dialog@example.org"},
      {"LSU – Sveriges ungdomsorganisationer", "ideburen", null, null, "lsu@example.org"},
      {"Unionen", "ideburen", null, null, "unionen.civilsamhalle@example.org"}};

  /** The parties' contact persons are invented, from the same names as the invented participants. */
  private static List<Tuple> organisations() {
    List<Tuple> out = new ArrayList<>();
    for (int i = 0; i < ORGANISATIONS.length; i++) {
      Object[] o = ORGANISATIONS[i];
      boolean party = o[2] != null;
      String contact = party ? FIRST_NAMES[(i * 11) % FIRST_NAMES.length] + " "
          + LAST_NAMES[(i * 3 + 5) % LAST_NAMES.length] : null;
      out.add(Tuple.wrap(Arrays.asList(o[0], o[1], party, o[2], o[3], contact, o[4])));
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Venues: invented places and addresses with deliberately uneven accessibility, as in real life.

  private static final List<Tuple> VENUES = List.of(
      Tuple.of("Samverkanshuset, Halmstad", "Nissastigen 12, 302 45 Halmstad", true, true, true, true,
          "Entré i gatuplan med automatisk dörröppnare. Hörslinga i stora salen och i grupprum 2. Två parkeringsplatser"
              + " för rörelsehindrade finns direkt vid entrén. Ledsagare och personlig assistent deltar utan kostnad."),
      Tuple.of("Kulturhuset i Varberg, Sal Vinga", "Engelbrektsgatan 7, 432 44 Varberg", true, true, true, false,
          "Hiss till Sal Vinga på plan 2. Hörslinga finns i salen men inte i grupprummen. Närmaste parkering för"
              + " rörelsehindrade ligger vid torget, cirka 150 meter från entrén."),
      Tuple.of("Folkets hus Falkenberg", "Storgatan 31, 311 31 Falkenberg", false, false, true, true,
          "Tre trappsteg vid huvudentrén; portabel ramp finns och ställs fram på begäran. Ingen fast hörslinga, men en"
              + " portabel slinga kan bokas om du anger behovet senast en vecka innan."),
      Tuple.of("Mötesplats Kungsbacka, Hörsalen", "Södra Torggatan 9, 434 30 Kungsbacka", true, true, false, false,
          "Tillgänglig toalett finns i grannfastigheten (bibliotekets entréplan, cirka 40 meter bort). Parkering för"
              + " rörelsehindrade på allmän gata. Hörsalen har hörslinga och textskärm för skrivtolkning."),
      Tuple.of("Studieförbundens lokal, Laholm", "Trädgårdsgatan 5, 312 30 Laholm", true, false, true, true,
          "Lokalen är doftfri: undvik parfym och starkt doftande produkter. Entré och samtliga rum i markplan."
              + " Hörslinga saknas."));

  // ---------------------------------------------------------------------------------------------------------------
  // Events: the past follows the activities in the action plan, follow-up and minutes; the future is relative to now.

  private static List<Ev> events(Instant now) {
    List<Ev> events = new ArrayList<>();

    // 2020 Kunskapsdelning / Psykisk hälsa
    events.add(past("annat", LocalDate.of(2020, 2, 5), LocalTime.of(18, 0), LocalTime.of(20, 30))
        .sv("Inspelsafton: vad ska HÖK prioritera?",
            "En kväll där parterna lämnar inspel till arbetsgruppen om vad den Halländska Överenskommelsen ska"
                + " prioritera på kort och lång sikt. Vi samtalar i mindre grupper och avslutar med en gemensam"
                + " sammanfattning. Fika serveras; ange specialkost i anmälan.")
        .en("Input evening: what should HÖK prioritise?",
            "An evening where the parties give the working group their input on what the Halland Agreement should"
                + " prioritise in the short and long term. We talk in small groups and end with a joint summary.")
        .at(HALMSTAD).capacity(60).by(NETWORK_GROUP, NETWORK_GROUP_EMAIL));
    events.add(past("seminarium", LocalDate.of(2020, 2, 26), LocalTime.of(9, 0), LocalTime.of(12, 0))
        .sv("Fördjupade samtal om den regionala utvecklingsstrategin",
            "Region Halland tar fram en ny regional utvecklingsstrategi (RUS). På seminariet fördjupar sig idéburna"
                + " organisationer i utkastet och lyfter sina perspektiv tidigt i processen. Arbetsgruppen"
                + " sammanställer synpunkterna och för dem vidare till Region Halland.")
        .at(VARBERG).capacity(80).by("Jonas Alm", "jonas.alm@example.org"));
    events.add(past("remissmote", LocalDate.of(2020, 9, 15), LocalTime.of(13, 0), LocalTime.of(16, 0))
        .sv("Remissmöte om den regionala utvecklingsstrategin",
            "Remissversionen av den regionala utvecklingsstrategin är ute och nu samlar vi den idéburna sektorns"
                + " synpunkter. Mötet hålls digitalt på grund av pandemin. Efter mötet skriver arbetsgruppen ett"
                + " gemensamt remissvar som parterna får läsa innan det skickas in.")
        .en("Consultation meeting on the regional development strategy",
            "The consultation draft of the regional development strategy has been published and we gather the views"
                + " of civil society. The meeting is held online because of the pandemic. Afterwards the working"
                + " group drafts a joint response for the parties to review.")
        .online("remiss-rus-2020").capacity(100).by("Jonas Alm", "jonas.alm@example.org"));
    events.add(past("dialogmote", LocalDate.of(2020, 10, 7), LocalTime.of(13, 0), LocalTime.of(15, 30))
        .sv("Dialogmöte mellan Region Hallands psykiatri och idéburna aktörer",
            "Hur kan psykiatrin och de idéburna organisationerna stötta varandra i arbetet för bättre psykisk hälsa i"
                + " Halland? Företrädare för Region Hallands psykiatri berättar om sitt arbete och vi samtalar om"
                + " konkreta samverkansmöjligheter, bland annat inom suicidprevention. Antalet platser är begränsat så"
                + " att vi kan hålla avstånd i lokalen.")
        .at(HALMSTAD).capacity(40).by("Sara Nyqvist", "sara.nyqvist@example.org"));
    events.add(past("samverkanskonferens", LocalDate.of(2020, 11, 19), LocalTime.of(9, 0), LocalTime.of(12, 30))
        .sv("Samverkanskonferens med tema kunskapsdelning",
            "Årets samverkanskonferens hålls digitalt på temat ”Psykisk hälsa, under och efter covid-19”. Psykisk"
                + " hälsa har varit fokusområde för HÖK under hela 2020 och pandemin har gjort frågan ännu mer"
                + " angelägen. Vi delar kunskap och erfarenheter från idéburen och offentlig sektor om hur"
                + " hallänningarnas psykiska hälsa kan stärkas.")
        .en("Collaboration conference: sharing knowledge",
            "This year's collaboration conference is held online on the theme “Mental health during and after"
                + " COVID-19”. Mental health has been HÖK's focus area throughout 2020, and the pandemic has made it"
                + " more urgent. Civil society and the Region share what they know about strengthening mental health"
                + " in Halland.")
        .online("samverkanskonferens-2020").capacity(250).by(NETWORK_GROUP, NETWORK_GROUP_EMAIL));

    // 2021 Dialog / Demokrati
    events.add(past("utbildning", LocalDate.of(2021, 3, 17), LocalTime.of(9, 0), LocalTime.of(12, 0))
        .sv("Utbildningstillfälle: Idéburet offentligt partnerskap",
            "Vad är ett idéburet offentligt partnerskap (IOP) och när passar det bättre än upphandling eller bidrag?"
                + " Utbildningen går igenom de juridiska förutsättningarna och ger exempel från andra regioner. Den"
                + " passar både tjänstepersoner i Region Halland och företrädare för idéburna organisationer.")
        .en("Training: Civil-public partnership (IOP)",
            "What is a civil-public partnership (IOP) and when does it suit better than procurement or grants? The"
                + " training covers the legal framework and examples from other regions, for Region staff and"
                + " civil-society representatives alike.")
        .online("iop-utbildning-2021").capacity(120).by("Mikael Berglund", "mikael.berglund@example.org"));
    events.add(past("seminarium", LocalDate.of(2021, 9, 14), LocalTime.of(13, 0), LocalTime.of(16, 0))
        .sv("Rösträtten 100 år – demokrati i föreningslivet",
            "År 1921 fick kvinnor för första gången rösta i ett riksdagsval i Sverige. Vi uppmärksammar"
                + " rösträttens hundraårsjubileum med ett seminarium om hur föreningslivet har varit och är en skola i"
                + " demokrati. Samtalet tar också upp varför vissa grupper sällan hörs och hur fler kan bli delaktiga.")
        .en("Universal suffrage at 100 – democracy in associations",
            "In 1921 women voted in a Swedish general election for the first time. We mark the centenary with a"
                + " seminar on associations as schools of democracy, and on how more voices can be heard.")
        .at(VARBERG).capacity(90).by(NETWORK_GROUP, NETWORK_GROUP_EMAIL));
    events.add(past("utbildning", LocalDate.of(2021, 10, 6), LocalTime.of(13, 0), LocalTime.of(16, 0))
        .sv("Upphandling för idéburna organisationer",
            "En praktisk genomgång av hur offentlig upphandling fungerar och vad en idéburen organisation behöver"
                + " tänka på när den lämnar anbud. Vi går också igenom reserverad upphandling och andra sätt för"
                + " Region Halland att samverka med idéburen sektor.")
        .at(FALKENBERG).capacity(50).by("Mikael Berglund", "mikael.berglund@example.org"));
    events.add(past("samverkanskonferens", LocalDate.of(2021, 11, 18), LocalTime.of(9, 0), LocalTime.of(16, 0))
        .sv("Samverkanskonferens med tema dialog: Starkare än förr!",
            "Samverkanskonferensen 2021 bygger vidare på tidigare samtal om känsla av sammanhang, jämlik hälsa och"
                + " demokrati. Vi diskuterar hur dialogen mellan offentlig och idéburen sektor kan stärka båda"
                + " parters arbete för ett Halland med bättre förutsättningar för alla. Konferensen tar också fram"
                + " fokusområden för kommande år.")
        .en("Collaboration conference on dialogue: Stronger than before!",
            "The 2021 conference builds on earlier conversations about a sense of coherence, health equity and"
                + " democracy. We discuss how dialogue between the public and civil-society sectors can strengthen"
                + " both, and we choose focus areas for the coming years.")
        .at(VARBERG).capacity(200).by(NETWORK_GROUP, NETWORK_GROUP_EMAIL));
    events.add(past("workshop", LocalDate.of(2021, 12, 8), LocalTime.of(13, 0), LocalTime.of(16, 0))
        .sv("Workshop om kommande fokusområden",
            "Med utgångspunkt i samverkanskonferensens samtal arbetar vi fram förslag på fokusområden för"
                + " handlingsplanens kommande år. Workshopen leds av arbetsgruppen och resultatet presenteras för"
                + " parterna i nyhetsbrevet.")
        .at(HALMSTAD).capacity(40).by(NETWORK_GROUP, NETWORK_GROUP_EMAIL));

    // 2022 Öppenhet och insyn
    events.add(past("dialogmote", LocalDate.of(2022, 4, 6), LocalTime.of(13, 0), LocalTime.of(15, 30))
        .sv("Avstämning av HÖKs målbild 2024",
            "Halvvägs genom handlingsplanen stämmer vi av hur långt vi har kommit mot HÖKs målbild 2024. Parterna"
                + " berättar vad som har fungerat och vad som behöver förändras. Underlaget används i arbetsgruppens"
                + " uppföljning.")
        .en("Checkpoint: HÖK's goals for 2024",
            "Halfway through the action plan we check how far we have come towards HÖK's goals for 2024. The parties"
                + " tell us what has worked and what needs to change.")
        .at(KUNGSBACKA).capacity(45).by("Sara Nyqvist", "sara.nyqvist@example.org"));
    events.add(past("workshop", LocalDate.of(2022, 9, 21), LocalTime.of(9, 0), LocalTime.of(12, 0))
        .sv("Workshop: HÖK efter 2024",
            "Vi påbörjar diskussionen om vad som ska hända med den Halländska Överenskommelsen efter 2024. Vilka"
                + " principer håller, vad saknas och hur ska arbetet organiseras? Resultatet ligger till grund för"
                + " kommande handlingsplaner.")
        .at(FALKENBERG).capacity(35).by(NETWORK_GROUP, NETWORK_GROUP_EMAIL));
    events.add(past("samverkanskonferens", LocalDate.of(2022, 11, 17), LocalTime.of(9, 0), LocalTime.of(16, 0))
        .sv("Samverkanskonferens med tema öppenhet och insyn",
            "Hur skapar vi öppenhet och insyn i samverkan mellan Region Halland och idéburna organisationer? Parterna"
                + " delar exempel på öppna processer, tydlig återkoppling och gemensam uppföljning. Dagen avslutas med"
                + " nätverkande och fika.")
        .en("Collaboration conference on openness and transparency",
            "How do we make collaboration between Region Halland and civil society open and transparent? The parties"
                + " share examples of open processes, clear feedback and joint follow-up, and the day ends with"
                + " networking.")
        .at(HALMSTAD).capacity(180).by(NETWORK_GROUP, NETWORK_GROUP_EMAIL));

    // 2023 Långsiktighet
    events.add(past("workshop", LocalDate.of(2023, 3, 22), LocalTime.of(13, 0), LocalTime.of(16, 0))
        .sv("Workshop om kommande sakområden",
            "Vilka sakfrågor behöver idéburen och offentlig sektor i Halland arbeta med tillsammans de närmaste åren?"
                + " Vi samlar förslag, prioriterar dem gemensamt och lämnar resultatet till nätverksgruppen.")
        .at(LAHOLM).capacity(30).by("Sara Nyqvist", "sara.nyqvist@example.org"));
    events.add(past("dialogmote", LocalDate.of(2023, 5, 10), LocalTime.of(13, 0), LocalTime.of(15, 30))
        .sv("Dialogmöte: HÖK efter 2024",
            "Överenskommelsen ska förnyas och vi vill höra parternas röster tidigt. Under mötet samtalar vi om vad"
                + " som har gjort skillnad hittills och vad en ny version behöver innehålla. Mötet hålls digitalt så"
                + " att det är lätt att delta från hela länet.")
        .en("Dialogue meeting: HÖK after 2024",
            "The agreement is due for renewal and we want to hear the parties early. We talk about what has made a"
                + " difference so far and what a new version needs. The meeting is online so that everyone in the"
                + " county can join.")
        .online("hok-efter-2024").capacity(80).by(NETWORK_GROUP, NETWORK_GROUP_EMAIL));
    events.add(past("samverkanskonferens", LocalDate.of(2023, 11, 16), LocalTime.of(9, 0), LocalTime.of(16, 0))
        .sv("Samverkanskonferens med tema långsiktighet",
            "Hur bygger vi samverkan som håller över tid, även när projekt tar slut och personer byts ut? Konferensen"
                + " lyfter exempel på långsiktiga partnerskap i Halland och diskuterar vad som krävs av båda"
                + " sektorerna. Under eftermiddagen arbetar vi i grupper med frågor inför en ny version av HÖK.")
        .en("Collaboration conference on long-term commitment",
            "How do we build collaboration that lasts when projects end and people move on? The conference presents"
                + " long-term partnerships in Halland and prepares a new version of HÖK.")
        .at(VARBERG).capacity(200).by(NETWORK_GROUP, NETWORK_GROUP_EMAIL));

    // 2024 Kvalitet / Ny version av HÖK
    events.add(past("workshop", LocalDate.of(2024, 4, 17), LocalTime.of(13, 0), LocalTime.of(16, 0))
        .sv("Workshop om syfte och mål för ny version av HÖK",
            "Nätverksgruppen har förlängt arbetet med den nya versionen av Överenskommelsen för att ge mer tid åt"
                + " samsyn och förankring. På workshopen formulerar vi tillsammans syftet och målen för den nya"
                + " versionen.")
        .at(HALMSTAD).capacity(30).by(NETWORK_GROUP, NETWORK_GROUP_EMAIL));
    events.add(past("framtidsforum", LocalDate.of(2024, 9, 25), LocalTime.of(9, 0), LocalTime.of(12, 30))
        .sv("Framtidsforum: remissdialog om ny version av HÖK",
            "Ett utkast till ny version av den Halländska Överenskommelsen finns nu att ta ställning till. I"
                + " framtidsforumet går vi igenom utkastets begrepp och mål och samlar parternas synpunkter."
                + " Synpunkterna vägs in innan den nya versionen lanseras.")
        .en("Future forum: consultation on the new HÖK",
            "A draft of the new Halland Agreement is ready for comment. We go through its concepts and goals and"
                + " collect the parties' views before the new version is launched.")
        .at(KUNGSBACKA).capacity(100).by(NETWORK_GROUP, NETWORK_GROUP_EMAIL));
    events.add(past("seminarium", LocalDate.of(2024, 10, 16), LocalTime.of(13, 0), LocalTime.of(15, 0))
        .sv("Uppföljning av HÖKs målbild 2024",
            "Arbetsgruppen presenterar uppföljningen av målbilden för 2024 och resultatet av enkäten till parterna."
                + " Vilka aktiviteter har nått flest, och hur breddar vi deltagandet framåt? Seminariet hålls"
                + " digitalt.")
        .online("uppfoljning-2024").capacity(100).by("Sara Nyqvist", "sara.nyqvist@example.org"));
    events.add(past("samverkanskonferens", LocalDate.of(2024, 11, 21), LocalTime.of(9, 0), LocalTime.of(16, 0))
        .sv("Samverkanskonferens med tema kvalitet",
            "Vad kännetecknar samverkan av god kvalitet, och hur vet vi att den gör skillnad för hallänningarna?"
                + " Konferensen presenterar enkätens resultat, ger konkreta exempel från parterna och diskuterar hur"
                + " den nya versionen av HÖK kan bli tydligare. Som vanligt finns gott om tid för nätverkande.")
        .en("Collaboration conference on quality",
            "What makes collaboration good, and how do we know it makes a difference? The conference presents the"
                + " survey results, concrete examples from the parties and ways to make the new HÖK clearer.")
        .at(VARBERG).capacity(220).by(NETWORK_GROUP, NETWORK_GROUP_EMAIL));

    // Upcoming: dates move past weekends and holidays, and every event gets its own day.
    Schedule next = new Schedule(now);
    events.add(next.upcoming("dialogmote", 10, LocalTime.of(13, 0), LocalTime.of(15, 30))
        .sv("Dialogmöte om fysisk tillgänglighet i Region Hallands lokaler",
            "Funktionshinderrådet undersöker den fysiska tillgängligheten i de lokaler som Region Halland hyr. På"
                + " mötet berättar rådet vad granskningen har visat hittills och vi samlar erfarenheter från er som"
                + " använder lokalerna. Ange gärna tillgänglighetsbehov, till exempel skrivtolk eller ledsagare, när"
                + " du anmäler dig.")
        .en("Dialogue meeting on physical accessibility of Region Halland's premises",
            "The disability council is reviewing the physical accessibility of premises rented by Region Halland. It"
                + " shares its findings so far and collects experiences from the people who use them.")
        .at(HALMSTAD).capacity(60).by("Elin Svedberg", "elin.svedberg@example.org"));
    events.add(next.upcoming("seminarium", 20, LocalTime.of(9, 0), LocalTime.of(10, 30))
        .sv("Digitalt nätverk om diskriminering: första träffen",
            "Rättighetscentrum Halland startar ett digitalt nätverk för alla som vill lära sig mer om diskriminering"
                + " och hur den kan förebyggas. Första träffen handlar om vad diskrimineringslagen säger och om årets"
                + " vanligaste ärenden, där många rör barn med NPF-diagnoser i skolan. Alla är välkomna och mötet"
                + " skrivtolkas.")
        .online("diskriminering-natverk").capacity(100).by("Amira Haddad", "amira.haddad@example.org"));
    events.add(next.upcoming("samverkanskonferens", 30, LocalTime.of(9, 0), LocalTime.of(16, 0))
        .sv("Samverkanskonferens med tema delaktighet",
            "Årets samverkanskonferens handlar om hur fler röster kan komma till tals när Halland utvecklas."
                + " Förmiddagen bjuder på en inspirationsföreläsning och samtal om breddat deltagande; efter lunch"
                + " väljer du en workshop i varje pass. Konferensen är kostnadsfri för parterna och lunch ingår.")
        .en("Collaboration conference on participation",
            "This year's conference is about letting more voices be heard as Halland develops. The morning offers a"
                + " keynote and a panel on broader participation; after lunch you choose one workshop in each slot."
                + " Free of charge for the parties, lunch included.")
        .at(VARBERG).capacity(150).by(NETWORK_GROUP, NETWORK_GROUP_EMAIL)
        // Two time slots; the sessions of a slot together seat the whole conference.
        .session("Workshop A: Så når vi nya målgrupper", "Workshop A: Reaching new audiences",
            LocalTime.of(13, 0), LocalTime.of(14, 15), 50)
        .session("Workshop B: Tillgängliga möten i praktiken", "Workshop B: Accessible meetings in practice",
            LocalTime.of(13, 0), LocalTime.of(14, 15), 40)
        .session("Workshop C: Idéburet offentligt partnerskap i Halland",
            "Workshop C: Civil-public partnerships in Halland",
            LocalTime.of(13, 0), LocalTime.of(14, 15), 60)
        .session("Workshop D: Unga som medskapare", "Workshop D: Young people as co-creators",
            LocalTime.of(14, 30), LocalTime.of(15, 45), 80)
        .session("Workshop E: Meningsfull fritid för alla", "Workshop E: Meaningful leisure for everyone",
            LocalTime.of(14, 30), LocalTime.of(15, 45), 70));
    events.add(next.upcoming("utbildning", 45, LocalTime.of(9, 0), LocalTime.of(11, 30))
        .sv("Digital utbildning: från idé till idéburet offentligt partnerskap",
            "Utbildningen följer ett idéburet offentligt partnerskap från första idé till färdigt avtal. Vi går igenom"
                + " vad som skiljer IOP från upphandling och bidrag, vilka krav som ställs på båda parter och hur"
                + " uppföljningen kan gå till. Materialet finns också i lättläst version.")
        .en("Online training: from idea to civil-public partnership",
            "The training follows a civil-public partnership from the first idea to a signed agreement, including how"
                + " it differs from procurement and grants and how to follow it up.")
        .online("iop-utbildning").capacity(80).by("Mikael Berglund", "mikael.berglund@example.org"));
    events.add(next.upcoming("remissmote", 50, LocalTime.of(13, 0), LocalTime.of(16, 0))
        .sv("Remissmöte om Region Hallands kulturplan",
            "Vi går igenom remissversionen av Region Hallands kulturplan och samlar den idéburna sektorns synpunkter"
                + " inför ett gemensamt remissvar. Mötet är inställt eftersom remissversionen har försenats; ett nytt"
                + " datum meddelas i nyhetsbrevet.")
        .at(FALKENBERG).capacity(50).by("Jonas Alm", "jonas.alm@example.org")
        .cancelled(OffsetDateTime.ofInstant(now, STOCKHOLM).minusDays(3)));
    events.add(next.upcoming("seminarium", 60, LocalTime.of(13, 0), LocalTime.of(16, 0))
        .sv("Föreningars livskraft i en ny tid",
            "Varför är ett fritt föreningsliv skyddat i grundlagen, och vad gör att vissa föreningar har lättare än"
                + " andra att locka nya medlemmar? Seminariet varvar korta föreläsningar med samtal om rekrytering,"
                + " ideellt engagemang och föreningsdemokrati.")
        .en("The vitality of associations in a new era",
            "Why is free association protected by the Swedish constitution, and why do some associations find new"
                + " members more easily than others? Short talks alternate with conversation about recruitment,"
                + " volunteering and democracy in associations.")
        .at(KUNGSBACKA).capacity(70).by("Elin Svedberg", "elin.svedberg@example.org"));
    events.add(next.upcoming("workshop", 75, LocalTime.of(9, 0), LocalTime.of(12, 0))
        .sv("Workshop: lättläst och tillgänglig kommunikation",
            "En praktisk workshop om hur inbjudningar, nyhetsbrev och webbtexter kan bli lättare att läsa och ta till"
                + " sig. Vi arbetar med egna texter och går igenom checklistor för tillgängliga dokument. Ta gärna med"
                + " en text du vill arbeta med; lokalen är doftfri.")
        .at(LAHOLM).capacity(25).by("Amira Haddad", "amira.haddad@example.org"));
    events.add(next.upcoming("annat", 90, LocalTime.of(18, 0), LocalTime.of(20, 30))
        .sv("Inspelsafton: vad ska nya HÖK innehålla?",
            "Den nya versionen av Överenskommelsen tar form och vi vill höra fler röster än tidigare. Under kvällen"
                + " samtalar vi i små grupper om vad som ska finnas med och hur överenskommelsen kan bli tydligare."
                + " Fika serveras; ange specialkost i anmälan.")
        .at(HALMSTAD).capacity(60).by(NETWORK_GROUP, NETWORK_GROUP_EMAIL));
    events.add(next.upcoming("framtidsforum", 120, LocalTime.of(9, 0), LocalTime.of(15, 0))
        .sv("Framtidsforum: civilsamhällets roll i Halland 2035",
            "Ett heldagsforum om hur civilsamhället och Region Halland tillsammans kan möta framtidens"
                + " samhällsutmaningar, från civil beredskap till jämlik hälsa. Programmet är under planering och kan"
                + " ändras.")
        .en("Future forum: civil society in Halland 2035",
            "A full-day forum on how civil society and Region Halland can meet future challenges together, from civil"
                + " preparedness to health equity. The programme is still being planned.")
        .at(VARBERG).capacity(120).by(NETWORK_GROUP, NETWORK_GROUP_EMAIL)
        .draft());
    return events;
  }

  private static Ev past(String kind, LocalDate day, LocalTime from, LocalTime to) {
    Ev e = new Ev(kind, at(day, from), at(day, to));
    e.opens = at(day.minusWeeks(6), LocalTime.of(8, 0));
    e.closes = at(day.minusDays(3), LocalTime.of(23, 59));
    e.publishedAt = e.opens;
    return e;
  }

  /** Hands out upcoming dates: weekdays outside the Christmas and summer holidays, strictly increasing. */
  private static final class Schedule {
    private final LocalDate today;
    private LocalDate last;

    Schedule(Instant now) {
      this.today = LocalDate.ofInstant(now, STOCKHOLM);
      this.last = today;
    }

    Ev upcoming(String kind, int daysAhead, LocalTime from, LocalTime to) {
      LocalDate day = today.plusDays(daysAhead);
      if (!day.isAfter(last)) {
        day = last.plusDays(1);
      }
      while (!workday(day)) {
        day = day.plusDays(1);
      }
      last = day;
      Ev e = new Ev(kind, at(day, from), at(day, to));
      // Registration opened two weeks ago, so the demo calendar is bookable right away.
      e.opens = at(today.minusWeeks(2), LocalTime.of(8, 0));
      e.closes = at(day.minusDays(3), LocalTime.of(23, 59));
      e.publishedAt = e.opens;
      return e;
    }

    private static boolean workday(LocalDate day) {
      boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
      boolean christmas = (day.getMonth() == Month.DECEMBER && day.getDayOfMonth() >= 20)
          || (day.getMonth() == Month.JANUARY && day.getDayOfMonth() <= 6);
      // From midsummer through July hardly anyone in Sweden arranges or attends meetings.
      boolean summer = (day.getMonth() == Month.JUNE && day.getDayOfMonth() >= 19) || day.getMonth() == Month.JULY;
      return !weekend && !christmas && !summer;
    }
  }

  private record Session(String titleSv, String titleEn, LocalTime from, LocalTime to, int capacity) {
  }

  /** One event being described; fluent so that the calendar above reads like a programme. */
  private static final class Ev {
    final String kind;
    final OffsetDateTime start;
    final OffsetDateTime end;
    final List<Session> sessions = new ArrayList<>();
    String titleSv;
    String titleEn;
    String descSv;
    String descEn;
    Integer venue;
    String onlineUrl;
    int capacity;
    String status = "published";
    OffsetDateTime opens;
    OffsetDateTime closes;
    OffsetDateTime publishedAt;
    OffsetDateTime cancelledAt;
    String organiserName;
    String organiserEmail;

    Ev(String kind, OffsetDateTime start, OffsetDateTime end) {
      this.kind = kind;
      this.start = start;
      this.end = end;
    }

    Ev sv(String title, String description) {
      titleSv = title;
      descSv = description;
      return this;
    }

    Ev en(String title, String description) {
      titleEn = title;
      descEn = description;
      return this;
    }

    Ev at(int venueIndex) {
      venue = venueIndex;
      return this;
    }

    Ev online(String slug) {
      onlineUrl = "https://example.org/mote/" + slug;
      return this;
    }

    Ev capacity(int seats) {
      capacity = seats;
      return this;
    }

    Ev by(String name, String email) {
      organiserName = name;
      organiserEmail = email;
      return this;
    }

    Ev session(String sv, String en, LocalTime from, LocalTime to, int seats) {
      sessions.add(new Session(sv, en, from, to, seats));
      return this;
    }

    Ev draft() {
      // Not yet announced: registration is planned to open later and nothing is published.
      status = "draft";
      opens = DemoData.at(start.atZoneSameInstant(STOCKHOLM).toLocalDate().minusWeeks(6), LocalTime.of(8, 0));
      publishedAt = null;
      return this;
    }

    Ev cancelled(OffsetDateTime when) {
      status = "cancelled";
      cancelledAt = when;
      return this;
    }
  }
}
