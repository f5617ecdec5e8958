package se.hok.samla.staff;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a route needs. Roles are not a ladder: door staff and the working group see different things,
 * so each permission lists the roles that have it.
 */
public enum Permission {
  ADMINISTER(EnumSet.of(Role.ADMIN)),
  ORGANISE(EnumSet.of(Role.ADMIN, Role.ORGANISER)),
  CHECK_IN(EnumSet.of(Role.ADMIN, Role.ORGANISER, Role.CHECKIN)),
  FOLLOW_UP(EnumSet.of(Role.ADMIN, Role.ORGANISER, Role.VIEWER)),
  /**
   * Keeping the action plan (periods, years, planned activities): the working group, whose plan it is (the viewer
   * role), and admins. It holds no personal data; closing a period, which destroys data, is ADMINISTER's.
   */
  PLAN(EnumSet.of(Role.ADMIN, Role.VIEWER)),
  /** Anyone signed in: read-only views of events for all staff. */
  STAFF(EnumSet.allOf(Role.class));

  private final Set<Role> roles;

  Permission(Set<Role> roles) {
    this.roles = roles;
  }

  public boolean grantedTo(Role role) {
    return roles.contains(role);
  }
}
