package se.hok.samla.followup;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.events.Event;
import se.hok.samla.events.EventService;
import se.hok.samla.events.EventView;
import se.hok.samla.privacy.AuditLog;
import se.hok.samla.staff.EventAccess;
import se.hok.samla.staff.EventRight;
import se.hok.samla.web.ConflictException;
import se.hok.samla.web.EventTimes;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.PathIds;
import se.hok.samla.web.Templates;
import se.hok.samla.web.ValidationException;

/**
 * The feedback survey: the participant's form behind the link in the thank-you e-mail (public, no login, plain HTML
 * that works without JavaScript), and the results per event for the organisers and the working group, with CSV.
 */
public final class FeedbackPages {
  private final FeedbackService feedback;
  private final EventService events;
  private final EventAccess access;
  private final AuditLog audit;
  private final Templates templates;
  private final Clock clock;

  public FeedbackPages(FeedbackService feedback, EventService events, EventAccess access, AuditLog audit,
                       Templates templates, Clock clock) {
    this.feedback = feedback;
    this.events = events;
    this.access = access;
    this.audit = audit;
    this.templates = templates;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/utvardering/:token").handler(this::form);
    router.post("/utvardering/:token").handler(this::answer);
    String results = "/arrangor/evenemang/:id/utvardering";
    // The working group (viewers, and organisers of other events) reads how an event was received: the figures. The
    // comments are free text that can identify someone: for the event's organisers only, logged (renderResults).
    router.get(results).handler(access.page(EventRight.FIGURES)).handler(this::results);
    router.get(results + ".csv").handler(access.page(EventRight.MANAGE)).handler(this::csv);
    router.post(results + "/sista-dag").handler(access.page(EventRight.MANAGE)).handler(this::setLastDay);
  }

  // ------------------------------------------------------------------------------------------------ participants

  private void form(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    withSurvey(ctx, token, (survey, event) -> {
      if (!survey.attended()) {
        return notAttended(ctx, event);
      }
      if (!survey.open()) {
        return closed(ctx, 200, survey, event, null);
      }
      return renderForm(ctx, 200, survey, event, FeedbackInput.of(survey.answer()), Map.of(),
          ctx.queryParams().contains("sparad"));
    });
  }

  private void answer(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    FeedbackInput typed = FeedbackInput.fromForm(ctx.request().formAttributes());
    withSurvey(ctx, token, (survey, event) -> feedback.save(token, typed).compose(
        saved -> seeOther(ctx, FeedbackService.path(token) + "?sparad=1"),
        err -> {
          if (err instanceof ValidationException v) {
            return renderForm(ctx, 422, survey, event, typed, v.messages(Lang.of(ctx)), false);
          }
          if (err instanceof ConflictException c && "feedback_closed".equals(c.code())) {
            // Closed while they were writing: say so, and show what they wrote so that it is not lost.
            return closed(ctx, 409, survey, event, typed);
          }
          if (err instanceof ConflictException c && "feedback_not_attended".equals(c.code())) {
            return notAttended(ctx, event);
          }
          return Future.failedFuture(err);
        }));
  }

  private interface SurveyPage {
    Future<Void> render(FeedbackService.Survey survey, Event event);
  }

  /** Loads the survey and its event; an unknown (or erased) link gets a page of its own that says what to do. */
  private void withSurvey(RoutingContext ctx, String token, SurveyPage page) {
    feedback.survey(token)
        .compose(survey -> events.get(survey.eventId()).compose(event -> page.render(survey, event)))
        .recover(err -> err instanceof NotFoundException ? unknownLink(ctx) : Future.failedFuture(err))
        .onFailure(ctx::fail);
  }

  /** A rating choice; the first carries the group's id, so the error summary's link lands on the group. */
  public record RatingChoice(String id, String value, String label, boolean checked) {}

  /** A free-text question as the form shows it. */
  public record TextQuestion(String name, String label, String hint, String value, String error) {}

