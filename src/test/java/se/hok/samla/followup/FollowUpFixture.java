package se.hok.samla.followup;

import java.util.List;
import se.hok.samla.support.Db;

/**
 * Events, organisations, registrations, cancellations, check-ins and ratings with known answers, written straight
 * into the database (check-in and the survey are other packages' work; the reports only read their tables).
 *
 * <p>Plan year 2023 ("Långsiktighet" / "Uthållig samverkan"):
 * <ul>
 *   <li>E1 workshop 2023-03-10 09:00, sessions S1 and S2. 11 registrations: 7 confirmed (anna, bo, cia, dan, ivy
 *   the walk-in, jon whose only check-in was undone, kim admitted to S2 only), 1 waitlisted, 3 cancelled (12 hours,
 *   3 days and 10 days before the start). Attended 4 (anna, bo, ivy, kim), no-shows 3 (cia, dan, jon).
 *   S1: 2 booked, 1 admitted; S2: 2 booked, 1 admitted. Needs of confirmed: 3 × teckenspråkstolk, 1 × hörslinga
 *   (and a cancelled hörslinga that does not count). Ratings 5, 4, 4.</li>
 *   <li>E2 seminarium 2023-05-10: Anna@Example.org again (same person, other case), bo2 (Beta), and one erased
 *   registration from Gamma; all attended. Rating 3.</li>
 *   <li>E3 dialogmöte 2023-09-10: anna again and cia (Gamma); both attended.</li>
 *   <li>E4 dialogmöte 2023-11-15, held online without check-in: 3 confirmed (anna, dan of Delta, lisa of Beta) and
 *   not one admission, so its attendance is unknown: no no-shows, no rates, and left out of the year's attendance
 *   rate (9 confirmed attended / 12 confirmed of E1–E3 = 75 %, not 9 / 15).</li>
 *   <li>Not held, so never counted: a draft and a cancelled event of 2023, each with an attended registration.</li>
 * </ul>
 * Plan year 2022: one workshop with olle (Beta) and pia (Alfa) attended.
 *
 * <p>Organisations: Alfa förening (idéburen, signatory), Beta kommun (offentlig, signatory), Gamma AB (privat),
 * Delta förbund (idéburen, signatory; registered in 2023 but never came), Epsilon råd (offentlig, signatory; nothing).
 */
final class FollowUpFixture {
  final String db;
  long alfa;
  long beta;
  long gamma;
  long delta;
  long epsilon;
  long e1;
  long e2;
  long e3;
  long e4;
  long draft;
  long cancelledEvent;
  long e2022;
  long s1;
  long s2;

  private FollowUpFixture(String db) {
    this.db = db;
  }

  static FollowUpFixture load(String db) {
    FollowUpFixture f = new FollowUpFixture(db);
    f.build();
    return f;
  }

