package dev.apikey.layers;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The build check of the core's packages (docs/ARCHITECTURE.md, "Packages"): they form layers, and no package
 * reaches back up. A new dependency that closes a cycle fails this test, naming the classes.
 */
class PackageLayersTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.apikey");

    /** Each package is a slice of its own, the root package included. */
    private static final SliceAssignment BY_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            return SliceIdentifier.of(javaClass.getPackageName());
        }

        @Override
        public String getDescription() {
            return "the packages of dev.apikey";
        }
    };

    @Test
    void theImportSeesEveryPackageOfTheCore() {
        assertThat(CORE.stream().map(JavaClass::getPackageName).distinct())
                .contains("dev.apikey", "dev.apikey.model", "dev.apikey.spi", "dev.apikey.internal", "dev.apikey.hash");
    }

    @Test
    void noPackageCycle() {
        slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(CORE);
    }

    @Test
    void valuesThenSpiThenEngineAndFacade() {
        Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Facade and engine").definedBy("dev.apikey")
                .layer("Hashers").definedBy("dev.apikey.hash")
                .layer("SPI").definedBy("dev.apikey.spi")
                .layer("Values").definedBy("dev.apikey.model")
                .layer("Utilities").definedBy("dev.apikey.internal")
                .whereLayer("Facade and engine").mayNotBeAccessedByAnyLayer()
                .whereLayer("Hashers").mayOnlyBeAccessedByLayers("Facade and engine")
                .whereLayer("SPI").mayOnlyBeAccessedByLayers("Hashers", "Facade and engine")
                .whereLayer("Values").mayOnlyBeAccessedByLayers("SPI", "Hashers", "Facade and engine")
                .whereLayer("Utilities").mayOnlyBeAccessedByLayers("Values", "SPI", "Hashers", "Facade and engine")
                .check(CORE);
    }
}
