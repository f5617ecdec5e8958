package se.hok.samla.events;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.staff.Permission;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.PathIds;
import se.hok.samla.web.Templates;
import se.hok.samla.web.ValidationException;

/**
 * The organisations and parties, on one page for organisers and admins: names people typed when signing up wait to be
 * accepted or merged into the organisation they mean; every organisation with its sector, signatory dates and contact
 * person; two spellings of one organisation merged (after a page that says what will happen).
 */
public final class OrganisationPages {
  static final String BASE = "/arrangor/organisationer";

  private final OrganisationNames names;
  private final Organisations organisations;
  private final StaffAuth auth;
  private final Templates templates;

  public OrganisationPages(OrganisationNames names, Organisations organisations, StaffAuth auth, Templates templates) {
    this.names = names;
    this.organisations = organisations;
    this.auth = auth;
    this.templates = templates;
  }

  public void mount(Router router) {
    router.get(BASE).handler(auth.page(Permission.ORGANISE)).handler(this::list);
    router.post(BASE).handler(auth.page(Permission.ORGANISE)).handler(this::create);
    router.get(BASE + "/ny").handler(auth.page(Permission.ORGANISE)).handler(this::newForm);
    router.get(BASE + "/:id").handler(auth.page(Permission.ORGANISE)).handler(this::editForm);
    router.post(BASE + "/:id").handler(auth.page(Permission.ORGANISE)).handler(this::update);
    router.post(BASE + "/:id/godkann").handler(auth.page(Permission.ORGANISE)).handler(this::accept);
    router.get(BASE + "/:id/sla-ihop").handler(auth.page(Permission.ORGANISE)).handler(this::confirmMerge);
    router.post(BASE + "/:id/sla-ihop").handler(auth.page(Permission.ORGANISE)).handler(this::merge);
  }

  // ------------------------------------------------------------------------------------------------ the register

  private void list(RoutingContext ctx) {
    Lang lang = Lang.of(ctx);
    Future.all(names.pending(), organisations.all()).compose(all -> {
      List<OrganisationNames.Pending> pending = all.resultAt(0);
      List<Organisations.Entry> entries = all.resultAt(1);
      Map<String, Object> model = new HashMap<>();
      model.put("pending", pending.stream().map(p -> {
        Map<String, Object> row = new HashMap<>();
        row.put("id", p.id());
        row.put("name", p.name());
        row.put("sector", Messages.get(lang, "sector." + p.sector()));
        row.put("registrations", p.registrations());
        row.put("like", p.like() == null ? null : Messages.get(lang, "org.pending.like", p.like()));
        return row;
      }).toList());
      List<Organisations.Entry> accepted = entries.stream().filter(Organisations.Entry::accepted).toList();
      model.put("organisations", accepted.stream().map(e -> row(e, lang)).toList());
      model.put("targets", accepted.stream().map(e -> Map.of("id", e.organisation().id(),
          "name", e.organisation().name())).toList());
      model.put("partiesText", Messages.get(lang, "org.all.hint",
          accepted.stream().filter(e -> e.organisation().signatory()).count()));
      model.put("accepted", ctx.queryParams().get("godkand"));
      return templates.render(ctx, "organiser/organisations", model);
    }).onFailure(ctx::fail);
  }

  private static Map<String, Object> row(Organisations.Entry e, Lang lang) {
    Organisation o = e.organisation();
    Map<String, Object> m = new HashMap<>();
    m.put("id", o.id());
    m.put("name", o.name());
    m.put("sector", Messages.get(lang, "sector." + o.sector()));
    m.put("party", party(o, lang));
    m.put("contact", o.contactName() == null && o.contactEmail() == null ? "–"
        : String.join(", ", java.util.stream.Stream.of(o.contactName(), o.contactEmail())
            .filter(java.util.Objects::nonNull).toList()));
    m.put("registrations", e.registrations());
    return m;
  }

  /** "sedan 2019-05-14", "2019-05-14 – 2022-12-31", "till 2022-12-31", "ja", or "–" for no party. */
  static String party(Organisation o, Lang lang) {
    if (!o.signatory()) {
      return "–";
    }
    if (o.signatorySince() != null && o.signatoryUntil() != null) {
      return Messages.get(lang, "org.party.between", o.signatorySince().toString(), o.signatoryUntil().toString());
    }
    if (o.signatorySince() != null) {
      return Messages.get(lang, "org.party.since", o.signatorySince().toString());
    }
    if (o.signatoryUntil() != null) {
      return Messages.get(lang, "org.party.until", o.signatoryUntil().toString());
    }
    return Messages.get(lang, "org.party.yes");
  }

  private void accept(RoutingContext ctx) {
    long id = PathIds.id(ctx);
    organisations.accept(id)
        .compose(done -> ctx.redirect(BASE + "?godkand=" + id))
        .onFailure(ctx::fail);
  }

  // ------------------------------------------------------------------------------------------------ one organisation

  private void newForm(RoutingContext ctx) {
    render(ctx, 200, null, OrganisationInput.blank(), Map.of(), null, Map.of());
  }

  private void create(RoutingContext ctx) {
    OrganisationInput input = OrganisationInput.fromForm(ctx.request().formAttributes());
    organisations.create(input)
        .onSuccess(e -> ctx.redirect(BASE + "/" + e.organisation().id() + "?sparad=1"))
        .onFailure(err -> {
          if (err instanceof ValidationException v) {
            render(ctx, 422, null, input, v.messages(Lang.of(ctx)), null, Map.of());
          } else {
            ctx.fail(err);
          }
        });
  }

