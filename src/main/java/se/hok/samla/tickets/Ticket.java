package se.hok.samla.tickets;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A registration's ticket: the signed code in its QR image, and the short reference printed under it for people
 * to read out or type in (e.g. {@code HÖK-7Q4M-9XK2}).
 */
public record Ticket(long id, UUID registrationId, long eventId, String code, String reference, OffsetDateTime issuedAt) {}
