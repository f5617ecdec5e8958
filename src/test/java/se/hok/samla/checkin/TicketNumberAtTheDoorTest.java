package se.hok.samla.checkin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;
import se.hok.samla.tickets.TicketService;

/**
 * The ticket e-mail tells people they may say their ticket number (HÖK-V8MT-3UZR). Typed into the door's code field
 * – the way people type it – it lets the person in exactly as the QR code would, and is answered the same way when
 * the ticket is revoked, of another event, or cancelled; a number that names no ticket is not recognised.
 */
@WithSamla
class TicketNumberAtTheDoorTest {
  static TestApp app;
  static Door door;
  static long event;

  @BeforeAll
  static void start() {
    door = new Door(app);
    event = door.event("Dialogmöte med biljettnummer", 30, null);
  }

  @Test
  void theNumberAsPeopleTypeItIsReadAsTheTicket() {
    assertEquals(Optional.of("HÖK-V8MT-3UZR"), TicketService.reference("HÖK-V8MT-3UZR"));
    assertEquals(Optional.of("HÖK-V8MT-3UZR"), TicketService.reference(" hök-v8mt-3uzr "));
    assertEquals(Optional.of("HÖK-V8MT-3UZR"), TicketService.reference("HOK V8MT 3UZR"));
    assertEquals(Optional.of("HÖK-V8MT-3UZR"), TicketService.reference("v8mt3uzr"));
    assertEquals(Optional.of("HÖK-V8MT-3UZR"), TicketService.reference("HÖK–V8MT–3UZR"));
    for (String not : new String[] {null, "", "Anna", "V8MT3UZ", "V8MT3UZR9", "HÖK-V8MT-3UZ0", "HÖK-I8MT-3UZR"}) {
      assertEquals(Optional.empty(), TicketService.reference(not), not);
    }
  }

  @Test
  void aTypedTicketNumberLetsThePersonInLikeTheCode() {
    Door.Person p = door.signUp(event, "Tora Talad", null);
    String reference = door.ticket(event, p).reference();
    JsonObject first = scan(reference.toLowerCase().replace("-", " "));
    assertEquals("ok", first.getString("result"), first.encode());
    assertEquals("Tora Talad", first.getJsonObject("registration").getString("name"));
    assertEquals(reference, first.getJsonObject("registration").getString("reference"));
    assertEquals("already_checked_in", scan(reference).getString("result"), "the same admission, not a second one");
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from checkin where undone_at is null"
        + " and registration_id = '" + p.id() + "'"));
  }

  @Test
  void theNumberIsAnsweredAsItsTicketWouldBe() {
    Door.Person replaced = door.signUp(event, "Rolf Ersatt", null);
    String old = door.ticket(event, replaced).reference();
    door.reissue(event, replaced);
    assertEquals("revoked", scan(old).getString("result"), "an older ticket's number, like its code");

    long other = door.event("Ett annat evenemang", 10, null);
    Door.Person elsewhere = door.signUp(other, "Agnes Annanstans", null);
    assertEquals("wrong_event", scan(door.ticket(other, elsewhere).reference()).getString("result"));

    Door.Person gone = door.signUp(event, "Greta Avbokad", null);
    String number = door.ticket(event, gone).reference();
    door.cancel(gone);
    assertEquals("cancelled", scan(number).getString("result"));

    // A number no ticket has: not recognised – a typo to check, never an admission.
    String unknown = TicketService.reference("2222 2222").orElseThrow();
    assertEquals(List.of(), Db.column(app.databaseUrl, "select id from ticket where reference = '" + unknown + "'"));
    assertEquals("invalid", scan(unknown).getString("result"));
  }

  private static JsonObject scan(String typed) {
    HttpResponse<Buffer> r = door.checkin(door.desk, Door.scan(event, typed, "dörr-1"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }
}
