package se.hok.samla.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Samla for a test class: started once before the class's own {@code @BeforeAll} methods, on a fresh database of its
 * own, into the class's {@code static TestApp} field, and stopped after its {@code @AfterAll} methods.
 *
 * <pre>{@code
 * @WithSamla(env = "SAMLA_SEND_MAIL=false")
 * class FooTest {
 *   static TestApp app;
 *   @BeforeAll static void data() { organiser = app.tokenFor("organiser"); }
 * }
 * }</pre>
 *
 * A class with a {@code static} {@link java.time.Clock} field (e.g. a {@link TestClock}, set in its declaration) gets
 * Samla on that clock.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SamlaExtension.class)
public @interface WithSamla {
  /** Extra environment variables, each {@code NAME=value} (e.g. {@code SAMLA_DEMO=true}). */
  String[] env() default {};

  /** True: the limits on public sign-ups as shipped (their defaults); false, the usual: off, see {@link TestApp}. */
  boolean signUpLimits() default false;
}
