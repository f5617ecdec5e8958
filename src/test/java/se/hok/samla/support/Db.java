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
