package se.hok.samla.events;

/** A year of the action plan: its theme (from the agreement's principles) and focus area. */
public record PlanYear(int year, String theme, String focusArea) {}
