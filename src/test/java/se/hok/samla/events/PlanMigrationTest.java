package se.hok.samla.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.TestDatabases;

/**
 * A Samla that kept plan years before periods existed: the upgrade makes a period of each run of consecutive years, the
 * next start gives each its secret, and the registrations that still have their address get their participant keys.
 */
class PlanMigrationTest {
  @Test
  void yearsBecomePeriodsAndRegistrationsWithAnAddressGetKeys() {
    String url = TestDatabases.create();
    URI uri = URI.create(url);
    String[] user = uri.getUserInfo().split(":", 2);
    Flyway.configure()
        .dataSource("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(), user[0],
            user.length > 1 ? user[1] : "")
        .locations("classpath:db/migration")
        .target("17")
        .load()
        .migrate();
    Db.exec(url, "insert into action_plan_year (year, theme) values (2020, 'Kunskapsdelning'), (2021, 'Dialog'),"
        + " (2022, 'Öppenhet'), (2026, 'Delaktighet'), (2027, 'Tillit')");
    Db.exec(url, "insert into event (kind, title_sv, starts_at, ends_at, online_url, capacity, status, plan_year) values"
        + " ('workshop', 'Workshop', now() + interval '1 day', now() + interval '1 day 2 hours', 'https://example.org', 10,"
        + " 'published', 2021)");
    Db.exec(url, "insert into registration (event_id, status, name, email) select id, 'confirmed', 'Anna', 'anna@example.org'"
        + " from event");
    Db.exec(url, "insert into registration (event_id, status, name, email, erased_at) select id, 'confirmed', 'Raderad',"
        + " 'raderad+1@invalid', now() from event");

    try (TestApp app = TestApp.start(Map.of("DATABASE_URL", url, "SAMLA_SEND_MAIL", "false"))) {
      assertEquals(List.of("Handlingsplan 2020–2022:2020-2022", "Handlingsplan 2026–2027:2026-2027"),
          Db.column(app.databaseUrl, "select name || ':' || first_year || '-' || last_year from plan_period order by 1"));
      assertEquals(List.of(2L), Db.column(app.databaseUrl, "select count(*) from plan_period_secret"));
      assertEquals(List.of("Anna:true", "Raderad:false"), Db.column(app.databaseUrl,
          "select name || ':' || (participant_key is not null) from registration order by name"),
          "an address erased before the upgrade can no longer be linked");
    }
  }
}
