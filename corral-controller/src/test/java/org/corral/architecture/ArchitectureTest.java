package org.corral.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Instant;
import java.util.Random;
import org.corral.drivers.hypervisor.DomainSpec;
import org.corral.drivers.hypervisor.HypervisorConnection;
import org.corral.drivers.hypervisor.MigrationOptions;
import org.corral.drivers.power.PowerDriver;
import org.corral.drivers.power.PowerTarget;
import org.junit.jupiter.api.BeforeAll;
import org.corral.model.host.HostState;
import org.junit.jupiter.api.Test;

/**
 * The rules of docs/architecture.md that Maven's module graph cannot see, as a red build rather
 * than a review comment.
 */
class ArchitectureTest {
  private static JavaClasses main;

  @BeforeAll
  static void importClasses() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.corral");
  }

  @Test
  void timeIsReadOnlyThroughTheInjectedClock() {
    ArchRule rule = noClasses().that().doNotHaveFullyQualifiedName("org.corral.model.time.SystemClock")
        .should().callMethod(Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(java.time.Clock.class, "systemUTC")
        .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
        .because("loops, timeouts and backoff must run on virtual time in tests and simulations");
    rule.check(main);
  }

  @Test
  void randomnessIsSeeded() {
    noClasses().should().callConstructor(Random.class)
        .orShould().callMethod(Math.class, "random")
        .orShould().callMethod(java.util.concurrent.ThreadLocalRandom.class, "current")
        .because("every random choice must be replayable from the journaled seed (use Seeds)")
        .check(main);
  }

  @Test
  void onlyTheExecutorActsOnHypervisors() {
    noClasses().that().resideInAPackage("org.corral.controller..").and().resideOutsideOfPackage("org.corral.controller.executor..")
        .should().callMethod(HypervisorConnection.class, "define", DomainSpec.class)
        .orShould().callMethod(HypervisorConnection.class, "start", String.class)
        .orShould().callMethod(HypervisorConnection.class, "shutdown", String.class, java.time.Duration.class)
        .orShould().callMethod(HypervisorConnection.class, "destroy", String.class)
        .orShould().callMethod(HypervisorConnection.class, "undefine", String.class, boolean.class)
        .orShould().callMethod(HypervisorConnection.class, "reboot", String.class)
        .orShould().callMethod(HypervisorConnection.class, "migrate", String.class, HypervisorConnection.class,
            MigrationOptions.class, java.util.function.Consumer.class)
        .because("the executor is the only place that acts: limits, retries and the journal live there")
        .check(main);
  }

  @Test
  void onlyTheExecutorSwitchesPower() {
    noClasses().that().resideInAPackage("org.corral.controller..").and().resideOutsideOfPackage("org.corral.controller.executor..")
        .should().callMethod(PowerDriver.class, "powerOn", PowerTarget.class)
        .orShould().callMethod(PowerDriver.class, "powerOff", PowerTarget.class, boolean.class)
        .orShould().callMethod(PowerDriver.class, "cycle", PowerTarget.class)
        .check(main);
  }

  @Test
  void decisionsArePure() {
    noClasses().that().resideInAPackage("org.corral.policy..")
        .should().dependOnClassesThat().resideInAnyPackage("org.corral.drivers..", "org.corral.controller..", "java.sql..", "java.net..", "java.nio.file..")
        .because("a policy takes a Snapshot and returns a Plan; it never calls a driver or the store")
        .check(main);
  }

  @Test
  void theStoreOnlyStores() {
    noClasses().that().resideInAPackage("org.corral.controller.store..")
        .should().dependOnClassesThat().resideInAnyPackage("org.corral.policy..", "org.corral.drivers..",
            "org.corral.controller.executor..", "org.corral.controller.loop..", "org.corral.controller.command..")
        .because("no decision lives in the persistence layer")
        .check(main);
  }

  @Test
  void theExecutorDoesNotReachIntoTheLoops() {
    noClasses().that().resideInAPackage("org.corral.controller.executor..")
        .should().dependOnClassesThat().resideInAPackage("org.corral.controller.loop..")
        .because("loops hand plans to the executor; what both need (e.g. talking to guests) lives in a package of its own,"
            + " such as org.corral.controller.guest")
        .check(main);
  }

  @Test
  void theModelDependsOnNothing() {
    noClasses().that().resideInAPackage("org.corral.model..")
        .should().dependOnClassesThat().resideInAnyPackage("org.corral.policy..", "org.corral.drivers..", "org.corral.controller..")
        .check(main);
  }

  @Test
  void routesReadBodiesOnlyThroughTheGate() {
    noClasses().that().resideInAPackage("org.corral.controller.api..")
        .should().callMethod(io.javalin.http.Context.class, "body")
        .orShould().callMethod(io.javalin.http.Context.class, "bodyAsBytes")
        .orShould().callMethod(io.javalin.http.Context.class, "bodyInputStream")
        .because("RequestGate reads every body once, bounded whatever its framing (docs/security.md)")
        .check(main);
  }

  @Test
  void driversDoNotReachUp() {
    noClasses().that().resideInAPackage("org.corral.drivers..")
        .should().dependOnClassesThat().resideInAnyPackage("org.corral.policy..", "org.corral.controller..")
        .check(main);
  }

  @Test
  void hostHealthIsJudgedByAPolicyNotByTheLoops() {
    noClasses().that().resideInAPackage("org.corral.controller.loop..")
        .should().accessField(HostState.class, "SUSPECT")
        .orShould().accessField(HostState.class, "DOWN")
        .because("loops observe and apply; liveness (UP, SUSPECT, DOWN) is judged by a pure policy in "
            + "org.corral.policy.health from the observations in the snapshot, so it can be tested as a table and replaced")
        .check(main);
  }

  @Test
  void loopsHandPlansToAPlannerNotToTheExecutor() {
    noClasses().that().resideInAPackage("org.corral.controller.loop..")
        .should().callMethod(org.corral.controller.executor.Executor.class, "submit", org.corral.model.plan.Plan.class)
        .orShould().callMethod(org.corral.controller.executor.Executor.class, "submit", org.corral.model.plan.Action.class)
        .because("a loop's plan goes through the Planner seam, so recommend mode and the simulator run the same code")
        .check(main);
  }

  /**
   * Each module's API, since JPMS cannot say it for the modules whose dependencies split packages
   * (sshd-core and sshd-common; jsr305 and findbugs-annotations under CEL): of corral-drivers,
   * the SPI packages; the drivers themselves are assembled only by the composition root
   * (controller.boot), and the simulated lab's own fault API (controller.api's lab routes) reaches
   * the sim. See docs/architecture.md, "Public surface".
   */
  @Test
  void driverImplementationsAreReachedOnlyByTheCompositionRoot() {
    noClasses().that().resideOutsideOfPackages("org.corral.drivers..", "org.corral.controller.boot..")
        .and().doNotHaveFullyQualifiedName("org.corral.controller.api.LabApi")
        .should().dependOnClassesThat().resideInAnyPackage("org.corral.drivers.libvirt..", "org.corral.drivers.sim..",
            "org.corral.drivers.ssh..", "org.corral.drivers.power.ipmi..", "org.corral.drivers.power.wol..",
            "org.corral.drivers.power.ssh..", "org.corral.drivers.probe.net..", "org.corral.drivers.probe.http..",
            "org.corral.drivers.probe.ssh..", "org.corral.drivers.guest.agent..", "org.corral.drivers.guest.ssh..")
        .because("loops, the executor and commands are written against the driver SPI (drivers, drivers.hypervisor, "
            + "drivers.power, drivers.probe, drivers.guest), so any driver can stand behind it")
        .check(main);
  }

  /**
   * Every main package is null-marked (JSpecify) and NullAway checks it at compile time; a new
   * package must say so too, or it would silently escape the check. The CLI, which this module
   * cannot see, has the same rule in CliArchitectureTest.
   */
  @Test
  void everyMainPackageIsNullMarked() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
        .that().resideInAnyPackage("org.corral.model..", "org.corral.policy..", "org.corral.drivers..", "org.corral.controller..")
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
        .check(main);
  }
}
