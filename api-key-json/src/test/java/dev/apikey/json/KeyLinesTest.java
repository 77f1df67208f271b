package dev.apikey.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading import files: JSON lines under the codec's limits, RFC 4180 CSV with caps, each refusal by line. */
class KeyLinesTest {

    private static List<KeyLines.Line> read(String text, KeyLines.Format format) {
        return KeyLines.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), format);
    }

    @Test
    void jsonLinesAreNumberedBlankLinesSkippedAndEachBadLineSaysWhy() {
        List<KeyLines.Line> lines = read("{\"a\": \"1\"}\n\n{\"a\": 1, \"a\": 2}\n" + "[".repeat(40) + "\n{\"a\"",
                KeyLines.Format.JSONL);

        assertThat(lines).extracting(KeyLines.Line::number).containsExactly(1L, 3L, 4L, 5L);
        assertThat(lines.get(0).node().get("a").asText()).isEqualTo("1");
        assertThat(lines.get(1).error()).contains("member twice");
        assertThat(lines.get(2).error()).contains("levels of nesting");
        assertThat(lines.get(3).error()).contains("not valid JSON");
    }

    @Test
    void csvFollowsRfc4180AndCountsPhysicalLinesOfMultiLineRecords() {
        List<KeyLines.Line> lines = read("name,key\r\n\"a, \"\"b\"\"\nc\",k1\r\nplain,k2\nbad\"quote,k3\n"
                + "x,y,z\n", KeyLines.Format.CSV);

        assertThat(lines).extracting(KeyLines.Line::number).containsExactly(2L, 4L, 5L, 6L);
        assertThat(lines.get(0).node().get("name").asText()).isEqualTo("a, \"b\"\nc");
        assertThat(lines.get(1).node().get("key").asText()).isEqualTo("k2");
        assertThat(lines.get(2).error()).contains("quote inside an unquoted field");
        assertThat(lines.get(3).error()).isEqualTo("the record has 3 fields; the header has 2");
    }

    @Test
    void csvCapsRefuseTheRecordNotTheFileAndAHeaderIsRequired() {
        String wide = "a" + ",x".repeat(KeyLines.MAX_FIELDS + 1);
        List<KeyLines.Line> lines = read("name,key\n" + wide + "\n" + "y".repeat(KeyLines.MAX_FIELD_CHARS + 1)
                + ",k\nok,k\n", KeyLines.Format.CSV);

        assertThat(lines.get(0).error()).contains("more than " + KeyLines.MAX_FIELDS + " fields");
        assertThat(lines.get(1).error()).contains("longer than " + KeyLines.MAX_FIELD_CHARS);
        assertThat(lines.get(2).node().get("name").asText()).isEqualTo("ok");
        assertThatIllegalArgumentException().isThrownBy(() -> read("\n", KeyLines.Format.CSV))
                .withMessageContaining("header row");
        assertThatIllegalArgumentException().isThrownBy(() -> read("name,name\n", KeyLines.Format.CSV))
                .withMessageContaining("each name once");
    }
}
