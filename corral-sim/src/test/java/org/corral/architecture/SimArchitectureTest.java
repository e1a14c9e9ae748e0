package org.corral.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * corral-sim's own rules, checked here so that no module below the CLI needs to see it (the
 * dependency arrows stay cli → sim → policy → model; nothing below depends on the simulator, which
 * Maven's module graph already enforces). The controller's and the CLI's rules are in their own
 * ArchitectureTest and CliArchitectureTest.
 */
class SimArchitectureTest {
  private static JavaClasses sim;

  @BeforeAll
  static void importClasses() {
    sim = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.corral.sim");
  }

  /** It drives the policies as the optimizer does, on its own model of a data centre: no controller, no driver. */
  @Test
  void theSimulatorStandsOnThePoliciesAlone() {
    noClasses().that().resideInAPackage("org.corral.sim..")
        .should().dependOnClassesThat().resideInAnyPackage("org.corral.controller..", "org.corral.drivers..", "org.corral.cli..")
        .because("corral-sim depends on corral-model and corral-policy only (docs/architecture.md)")
        .check(sim);
  }

  /** Every main package is null-marked, so NullAway checks it (the same rule as the other modules'). */
  @Test
  void everyMainPackageIsNullMarked() {
    classes().that().resideInAPackage("org.corral.sim..")
        .should(new ArchCondition<JavaClass>("reside in a package annotated @NullMarked") {
          @Override
          public void check(JavaClass c, ConditionEvents events) {
            if (!c.getPackage().isAnnotatedWith(NullMarked.class)) {
              events.add(SimpleConditionEvent.violated(c, c.getPackageName() + " has no @NullMarked package-info (so NullAway skips it)"));
            }
          }
        })
        .check(sim);
  }
}
