package se.hok.samla.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Organisation names the public typed on the sign-up form, waiting for an organiser: until accepted they are not
 * in any public list (so nobody can put words on every sign-up form) and count as "other" in the follow-up.
 */
public final class OrganisationNames {
  /**
   * A name waiting to be accepted, with how many registrations name it, and the accepted name most like it (or null):
   * "DHR Halland" waiting next to "DHR Region Halland" is likely the same organisation, to merge rather than accept.
   */
  public record Pending(long id, String name, String sector, OffsetDateTime createdAt, long registrations, String like) {
    public Pending(long id, String name, String sector, OffsetDateTime createdAt, long registrations) {
      this(id, name, sector, createdAt, registrations, null);
    }
  }

  private final Pool pool;

  public OrganisationNames(Pool pool) {
    this.pool = pool;
  }

  Future<List<Pending>> pending() {
    return pool.query("""
            select o.id, o.name, o.sector, o.created_at,
              (select count(*) from registration r where r.organisation_id = o.id) as registrations,
              (select a.name from organisation a where a.accepted_at is not null
                 and word_similarity(lower(o.name), lower(a.name)) >= 0.5
               order by word_similarity(lower(o.name), lower(a.name)) desc, lower(a.name) limit 1) as like_name
            from organisation o where o.accepted_at is null
            order by o.created_at limit 500""")
        .execute()
        .map(rows -> {
          List<Pending> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new Pending(r.getLong("id"), r.getString("name"), r.getString("sector"),
                r.getOffsetDateTime("created_at"), r.getLong("registrations"), r.getString("like_name")));
          }
          return out;
        });
  }

  /** Whether an organisation by this name (in any letter case) exists, accepted or not. */
  public Future<Boolean> known(String name) {
    return pool.preparedQuery("select exists (select 1 from organisation where lower(name) = lower($1))")
        .execute(Tuple.of(name.strip()))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }
}