  private void build() {
    Db.exec(db, "insert into action_plan_year (year, theme, focus_area) values (2022, 'Öppenhet och insyn', null),"
        + " (2023, 'Långsiktighet', 'Uthållig samverkan')");
    alfa = org("Alfa förening", "ideburen", true);
    beta = org("Beta kommun", "offentlig", true);
    gamma = org("Gamma AB", "privat", false);
    delta = org("Delta förbund", "ideburen", true);
    epsilon = org("Epsilon råd", "offentlig", true);

    e1 = event("workshop", "Workshop om långsiktighet", "2023-03-10 09:00", "published", 2023);
    s1 = session(e1, "Pass 1: Planering", "2023-03-10 10:00");
    s2 = session(e1, "Pass 2: Uppföljning", "2023-03-10 13:00");
    e2 = event("seminarium", "Seminarium om insyn", "2023-05-10 13:00", "published", 2023);
    e3 = event("dialogmote", "Dialogmöte i Varberg", "2023-09-10 13:00", "published", 2023);
    e4 = event("dialogmote", "Digitalt dialogmöte", "2023-11-15 13:00", "published", 2023);
    draft = event("workshop", "Utkast som aldrig hölls", "2023-10-01 09:00", "draft", 2023);
    cancelledEvent = event("seminarium", "Inställt seminarium", "2023-11-01 09:00", "cancelled", 2023);
    e2022 = event("workshop", "Workshop 2022", "2022-04-01 09:00", "published", 2022);

    String anna = reg(e1, "Anna Alm", "anna@example.org", alfa, "confirmed", "web", null);
    String bo = reg(e1, "Bo Berg", "bo@example.org", beta, "confirmed", "web", null);
    String cia = reg(e1, "Cia Carlsson", "cia@example.org", gamma, "confirmed", "web", null);
    reg(e1, "Dan Dahl", "dan@example.org", delta, "confirmed", "api", null);
    String eva = reg(e1, "Eva Ek", "eva@example.org", alfa, "cancelled", "web", "2023-03-09 21:00");
    reg(e1, "Fia Fors", "fia@example.org", alfa, "cancelled", "web", "2023-03-07 09:00");
    reg(e1, "Gus Gran", "gus@example.org", beta, "cancelled", "web", "2023-02-28 09:00");
    Db.exec(db, "insert into registration (event_id, status, waitlist_seq, name, email, organisation_id)"
        + " values (" + e1 + ", 'waitlisted', nextval('waitlist_seq'), 'Hal Holm', 'hal@example.org', " + alfa + ")");
    String ivy = reg(e1, "Ivy Isaksson", "ivy@example.org", beta, "confirmed", "walk_in", null);
    String jon = reg(e1, "Jon Jansson", "jon@example.org", null, "confirmed", "organiser", null);
    String kim = reg(e1, "Kim Kask", "kim@example.org", gamma, "confirmed", "web", null);
    seat(anna, s1);
    seat(bo, s1);
    seat(cia, s2);
    seat(kim, s2);
    checkin(e1, null, anna, false);
    checkin(e1, s1, anna, false);
    checkin(e1, null, bo, false);
    checkin(e1, null, ivy, false);
    checkin(e1, null, jon, true);
    checkin(e1, s2, kim, false);
    need(anna, "teckensprakstolk");
    need(bo, "teckensprakstolk");
    need(cia, "teckensprakstolk");
    need(anna, "horslinga");
    need(eva, "horslinga");
    rating(anna, e1, 5);
    rating(bo, e1, 4);
    rating(ivy, e1, 4);

    String anna2 = reg(e2, "Anna Alm", "Anna@Example.org", alfa, "confirmed", "web", null);
    String bo2 = reg(e2, "Bo Andersson", "bo2@example.org", beta, "confirmed", "web", null);
    String erased = reg(e2, "Raderad", "raderad+1@invalid", gamma, "confirmed", "web", null);
    Db.exec(db, "update registration set erased_at = now() where id = '" + erased + "'");
    checkin(e2, null, anna2, false);
    checkin(e2, null, bo2, false);
    checkin(e2, null, erased, false);
    rating(bo2, e2, 3);

    checkin(e3, null, reg(e3, "Anna Alm", "anna@example.org", alfa, "confirmed", "web", null), false);
    checkin(e3, null, reg(e3, "Cia Carlsson", "cia@example.org", gamma, "confirmed", "web", null), false);

    reg(e4, "Anna Alm", "anna@example.org", alfa, "confirmed", "web", null);
    reg(e4, "Dan Dahl", "dan@example.org", delta, "confirmed", "web", null);
    reg(e4, "Lisa Lund", "lisa@example.org", beta, "confirmed", "web", null);

    checkin(draft, null, reg(draft, "Lars Lind", "lars@example.org", epsilon, "confirmed", "web", null), false);
    checkin(cancelledEvent, null,
        reg(cancelledEvent, "Mia Mod", "mia@example.org", epsilon, "confirmed", "web", null), false);

    checkin(e2022, null, reg(e2022, "Olle Ost", "olle@example.org", beta, "confirmed", "web", null), false);
    checkin(e2022, null, reg(e2022, "Pia Pil", "pia@example.org", alfa, "confirmed", "web", null), false);
  }

  private long org(String name, String sector, boolean signatory) {
    return id("insert into organisation (name, sector, signatory) values ('" + name + "', '" + sector + "', "
        + signatory + ") returning id");
  }

  private long event(String kind, String title, String start, String status, int year) {
    return id("insert into event (kind, title_sv, starts_at, ends_at, online_url, capacity, status, plan_year,"
        + " cancelled_at) values ('" + kind + "', '" + title + "', timestamptz '" + start + " Europe/Stockholm',"
        + " timestamptz '" + start + " Europe/Stockholm' + interval '3 hours', 'https://example.org/m', 50, '"
        + status + "', " + year + ", " + ("cancelled".equals(status) ? "now()" : "null") + ") returning id");
  }

  private long session(long event, String title, String start) {
    return id("insert into event_session (event_id, title_sv, starts_at, ends_at, capacity) values (" + event + ", '"
        + title + "', timestamptz '" + start + " Europe/Stockholm', timestamptz '" + start
        + " Europe/Stockholm' + interval '1 hour', 20) returning id");
  }

  private String reg(long event, String name, String email, Long org, String status, String source, String cancelledAt) {
    List<Object> ids = Db.column(db, "insert into registration (event_id, status, name, email, organisation_id,"
        + " source, cancelled_at) values (" + event + ", '" + status + "', '" + name + "', '" + email + "', " + org
        + ", '" + source + "', " + (cancelledAt == null ? "null" : "timestamptz '" + cancelledAt + " Europe/Stockholm'")
        + ") returning id");
    return ids.get(0).toString();
  }

  private void seat(String registration, long session) {
    Db.exec(db, "insert into registration_session (registration_id, session_id, holds_seat) values ('" + registration
        + "', " + session + ", true)");
  }

  private void checkin(long event, Long session, String registration, boolean undone) {
    Db.exec(db, "insert into checkin (event_id, session_id, registration_id, checked_in_at, device_id, method,"
        + " undone_at) values (" + event + ", " + session + ", '" + registration + "', now(), 'test-door', 'scan', "
        + (undone ? "now()" : "null") + ")");
  }

  private void need(String registration, String code) {
    Db.exec(db, "insert into registration_need (registration_id, need_code) values ('" + registration + "', '" + code
        + "')");
  }

  private void rating(String registration, long event, int rating) {
    Db.exec(db, "insert into feedback (registration_id, event_id, rating) values ('" + registration + "', " + event
        + ", " + rating + ")");
  }

  private long id(String sql) {
    return ((Number) Db.column(db, sql).get(0)).longValue();
  }
}
