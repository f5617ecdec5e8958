package se.hok.samla.support;

import com.password4j.Password;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Plain JDBC for arranging and inspecting a test's database directly. */
public final class Db {
  private Db() {}

  public static void exec(String databaseUrl, String sql) {
    try (Connection c = connect(databaseUrl); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (Exception e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** The first column of every row of {@code sql}, run in one session after {@code before} (SET, PREPARE …). */
  public static List<Object> column(String databaseUrl, List<String> before, String sql) {
    try (Connection c = connect(databaseUrl); Statement s = c.createStatement()) {
      for (String statement : before) {
        s.execute(statement);
      }
      List<Object> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          out.add(rs.getObject(1));
        }
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** The first column of every row. */
  public static List<Object> column(String databaseUrl, String sql) {
    try (Connection c = connect(databaseUrl); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<Object> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getObject(1));
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /**
   * Every row of every table, as {@code pg_dump --data-only} writes it: the output of {@code COPY table TO STDOUT}
   * for each table of each schema (pg_dump's data section is exactly that), sequences' values included. pg_dump itself
   * is not among the embedded server's binaries (initdb, pg_ctl, postgres), and a client older than the server refuses
   * to dump it, so the server's own COPY is used, over JDBC.
   */
  public static String dataDump(String databaseUrl) {
    try (Connection c = connect(databaseUrl); Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("""
          select format('%I.%I', n.nspname, c.relname) from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
            and n.nspname not like 'pg\\_%' order by 1""")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      org.postgresql.copy.CopyManager copy = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
      java.io.StringWriter out = new java.io.StringWriter();
      for (String table : tables) {
        out.append("COPY ").append(table).append(" FROM stdin;\n");
        copy.copyOut("COPY " + table + " TO STDOUT", out);
        out.append("\\.\n\n");
      }
      try (ResultSet rs = s.executeQuery("""
          select format('%I.%I', schemaname, sequencename), last_value from pg_sequences
          where schemaname not in ('pg_catalog', 'information_schema') order by 1""")) {
        while (rs.next()) {
          out.append("SELECT pg_catalog.setval('").append(rs.getString(1)).append("', ").append(rs.getString(2)).append(");\n");
        }
      }
      if (tables.size() < 10) {
        throw new IllegalStateException("only " + tables + " in the dump");
      }
      return out.toString();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot dump " + databaseUrl, e);
    }
  }

  /** Waits (a condition, at most 10 s) until this many sessions of the database wait for a lock. */
  public static void awaitLockWaiters(String databaseUrl, int n) {
    String sql = "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'";
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (((Number) column(databaseUrl, sql).get(0)).intValue() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(n + " sessions never waited for a lock");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  public static String argon2(String password) {
    return Password.hash(password).addRandomSalt().withArgon2().getResult();
  }

  private static Connection connect(String databaseUrl) throws Exception {
    URI uri = new URI(databaseUrl);
    String[] info = uri.getUserInfo().split(":", 2);
    return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(),
        info[0], info.length > 1 ? info[1] : "");
  }
}
