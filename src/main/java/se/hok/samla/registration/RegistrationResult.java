package se.hok.samla.registration;

import java.util.UUID;

/**
 * The outcome of a sign-up. {@code duplicate}: the address was already registered – the existing
 * registration's manage link is mailed again and nothing else is said. {@code manageToken} is only known
 * right after a new registration was made (it is stored hashed).
 */
public record RegistrationResult(UUID id, String status, Integer waitlistPosition, String manageToken,
                                 boolean duplicate, java.util.List<String> urgentNeeds) {}