  private Future<Void> renderForm(RoutingContext ctx, int status, FeedbackService.Survey survey, Event event,
                                  FeedbackInput input, Map<String, String> errors, boolean saved) {
    Lang lang = Lang.of(ctx);
    Map<String, Object> model = eventModel(lang, event);
    List<RatingChoice> ratings = new ArrayList<>();
    String chosen = input.rating() == null ? "" : input.rating().strip();
    for (int i = 1; i <= 5; i++) {
      ratings.add(new RatingChoice(i == 1 ? "rating" : "rating-" + i, String.valueOf(i),
          Messages.get(lang, "feedback.rating." + i), chosen.equals(String.valueOf(i))));
    }
    List<TextQuestion> questions = new ArrayList<>();
    for (String field : FeedbackInput.TEXT_FIELDS) {
      String value = input.text(field);
      questions.add(new TextQuestion(field, Messages.get(lang, "feedback.label." + field),
          Messages.get(lang, "feedback.hint." + field, FeedbackInput.MAX_TEXT),
          value == null ? null : value.replace('\0', '\uFFFD'), errors.get(field)));
    }
    model.put("ratings", ratings);
    model.put("questions", questions);
    model.put("errors", errors);
    String lastDay = day(lang, FeedbackService.lastDay(survey.closesAt()));
    model.put("heading", Messages.get(lang, "feedback.heading", model.get("title")));
    model.put("saved", saved);
    model.put("savedText", Messages.get(lang, "feedback.saved", lastDay));
    model.put("answered", survey.answer() != null);
    model.put("statusText", Messages.get(lang, survey.answer() != null ? "feedback.answeredBefore" : "feedback.openUntil", lastDay));
    model.put("action", FeedbackService.path(ctx.pathParam("token")));
    return templates.render(ctx, status, "feedback/form", model);
  }

  /** The survey has closed: said plainly, with their answer (or what they just typed) to read. */
  private Future<Void> closed(RoutingContext ctx, int status, FeedbackService.Survey survey, Event event,
                              FeedbackInput typed) {
    Lang lang = Lang.of(ctx);
    Map<String, Object> model = eventModel(lang, event);
    FeedbackInput shown = typed != null ? typed : survey.answer() != null ? FeedbackInput.of(survey.answer()) : null;
    model.put("closedText", Messages.get(lang, "feedback.closed.text", model.get("title"),
        day(lang, FeedbackService.lastDay(survey.closesAt()))));
    model.put("cancelled", event.status() == se.hok.samla.events.EventStatus.CANCELLED);
    model.put("typedNow", typed != null);
    if (shown != null) {
      List<Shown> lines = new ArrayList<>();
      String rating = shown.rating() == null ? "" : shown.rating().strip();
      if (rating.matches("[1-5]")) {
        lines.add(new Shown(Messages.get(lang, "feedback.legend.rating"), List.of(Messages.get(lang, "feedback.rating." + rating))));
      }
      for (String field : FeedbackInput.TEXT_FIELDS) {
        String text = FeedbackInput.normalise(shown.text(field));
        if (text != null) {
          lines.add(new Shown(Messages.get(lang, "feedback.label." + field), lines(text.replace('\0', '\uFFFD'))));
        }
      }
      model.put("shown", lines);
    }
    return templates.render(ctx, status, "feedback/closed", model);
  }

  /** A labelled answer, its text as lines (shown with line breaks). */
  public record Shown(String label, List<String> lines) {}

  static List<String> lines(String text) {
    return List.of(text.split("\n", -1));
  }

  private Future<Void> notAttended(RoutingContext ctx, Event event) {
    Lang lang = Lang.of(ctx);
    Map<String, Object> model = eventModel(lang, event);
    model.put("text", Messages.get(lang, "feedback.notAttended.text", model.get("title")));
    model.put("organiserEmail", event.organiserEmail() == null || event.organiserEmail().isBlank() ? null
        : event.organiserEmail().strip());
    return templates.render(ctx, 403, "feedback/not-attended", model);
  }

  private Future<Void> unknownLink(RoutingContext ctx) {
    return templates.render(ctx, 404, "feedback/unknown", Map.of());
  }

  private Map<String, Object> eventModel(Lang lang, Event event) {
    Map<String, Object> model = new HashMap<>();
    EventView view = EventView.of(event, lang, OffsetDateTime.now(clock));
    model.put("e", view);
    model.put("title", view.title());
    return model;
  }

  // ------------------------------------------------------------------------------------------------ organisers

  /** One bar of the distribution: the rating, its label, how many, and the share in whole percent. */
  public record Bar(int rating, String label, long count, long percent) {}

  private void results(RoutingContext ctx) {
    renderResults(ctx, 200, null, Map.of());
  }

