package se.hok.samla.registration;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A registration as organisers and the manage page see it. */
public record Registration(
    UUID id,
    long eventId,
    String status,
    Integer waitlistPosition,
    String name,
    String email,
    String phone,
    Long organisationId,
    String organisationName,
    String sector,
    String roleTitle,
    boolean companion,
    List<String> diet,
    String language,
    List<NeedChoice> needs,
    List<Long> sessions,
    OffsetDateTime createdAt,
    boolean erased,
    OffsetDateTime handedOverAt,
    boolean overCapacity,
    String contactEmail) {

  public Registration(UUID id, long eventId, String status, Integer waitlistPosition, String name, String email,
                      String phone, Long organisationId, String organisationName, String sector, String roleTitle,
                      boolean companion, List<String> diet, String language, List<NeedChoice> needs, List<Long> sessions,
                      OffsetDateTime createdAt, boolean erased) {
    this(id, eventId, status, waitlistPosition, name, email, phone, organisationId, organisationName, sector, roleTitle,
        companion, diet, language, needs, sessions, createdAt, erased, null, false, null);
  }

  public Registration(UUID id, long eventId, String status, Integer waitlistPosition, String name, String email,
                      String phone, Long organisationId, String organisationName, String sector, String roleTitle,
                      boolean companion, List<String> diet, String language, List<NeedChoice> needs, List<Long> sessions,
                      OffsetDateTime createdAt, boolean erased, OffsetDateTime handedOverAt) {
    this(id, eventId, status, waitlistPosition, name, email, phone, organisationId, organisationName, sector, roleTitle,
        companion, diet, language, needs, sessions, createdAt, erased, handedOverAt, false, null);
  }

  /**
   * Where this registration's e-mail goes: its own address, or – for someone signed up by a contact person without an
   * address of their own – the contact's. Null for a walk-in who gave none.
   */
  public String mailTo() {
    return email != null ? email : contactEmail;
  }

  /** Signed up by a contact person, who gets this person's e-mail. */
  public boolean managedByContact() {
    return email == null && contactEmail != null;
  }

  /** Cancelled by handing the seat over to someone else. */
  public boolean handedOver() {
    return handedOverAt != null;
  }

  /** A stated need; detail only where the need asks for one. */
  public record NeedChoice(String code, String detail) {}

  /** The seats it holds: none for a walk-in let in beyond capacity ("Släpp in ändå"), who took nobody's seat. */
  public int seats() {
    return overCapacity ? 0 : companion ? 2 : 1;
  }

  public boolean isConfirmed() {
    return "confirmed".equals(status);
  }

  public boolean isWaitlisted() {
    return "waitlisted".equals(status);
  }

  public boolean isCancelled() {
    return "cancelled".equals(status);
  }
}
