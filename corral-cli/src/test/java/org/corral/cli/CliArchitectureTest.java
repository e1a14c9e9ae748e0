package org.corral.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The CLI's own layering and the project's rules on time and wiring, as a red build when broken. */
class CliArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
      .importPackages("org.corral.cli");

  @Test
  void apiRenderAndConvertKnowNothingOfCommands() {
    noClasses().that().resideInAnyPackage("org.corral.cli.api..", "org.corral.cli.render..", "org.corral.cli.convert..")
        .should().dependOnClassesThat().resideInAnyPackage("org.corral.cli", "org.corral.cli.command..")
        .check(MAIN);
  }

  @Test
  void commandsDoNotReachUpToTheEntryPoint() {
    noClasses().that().resideInAPackage("org.corral.cli.command..")
        .should().dependOnClassesThat().resideInAPackage("org.corral.cli")
        .check(MAIN);
  }

  @Test
  void timeComesFromTheInjectedClock() {
    noClasses().should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(Thread.class, "sleep", long.class)
        .orShould().callConstructor(java.util.Random.class)
        .check(MAIN);
  }

  @Test
  void noWiringByReflection() {
    noClasses().should().callMethod(Class.class, "forName", String.class)
        .orShould().dependOnClassesThat().resideInAPackage("java.lang.reflect..")
        .check(MAIN);
  }

  /** The controller's API for the CLI is controller.boot; the CLI talks to a running Corral over REST. */
  @Test
  void theCommandLineReachesTheControllerOnlyThroughItsBootApi() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("org.corral.policy..", "org.corral.drivers..")
        .orShould().dependOnClassesThat(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("org.corral.controller..")
            .and(com.tngtech.archunit.base.DescribedPredicate.not(
                com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("org.corral.controller.boot"))))
        .check(MAIN);
  }

  /** Every package of the CLI is null-marked, so that NullAway checks it (as ArchitectureTest does for the other modules). */
  @Test
  void everyPackageIsNullMarked() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
        .should(new com.tngtech.archunit.lang.ArchCondition<com.tngtech.archunit.core.domain.JavaClass>(
            "reside in a package annotated @NullMarked") {
          @Override
          public void check(com.tngtech.archunit.core.domain.JavaClass c, com.tngtech.archunit.lang.ConditionEvents events) {
            if (!c.getPackage().isAnnotatedWith(org.jspecify.annotations.NullMarked.class)) {
              events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(c,
                  c.getPackageName() + " has no @NullMarked package-info (so NullAway skips it)"));
            }
          }
        })
        .check(MAIN);
  }
}