  private void renderResults(RoutingContext ctx, int status, String typedLastDay, Map<String, String> errors) {
    long eventId = PathIds.id(ctx);
    Lang lang = Lang.of(ctx);
    boolean organiser = EventAccess.has(ctx, EventRight.MANAGE);
    events.get(eventId).compose(event -> feedback.results(eventId).compose(r -> organiser
        ? audit.read(ctx, eventId, AuditLog.Read.FEEDBACK_COMMENTS, false, commented(r)).map(r)
        : Future.succeededFuture(r)).compose(r -> {
      Map<String, Object> model = eventModel(lang, event);
      List<Bar> bars = new ArrayList<>();
      for (int i = 5; i >= 1; i--) {
        long n = r.counts().get(i - 1);
        bars.add(new Bar(i, Messages.get(lang, "feedback.rating." + i), n,
            r.answers().isEmpty() ? 0 : Math.round(100.0 * n / r.answers().size())));
      }
      model.put("bars", bars);
      int answers = r.answers().size();
      model.put("answers", answers);
      model.put("attended", r.attended());
      model.put("responseRate", r.attended() == 0 ? null : Math.round(100.0 * answers / r.attended()));
      model.put("mean", r.mean() == null ? null : String.format(lang.locale(), "%.1f", r.mean()));
      List<Map<String, Object>> comments = new ArrayList<>();
      for (String field : organiser ? FeedbackInput.TEXT_FIELDS : List.<String>of()) {
        List<List<String>> texts = r.answers().stream().map(a -> FeedbackInput.of(a).text(field)).filter(t -> t != null)
            .map(FeedbackPages::lines).toList();
        comments.add(Map.of("id", "kommentarer-" + field, "heading", Messages.get(lang, "feedback.label." + field),
            "texts", texts));
      }
      model.put("comments", comments);
      model.put("open", r.open());
      model.put("lastDay", day(lang, r.lastDay()));
      model.put("lastDaySet", r.lastDaySet());
      model.put("defaultLastDay", day(lang, FeedbackService.lastDay(event.endsAt().plusDays(FeedbackService.DEFAULT_OPEN_DAYS))));
      model.put("lastDayValue", typedLastDay != null ? typedLastDay : r.lastDaySet() ? r.lastDay().toString() : "");
      model.put("errors", errors);
      model.put("canOrganise", organiser);
      model.put("savedLastDay", ctx.queryParams().contains("sparad"));
      return templates.render(ctx, status, "feedback/results", model);
    })).onFailure(ctx::fail);
  }

  private void setLastDay(RoutingContext ctx) {
    long eventId = PathIds.id(ctx);
    String typed = ctx.request().getFormAttribute("lastDay");
    events.get(eventId).compose(event -> feedback.setLastDay(eventId, typed))
        .onSuccess(v -> ctx.redirect(resultsPath(eventId) + "?sparad=1#sista-dag"))
        .onFailure(ValidationException.formAgain(ctx, errors -> renderResults(ctx, 422, typed == null ? "" : typed.replace('\0', '\uFFFD'), errors)));
  }

  /** One row per answer: the rating and the comments, never who gave them. */
  private void csv(RoutingContext ctx) {
    long eventId = PathIds.id(ctx);
    Lang lang = Lang.of(ctx);
    events.get(eventId).compose(event -> feedback.results(eventId))
        .compose(r -> audit.read(ctx, eventId, AuditLog.Read.FEEDBACK_CSV, false, commented(r)).map(r))
        .map(r -> {
          se.hok.samla.web.Csv out = se.hok.samla.web.Csv.document();
          out.line(List.of(Messages.get(lang, "feedback.csv.rating"),
              Messages.get(lang, "feedback.label.mostValuable"), Messages.get(lang, "feedback.label.improve"),
              Messages.get(lang, "feedback.label.futureInterest")));
          for (FeedbackService.Answer a : r.answers()) {
            List<String> cells = new ArrayList<>();
            cells.add(String.valueOf(a.rating()));
            cells.add(a.mostValuable());
            cells.add(a.improve());
            cells.add(a.futureInterest());
            out.line(cells);
          }
          return out.toString();
        }).onSuccess(text -> ctx.response()
            .putHeader("Content-Type", "text/csv; charset=utf-8")
            .putHeader("Content-Disposition", "attachment; filename=\"utvardering-evenemang-" + eventId + ".csv\"")
            .putHeader("Cache-Control", "no-store")
            .end(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8))))
        .onFailure(ctx::fail);
  }

  // ------------------------------------------------------------------------------------------------ small parts

  /** How many answers carry a comment: the people whose own words a reader of the comments sees. */
  private static int commented(FeedbackService.Results r) {
    return (int) r.answers().stream()
        .filter(a -> a.mostValuable() != null || a.improve() != null || a.futureInterest() != null).count();
  }

  private static String day(Lang lang, LocalDate day) {
    return EventTimes.date(lang).format(day);
  }

  private static String resultsPath(long eventId) {
    return "/arrangor/evenemang/" + eventId + "/utvardering";
  }

  private static Future<Void> seeOther(RoutingContext ctx, String location) {
    return ctx.response().setStatusCode(303).putHeader("Location", location).end();
  }
}
