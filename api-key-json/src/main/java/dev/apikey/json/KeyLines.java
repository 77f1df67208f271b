package dev.apikey.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads an import file into numbered lines, each a JSON object or the reason it is not one: JSON lines (one object a
 * line, each under {@link KeyJson}'s limits) or CSV (RFC 4180: a header row, fields in double quotes may hold commas,
 * line breaks and doubled quotes) with caps on a record's length, its fields and their length. A CSV record becomes
 * an object of its header's names and its non-empty cells as strings. Never quotes the input in a reason: a line may
 * hold a plaintext key.
 *
 * <p>Thread-safe; static methods only.
 */
public final class KeyLines {

    /** Most lines (JSON lines) or records (CSV) one file may hold. */
    public static final int MAX_LINES = 1_000_000;
    /** Longest line or record, in characters. */
    public static final int MAX_LINE_CHARS = (int) KeyJson.MAX_DOCUMENT_BYTES;
    /** Most fields of a CSV record. */
    public static final int MAX_FIELDS = 64;
    /** Longest CSV field, in characters. */
    public static final int MAX_FIELD_CHARS = KeyJson.MAX_STRING_LENGTH;

    private KeyLines() {
    }

    /**
     * One line of the input: its object, or why it has none.
     *
     * @param number the line (JSON lines) or the line the record starts on (CSV), from 1
     * @param node   the object, or {@code null} when the line is refused
     * @param error  why the line is refused, or {@code null}
     */
    public record Line(long number, ObjectNode node, String error) {
    }

    /** The input's format. */
    public enum Format {
        /** One JSON object a line. */
        JSONL,
        /** RFC 4180 CSV with a header row. */
        CSV;

        /**
         * {@return the format a file name says: {@code .csv} is CSV, anything else JSON lines}
         *
         * @param fileName the name
         */
        public static Format of(String fileName) {
            return fileName.toLowerCase(Locale.ROOT).endsWith(".csv") ? CSV : JSONL;
        }
    }

    /**
     * Reads every line of the input.
     *
     * @param in     the input, UTF-8; not closed
     * @param format its format
     * @return its lines, blank lines left out
     * @throws IllegalArgumentException if the input as a whole breaks a rule (too many lines, not UTF-8, a CSV
     *                                  without a header), naming the line
     */
    public static List<Line> read(InputStream in, Format format) {
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        try {
            return format == Format.CSV ? csv(new Chars(reader)) : jsonLines(new Chars(reader));
        } catch (IOException e) {
            throw e instanceof java.nio.charset.CharacterCodingException
                    ? new IllegalArgumentException("the input is not UTF-8") : new UncheckedIOException(e);
        }
    }

    private static List<Line> jsonLines(Chars in) throws IOException {
        List<Line> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        long number = 0;
        boolean tooLong = false;
        for (int c = in.next(); ; c = in.next()) {
            if (c == '\n' || c == -1) {
                number++;
                if (tooLong) {
                    out.add(new Line(number, null, "the line is longer than " + MAX_LINE_CHARS + " characters"));
                } else if (!line.toString().isBlank()) {
                    out.add(jsonLine(number, line.toString()));
                }
                requireCount(out.size(), number);
                line.setLength(0);
                tooLong = false;
                if (c == -1) {
                    return out;
                }
            } else if (line.length() >= MAX_LINE_CHARS) {
                tooLong = true;
            } else {
                line.append((char) c);
            }
        }
    }

    private static Line jsonLine(long number, String text) {
        try {
            JsonNode node = KeyJson.parse(text.getBytes(StandardCharsets.UTF_8), "a JSON object");
            return node.isObject() ? new Line(number, (ObjectNode) node, null)
                    : new Line(number, null, "the line must be a JSON object");
        } catch (JsonRefusal e) {
            return new Line(number, null, e.getMessage());
        }
    }

