package se.hok.samla.staff;

/** A signed-in staff member, as pages and handlers see them. */
public record StaffMember(long id, String email, String name, Role role, boolean active) {
  public boolean can(Permission permission) {
    return active && permission.grantedTo(role);
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  public boolean canOrganise() {
    return can(Permission.ORGANISE);
  }

  public boolean canCheckIn() {
    return can(Permission.CHECK_IN);
  }

  /** The working group's follow-up: viewers, organisers and admins. */
  public boolean canFollowUp() {
    return can(Permission.FOLLOW_UP);
  }

  /** Keeping the action plan: the working group (viewers) and admins. */
  public boolean canPlan() {
    return can(Permission.PLAN);
  }

  public String roleCode() {
    return role.code();
  }
}
