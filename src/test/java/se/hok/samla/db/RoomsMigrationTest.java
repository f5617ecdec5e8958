package se.hok.samla.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestDatabases;

/**
 * V26 on a database with data: the free-text rooms of sessions held at a venue become that venue's rooms (one per
 * name in any letter case, facts unknown), the sessions are placed in them and print the room's name; an online
 * event's text stays text.
 */
class RoomsMigrationTest {

  static Flyway flyway(String databaseUrl, String target) {
    URI uri = URI.create(databaseUrl);
    String[] info = uri.getUserInfo().split(":", 2);
    return Flyway.configure()
        .dataSource("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(), info[0],
            info.length > 1 ? info[1] : "")
        .locations("classpath:db/migration")
        .target(target)
        .load();
  }

  @Test
  void freeTextRoomsAtAVenueBecomeItsRoomsAndOnlineOnesStayText() {
    String url = TestDatabases.create();
    flyway(url, "22").migrate();
    long venue = (Long) Db.column(url, "insert into venue (name, address) values ('Folkets hus', 'Storgatan 2') returning id").get(0);
    long atVenue = (Long) Db.column(url, "insert into event (kind, title_sv, starts_at, ends_at, venue_id, capacity) values "
        + "('workshop', 'Workshopdag', now() + interval '10 days', now() + interval '10 days 3 hours', " + venue + ", 50) returning id").get(0);
    long online = (Long) Db.column(url, "insert into event (kind, title_sv, starts_at, ends_at, online_url, capacity) values "
        + "('seminarium', 'Webbinarium', now() + interval '11 days', now() + interval '11 days 1 hour', 'https://example.org/m', 50) returning id").get(0);
    Db.exec(url, "insert into event_session (event_id, title_sv, starts_at, ends_at, capacity, room) values "
        + "(" + atVenue + ", 'A', now() + interval '10 days', now() + interval '10 days 1 hour', 10, 'Sal 3'), "
        + "(" + atVenue + ", 'B', now() + interval '10 days 1 hour', now() + interval '10 days 2 hours', 10, ' sal 3 '), "
        + "(" + atVenue + ", 'C', now() + interval '10 days', now() + interval '10 days 1 hour', 10, 'Grupprum'), "
        + "(" + atVenue + ", 'D', now() + interval '10 days', now() + interval '10 days 1 hour', 10, null), "
        + "(" + online + ", 'E', now() + interval '11 days', now() + interval '11 days 1 hour', 10, 'Zoomrum')");

    flyway(url, "latest").migrate();

    assertEquals(List.of("Grupprum|false|false|0", "Sal 3|false|false|0"), Db.column(url,
        "select name || '|' || hearing_loop || '|' || step_free || '|' || wheelchair_places from room where venue_id = "
            + venue + " order by name"));
    assertEquals(List.of("A|Sal 3|Sal 3", "B|Sal 3|Sal 3", "C|Grupprum|Grupprum", "D|-|-", "E|Zoomrum|-"), Db.column(url,
        "select s.title_sv || '|' || coalesce(s.room, '-') || '|' || coalesce(r.name, '-') from event_session s "
            + "left join room r on r.id = s.room_id order by s.title_sv"));
  }
}
