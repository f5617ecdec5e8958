package se.hok.samla.events;

/** An organisation that takes part; signatory organisations are parties to the agreement. */
public record Organisation(long id, String name, String sector, boolean signatory, String contactEmail) {}
