package dev.apikey.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.TestKeys;
import dev.apikey.internal.ScopeBits;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Compiled scope sets agree with the implication model. A class of its own: the jqwik and Jupiter engines
 * both report a class, and surefire keeps one report per class name.
 */
class ScopeBitsPropertiesTest {

    private static final ScopeCatalog CATALOG = TestKeys.SCOPES;

    @Provide
    Arbitrary<Set<String>> scopeSets() {
        return Arbitraries.of(CATALOG.scopes().stream().map(Scope::name).toList()).set().ofMaxSize(4);
    }

    @Property(tries = 300)
    void compiledBitsAgreeWithTheImplicationModel(@ForAll("scopeSets") Set<String> held) {
        ScopeBits bits = CATALOG.compile(held);
        for (Scope wanted : CATALOG.scopes()) {
            boolean model = held.stream().anyMatch(h -> CATALOG.find(h).orElseThrow().implies(wanted));
            assertThat(bits.has(CATALOG.bitOf(wanted.name()))).as(held + " grants " + wanted.name()).isEqualTo(model);
        }
    }

    @Property(tries = 300)
    void compilingAUnionIsTheUnionOfCompiledSets(@ForAll("scopeSets") Set<String> a,
            @ForAll("scopeSets") Set<String> b) {
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        ScopeBits ab = CATALOG.compile(union);
        ScopeBits orred = CATALOG.compile(a).or(CATALOG.compile(b));
        for (Scope s : CATALOG.scopes()) {
            int bit = CATALOG.bitOf(s.name());
            assertThat(ab.has(bit)).isEqualTo(orred.has(bit));
        }
    }
}
