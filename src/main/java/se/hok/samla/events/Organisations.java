package se.hok.samla.events;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import se.hok.samla.web.FieldChecks;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.ValidationException;

/**
 * The register of organisations and parties the staff keep: every organisation with its sector, signatory dates and
 * contact person, names typed on the public form that wait to be accepted ({@link OrganisationNames}), and merging two
 * spellings of one organisation.
 */
public final class Organisations {
  /** An organisation as the register lists it: accepted or waiting, and how many registrations name it. */
  public record Entry(Organisation organisation, boolean accepted, long registrations, OffsetDateTime createdAt) {}

  /** A merge done: the organisation kept, and how many registrations moved to it. */
  public record Merged(Entry kept, long movedRegistrations) {}

  private static final String COLUMNS = """
      o.id, o.name, o.sector, o.signatory, o.signatory_since, o.signatory_until, o.contact_name, o.contact_email,
      o.accepted_at is not null as accepted, o.created_at,
      (select count(*) from registration r where r.organisation_id = o.id) as registrations
      from organisation o""";

  private final Pool pool;

  public Organisations(Pool pool) {
    this.pool = pool;
  }

  /** Every organisation, accepted or waiting, by name. */
  Future<List<Entry>> all() {
    return pool.query("select " + COLUMNS + " order by lower(o.name) limit 2000").execute()
        .map(rows -> {
          List<Entry> out = new ArrayList<>();
          rows.forEach(r -> out.add(entry(r)));
          return out;
        });
  }

  Future<Entry> get(long id) {
    return get(pool, id);
  }

  /** A new organisation, accepted at once (staff typed it). */
  Future<Entry> create(OrganisationInput input) {
    return validated(input, 0).compose(o -> pool.withTransaction(conn -> nameFree(conn, o.name(), null)
        .compose(v -> conn.preparedQuery("""
                insert into organisation (name, sector, signatory, signatory_since, signatory_until, contact_name,
                  contact_email, accepted_at) values ($1, $2, $3, $4, $5, $6, $7, now()) returning id""")
            .execute(Tuple.from(new Object[] {o.name(), o.sector(), o.signatory(), o.signatorySince(),
                o.signatoryUntil(), o.contactName(), o.contactEmail()})))
        .compose(rows -> get(conn, rows.iterator().next().getLong("id")))))
        .recover(Organisations::nameTakenOnRace);
  }

  /** Changes an organisation's details (a waiting name stays waiting until accepted). */
  Future<Entry> update(long id, OrganisationInput input) {
    return validated(input, id).compose(o -> pool.withTransaction(conn -> get(conn, id)
        .compose(current -> nameFree(conn, o.name(), id))
        .compose(v -> conn.preparedQuery("""
                update organisation set name = $2, sector = $3, signatory = $4, signatory_since = $5,
                  signatory_until = $6, contact_name = $7, contact_email = $8 where id = $1""")
            .execute(Tuple.from(new Object[] {id, o.name(), o.sector(), o.signatory(), o.signatorySince(),
                o.signatoryUntil(), o.contactName(), o.contactEmail()})))
        .compose(v -> get(conn, id))))
        .recover(Organisations::nameTakenOnRace);
  }

  /** Accepts a name typed on the public form: from now on it is in the public lists, under its own name and sector. */
  Future<Entry> accept(long id) {
    return pool.preparedQuery("update organisation set accepted_at = coalesce(accepted_at, now()) where id = $1")
        .execute(Tuple.of(id))
        .compose(v -> get(id));
  }

  /**
   * Merges organisation {@code id} into {@code into}, in one transaction: its registrations move to the kept one,
   * which keeps its own name and details (and is accepted, if it was waiting: it was chosen as the right spelling),
   * and {@code id} is deleted. Both rows are locked in id order, so two merges at once cannot cross. Registrations are
   * the only rows that refer to an organisation (a table that comes to refer to one must be moved here too: the
   * delete would otherwise fail on its foreign key and roll the merge back).
   */
  Future<Merged> merge(long id, Long into) {
    FieldChecks checks = new FieldChecks();
    if (into == null) {
      checks.add("into", "error.required");
    } else if (into == id) {
      checks.add("into", "error.org.mergeIntoItself");
    }
    try {
      checks.throwIfAny();
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    return pool.withTransaction(conn -> conn.preparedQuery(
            "select id from organisation where id = any($1) order by id for update")
        .execute(Tuple.tuple().addArrayOfLong(new Long[] {id, into}))
        .compose(rows -> {
          List<Long> found = new ArrayList<>();
          rows.forEach(r -> found.add(r.getLong(0)));
          if (!found.contains(id)) {
            return Future.failedFuture(new NotFoundException("organisation " + id));
          }
          if (!found.contains(into)) {
            return Future.failedFuture(ValidationException.of("into", "error.org.mergeUnknown"));
          }
          return conn.preparedQuery("update registration set organisation_id = $2 where organisation_id = $1")
              .execute(Tuple.of(id, into))
              .compose(moved -> conn.preparedQuery("delete from organisation where id = $1").execute(Tuple.of(id))
                  .compose(v -> conn.preparedQuery("update organisation set accepted_at = coalesce(accepted_at, now())"
                      + " where id = $1").execute(Tuple.of(into)))
                  .compose(v -> get(conn, into))
                  .map(kept -> new Merged(kept, moved.rowCount())));
        }));
  }

  private static Future<Organisation> validated(OrganisationInput input, long id) {
    try {
      return Future.succeededFuture(input.validate(id, new FieldChecks()));
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
  }

  /** One organisation per name, in any letter case (the database's unique index says the same). */
  private static Future<Void> nameFree(SqlConnection conn, String name, Long id) {
    return conn.preparedQuery("select 1 from organisation where lower(name) = lower($1) and ($2::bigint is null or id <> $2)")
        .execute(Tuple.of(name, id))
        .compose(rows -> rows.size() == 0 ? Future.<Void>succeededFuture()
            : Future.failedFuture(ValidationException.of("name", "error.org.nameTaken")));
  }

  /** Two people saving the same new name at once: the second is told the name is taken, as if it had come later. */
  private static <T> Future<T> nameTakenOnRace(Throwable e) {
    if (e instanceof PgException pg && "23505".equals(pg.getSqlState())) {
      return Future.failedFuture(ValidationException.of("name", "error.org.nameTaken"));
    }
    return Future.failedFuture(e);
  }

  private static Future<Entry> get(SqlClient db, long id) {
    return db.preparedQuery("select " + COLUMNS + " where o.id = $1").execute(Tuple.of(id))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new NotFoundException("organisation " + id);
          }
          return entry(rows.iterator().next());
        });
  }

  private static Entry entry(Row r) {
    return new Entry(new Organisation(r.getLong("id"), r.getString("name"), r.getString("sector"),
        r.getBoolean("signatory"), r.getLocalDate("signatory_since"), r.getLocalDate("signatory_until"),
        r.getString("contact_name"), r.getString("contact_email")), r.getBoolean("accepted"), r.getLong("registrations"),
        r.getOffsetDateTime("created_at"));
  }
}
