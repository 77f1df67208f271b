package dev.apikey.spring;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/** The build check that the starter's packages (auto-configuration, security, health, metrics) form no cycle. */
class PackageCyclesTest {

    static {
        // ArchUnit says at INFO which Java it found and where its properties are: keep the green build quiet.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.tngtech.archunit"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
    }

    private static final JavaClasses STARTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.apikey.spring");

    @Test
    void theStartersPackagesFormNoCycle() {
        assertThat(STARTER.stream().map(JavaClass::getPackageName).distinct()).hasSizeGreaterThanOrEqualTo(4);
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                return SliceIdentifier.of(javaClass.getPackageName());
            }

            @Override
            public String getDescription() {
                return "the packages of dev.apikey.spring";
            }
        }).should().beFreeOfCycles().check(STARTER);
    }
}