  private void editForm(RoutingContext ctx) {
    organisations.get(PathIds.id(ctx))
        .onSuccess(e -> render(ctx, 200, e, OrganisationInput.of(e.organisation()), Map.of(), null, Map.of()))
        .onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx) {
    long id = PathIds.id(ctx);
    OrganisationInput input = OrganisationInput.fromForm(ctx.request().formAttributes());
    organisations.update(id, input)
        .onSuccess(e -> ctx.redirect(BASE + "/" + id + "?sparad=1"))
        .onFailure(err -> {
          if (err instanceof ValidationException v) {
            organisations.get(id).onSuccess(e -> render(ctx, 422, e, input, v.messages(Lang.of(ctx)), null, Map.of()))
                .onFailure(ctx::fail);
          } else {
            ctx.fail(err);
          }
        });
  }

  private void render(RoutingContext ctx, int status, Organisations.Entry entry, OrganisationInput input,
                      Map<String, String> errors, String into, Map<String, String> mergeErrors) {
    Lang lang = Lang.of(ctx);
    organisations.all().compose(all -> {
      Map<String, Object> model = new HashMap<>();
      model.put("entry", entry);
      model.put("input", input);
      model.put("errors", errors);
      model.put("summary", errors.isEmpty() ? mergeErrors : errors);
      model.put("mergeErrors", mergeErrors);
      model.put("into", into);
      model.put("sectors", OrganisationInput.SECTORS.stream().map(s -> Map.of("code", s,
          "label", Messages.get(lang, "sector." + s))).toList());
      model.put("targets", all.stream().filter(e -> entry == null || e.organisation().id() != entry.organisation().id())
          .filter(Organisations.Entry::accepted)
          .map(e -> Map.of("id", String.valueOf(e.organisation().id()), "name", e.organisation().name())).toList());
      model.put("saved", ctx.queryParams().contains("sparad"));
      model.put("registrationsText", entry == null ? null : Messages.get(lang, "org.registrations", entry.registrations()));
      Long merged = parseId(ctx.queryParams().get("sammanslagen"));
      model.put("mergedText", merged == null ? null : Messages.get(lang, "org.merge.done", merged));
      return templates.render(ctx, status, "organiser/organisation", model);
    }).onFailure(ctx::fail);
  }

  // ------------------------------------------------------------------------------------------------ merging

  /** What merging will do, before it is done: which name is kept, how many registrations move, which name goes. */
  private void confirmMerge(RoutingContext ctx) {
    long id = PathIds.id(ctx);
    String into = ctx.queryParams().get("med");
    Long target = parseId(into);
    organisations.get(id).compose(from -> {
      Map<String, String> problem = mergeProblem(id, into, target, Lang.of(ctx));
      if (!problem.isEmpty()) {
        render(ctx, 422, from, OrganisationInput.of(from.organisation()), Map.of(), into, problem);
        return Future.succeededFuture();
      }
      return organisations.get(target).compose(kept -> {
        Map<String, Object> model = new HashMap<>();
        model.put("from", from);
        model.put("kept", kept);
        model.put("movesText", Messages.get(Lang.of(ctx), "org.merge.moves", from.registrations(),
            from.organisation().name(), kept.organisation().name()));
        return templates.render(ctx, "organiser/organisation-merge", model);
      }, missing -> {
        if (!(missing instanceof se.hok.samla.web.NotFoundException)) {
          return Future.failedFuture(missing);
        }
        render(ctx, 422, from, OrganisationInput.of(from.organisation()), Map.of(), into,
            Map.of("into", Messages.get(Lang.of(ctx), "error.org.mergeUnknown")));
        return Future.succeededFuture();
      });
    }).onFailure(ctx::fail);
  }

  private void merge(RoutingContext ctx) {
    long id = PathIds.id(ctx);
    String into = ctx.request().getFormAttribute("into");
    Map<String, String> problem = mergeProblem(id, into, parseId(into), Lang.of(ctx));
    if (!problem.isEmpty()) {
      organisations.get(id).onSuccess(e -> render(ctx, 422, e, OrganisationInput.of(e.organisation()), Map.of(), into,
          problem)).onFailure(ctx::fail);
      return;
    }
    organisations.merge(id, parseId(into))
        .onSuccess(m -> ctx.redirect(BASE + "/" + m.kept().organisation().id() + "?sammanslagen=" + m.movedRegistrations()))
        .onFailure(err -> {
          if (err instanceof ValidationException v) {
            organisations.get(id).onSuccess(e -> render(ctx, 422, e, OrganisationInput.of(e.organisation()), Map.of(),
                into, v.messages(Lang.of(ctx)))).onFailure(ctx::fail);
          } else {
            ctx.fail(err);
          }
        });
  }

  private static Map<String, String> mergeProblem(long id, String into, Long target, Lang lang) {
    if (into == null || into.isBlank()) {
      return Map.of("into", Messages.get(lang, "error.required"));
    }
    if (target == null) {
      return Map.of("into", Messages.get(lang, "error.org.mergeUnknown"));
    }
    if (target == id) {
      return Map.of("into", Messages.get(lang, "error.org.mergeIntoItself"));
    }
    return Map.of();
  }

  private static Long parseId(String text) {
    try {
      return text == null || text.isBlank() ? null : Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