    private static List<Line> csv(Chars in) throws IOException {
        List<Line> out = new ArrayList<>();
        Csv csv = new Csv(in);
        List<String> header = csv.record();
        if (header == null || header.stream().allMatch(String::isEmpty)) {
            throw new IllegalArgumentException("line 1: a CSV import needs a header row naming its columns");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || !names.add(name)) {
                throw new IllegalArgumentException("line 1: column " + (i + 1) + " of the header must be a name, "
                        + "each name once");
            }
            header.set(i, name);
        }
        while (true) {
            long number = csv.line;
            List<String> cells;
            try {
                cells = csv.record();
            } catch (Csv.BadRecord e) {
                out.add(new Line(number, null, e.getMessage()));
                continue;
            }
            if (cells == null) {
                return out;
            }
            requireCount(out.size(), number);
            if (cells.size() == 1 && cells.get(0).isEmpty()) {
                continue;
            }
            if (cells.size() != header.size()) {
                out.add(new Line(number, null, "the record has " + cells.size() + " fields; the header has "
                        + header.size()));
                continue;
            }
            ObjectNode node = KeyJson.mapper().createObjectNode();
            for (int i = 0; i < cells.size(); i++) {
                if (!cells.get(i).isEmpty()) {
                    node.put(header.get(i), cells.get(i));
                }
            }
            out.add(new Line(number, node, null));
        }
    }

    private static void requireCount(int lines, long number) {
        if (lines > MAX_LINES) {
            throw new IllegalArgumentException("line " + number + ": an import holds at most " + MAX_LINES + " keys; "
                    + "split the file");
        }
    }

    /** Characters with one character of push-back. */
    private static final class Chars {
        private final Reader in;
        private int back = -2;

        Chars(Reader in) {
            this.in = in;
        }

        int next() throws IOException {
            if (back != -2) {
                int c = back;
                back = -2;
                return c;
            }
            return in.read();
        }

        void unread(int c) {
            back = c;
        }
    }

    /** RFC 4180 records, CRLF or LF, counting physical lines. */
    private static final class Csv {
        private final Chars in;
        long line = 1;
        private boolean ended;

        Csv(Chars in) {
            this.in = in;
        }

        /** A record that breaks a cap or RFC 4180; the reader has skipped to its end. */
        static final class BadRecord extends IOException {
            private static final long serialVersionUID = 1L;

            BadRecord(String message) {
                super(message);
            }
        }

        /** {@return the next record's fields, or null at the end} */
        List<String> record() throws IOException {
            if (ended) {
                return null;
            }
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            int length = 0;
            String bad = null;
            boolean quoted = false;
            boolean wasQuoted = false;
            boolean any = false;
            while (true) {
                int c = in.next();
                if (c == -1) {
                    ended = true;
                    if (quoted) {
                        throw new BadRecord("field " + (fields.size() + 1) + " opens a quote that is never closed");
                    }
                    if (!any) {
                        return null;
                    }
                    return finish(fields, field, bad);
                }
                any = true;
                length++;
                if (length > MAX_LINE_CHARS && bad == null) {
                    bad = "the record is longer than " + MAX_LINE_CHARS + " characters";
                }
                if (quoted) {
                    if (c == '"') {
                        int d = in.next();
                        if (d == '"') {
                            append(field, '"');
                        } else {
                            quoted = false;
                            in.unread(d);
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        append(field, (char) c);
                    }
                } else if (c == '"' && (field.length() > 0 || wasQuoted)) {
                    // Taken as a character, so that one stray quote spoils its record and not the rest of the file.
                    bad = bad != null ? bad : "field " + (fields.size() + 1)
                            + " has a quote inside an unquoted field (RFC 4180: quote the whole field, double the quote)";
                    append(field, '"');
                } else if (c == '"') {
                    quoted = true;
                    wasQuoted = true;
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                    wasQuoted = false;
                    if (fields.size() > MAX_FIELDS && bad == null) {
                        bad = "the record has more than " + MAX_FIELDS + " fields";
                    }
                } else if (c == '\r') {
                    int d = in.next();
                    if (d != '\n') {
                        in.unread(d);
                    }
                    line++;
                    return finish(fields, field, bad);
                } else if (c == '\n') {
                    line++;
                    return finish(fields, field, bad);
                } else {
                    if (wasQuoted && bad == null) {
                        bad = "field " + (fields.size() + 1) + " has text after its closing quote";
                    }
                    append(field, (char) c);
                }
                if (field.length() > MAX_FIELD_CHARS && bad == null) {
                    bad = "field " + (fields.size() + 1) + " is longer than " + MAX_FIELD_CHARS + " characters";
                }
            }
        }

        private static void append(StringBuilder field, char c) {
            if (field.length() <= MAX_FIELD_CHARS) {
                field.append(c);
            }
        }

        private static List<String> finish(List<String> fields, StringBuilder field, String bad) throws BadRecord {
            fields.add(field.toString());
            if (bad != null) {
                throw new BadRecord(bad);
            }
            return fields;
        }
    }
}
