package com.mdeonboarding.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layer order, as rules that fail the build (docs/ARCHITECTURE.md, "Layers"): host/cli -> api -> app -> control -> events/sweep/reconcile -> decide ->
 * model, with azure, storage and config below reconcile and never importing it; decide and model pure (no Azure SDK, no
 * Jackson, no clock, no I/O); no cycles between packages.
 */
class ArchitectureTest {
    private static final String APP = "com.mdeonboarding";
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/emulator/") && !location.contains("mde-onboarding-emulator"))
                .importPackages(APP);
    }

    /** The layers and who may use each. */
    static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("model").definedBy(APP + ".model..")
            .layer("support").definedBy(APP + ".support..")
            .layer("telemetry").definedBy(APP + ".telemetry..")
            .layer("config").definedBy(APP + ".config..")
            .layer("decide").definedBy(APP + ".decide..")
            .layer("azure").definedBy(APP + ".azure..")
            .layer("storage").definedBy(APP + ".storage..")
            .layer("reconcile").definedBy(APP + ".reconcile..")
            .layer("sweep").definedBy(APP + ".sweep..")
            .layer("events").definedBy(APP + ".events..")
            .layer("control").definedBy(APP + ".control..")
            .layer("app").definedBy(APP + ".app..")
            .layer("api").definedBy(APP + ".api..")
            .layer("host").definedBy(APP + ".host..")
            .layer("cli").definedBy(APP + ".cli..")
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("host").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("api").mayOnlyBeAccessedByLayers("host", "cli")
            .whereLayer("app").mayOnlyBeAccessedByLayers("api", "host", "cli")
            .whereLayer("control").mayOnlyBeAccessedByLayers("app", "api", "host", "cli")
            .whereLayer("sweep").mayOnlyBeAccessedByLayers("control", "app", "api", "host", "cli")
            .whereLayer("events").mayOnlyBeAccessedByLayers("control", "app", "api", "host", "cli")
            .whereLayer("reconcile").mayOnlyBeAccessedByLayers("sweep", "control", "app", "api", "host", "cli")
            .whereLayer("storage").mayOnlyBeAccessedByLayers("reconcile", "sweep", "events", "control", "app", "api", "host", "cli")
            .whereLayer("azure").mayOnlyBeAccessedByLayers("reconcile", "sweep", "control", "app", "api", "host", "cli")
            .whereLayer("decide").mayOnlyBeAccessedByLayers("azure", "storage", "reconcile", "sweep", "events", "control", "app", "api", "host",
                    "cli")
            .whereLayer("config").mayOnlyBeAccessedByLayers("decide", "azure", "storage", "reconcile", "sweep", "events", "control", "app", "api",
                    "host", "cli")
            .whereLayer("support").mayOnlyBeAccessedByLayers("azure", "storage", "reconcile", "sweep", "events", "control", "app", "api", "host",
                    "cli")
            // The records Azure Monitor keeps (model types in, a log call out): for whoever decides or sweeps.
            .whereLayer("telemetry").mayOnlyBeAccessedByLayers("reconcile", "sweep", "control", "app", "api", "host", "cli");

    /** The functional core: no Azure SDK, Jackson, Functions, logging, network, files or threads. */
    static final ArchRule PURE_CORE_IMPORTS = noClasses().that().resideInAnyPackage(APP + ".decide..", APP + ".model..")
            .should().dependOnClassesThat().resideInAnyPackage("com.azure..", "com.fasterxml..", "com.microsoft..", "reactor..",
                    "io.netty..", "java.io..", "java.nio.file..", "java.net..", "java.util.logging..", "java.util.concurrent..")
            .because("decide and model are pure: all I/O is at the edges");

    /** ... and no clock: the caller passes the time. */
    static final ArchRule PURE_CORE_TIME = noClasses().that().resideInAnyPackage(APP + ".decide..", APP + ".model..")
            .should().dependOnClassesThat().areAssignableTo(Clock.class)
            .orShould().callMethod(Instant.class, "now")
            .orShould().callMethod(LocalDate.class, "now")
            .orShould().callMethod(LocalDateTime.class, "now")
            .orShould().callMethod(OffsetDateTime.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .because("a decision is a function of its inputs; the time is one of them");

    static final ArchRule NO_CYCLES = slices().matching(APP + ".(*)..").should().beFreeOfCycles();

    static final ArchRule NO_SDK_INTERNALS = noClasses().should().dependOnClassesThat().resideInAPackage("com.azure..implementation..")
            .because("an SDK's implementation package is not its API and may change in any release");

    /** The azure package is a small SDK: its public surface speaks domain types, never wire types. */
    static final ArchRule AZURE_SPEAKS_DOMAIN_TYPES = methods().that().areDeclaredInClassesThat().resideInAPackage(APP + ".azure..")
            .and().arePublic().and().areDeclaredInClassesThat().arePublic()
            .should(new ArchCondition<JavaMethod>("take and return no wire types (Jackson nodes, HTTP headers, SDK inner models)") {
                @Override
                public void check(JavaMethod m, ConditionEvents events) {
                    List<JavaClass> types = new java.util.ArrayList<>(m.getRawParameterTypes());
                    types.add(m.getRawReturnType());
                    for (JavaClass t : types) {
                        String name = t.getName();
                        if (name.startsWith("com.fasterxml.") || name.startsWith("com.azure.core.http.HttpHeaders")
                                || name.startsWith("com.azure.resourcemanager.") || name.endsWith("Inner")) {
                            events.add(SimpleConditionEvent.violated(m, m.getFullName() + " exposes " + name));
                        }
                    }
                }
            });

    /** Parameter lists a reader can hold in mind. */
    static final ArchRule AT_MOST_EIGHT_PARAMETERS = codeUnits().that().areDeclaredInClassesThat().resideInAPackage(APP + "..")
            .and(new DescribedPredicate<JavaCodeUnit>("are written in the source (not synthetic)") {
                @Override
                public boolean test(JavaCodeUnit c) {
                    return !c.getModifiers().contains(JavaModifier.SYNTHETIC) && !c.getName().startsWith("lambda$");
                }
            })
            .should(new ArchCondition<JavaCodeUnit>("take at most 8 parameters") {
                @Override
                public void check(JavaCodeUnit c, ConditionEvents events) {
                    // An inner class's constructor carries its outer instance, an enum's its name and ordinal: not the author's.
                    int hidden = c.getOwner().getEnclosingClass().isPresent() && !c.getOwner().getModifiers().contains(JavaModifier.STATIC)
                            && c.getName().equals("<init>") ? 1 : 0;
                    if (c.getOwner().isEnum() && c.getName().equals("<init>")) {
                        hidden += 2;
                    }
                    int n = c.getRawParameterTypes().size() - hidden;
                    if (n > 8) {
                        events.add(SimpleConditionEvent.violated(c, c.getFullName() + " takes " + n + " parameters"));
                    }
                }
            });

    @Test
    void layersImportOnlyDownwards() {
        LAYERS.check(main);
    }

    @Test
    void theCoreImportsNoSdkJacksonOrIo() {
        PURE_CORE_IMPORTS.check(main);
    }

    @Test
    void theCoreReadsNoClock() {
        PURE_CORE_TIME.check(main);
    }

    @Test
    void packagesHaveNoCycles() {
        NO_CYCLES.check(main);
    }

    @Test
    void noAzureSdkImplementationPackage() {
        NO_SDK_INTERNALS.check(main);
    }

    @Test
    void theAzureLayerSpeaksDomainTypes() {
        AZURE_SPEAKS_DOMAIN_TYPES.check(main);
    }

    @Test
    void noConstructorOrMethodTakesMoreThanEightParameters() {
        AT_MOST_EIGHT_PARAMETERS.check(main);
    }

    /** The emulator's classes say what they emulate: none shares a simple name with an app class, so a reader never confuses them. */
    @Test
    void emulatorAndAppShareNoClassName() {
        JavaClasses emulator = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(APP + ".emulator");
        Set<String> app = names(main);
        Set<String> shared = new TreeSet<>(names(emulator));
        shared.retainAll(app);
        assertEquals(Set.of(), shared, "simple names used by both the app and the emulator");
    }

    private static Set<String> names(JavaClasses classes) {
        return classes.stream().filter(c -> c.isTopLevelClass()).map(JavaClass::getSimpleName).collect(Collectors.toSet());
    }
}
