package dev.jwq.tool;

import java.util.ArrayDeque;
import java.util.Deque;

/** A small streaming JSON writer: enough for the tool's output, with correct string escaping. */
final class Json {
    private final StringBuilder out = new StringBuilder();
    /** Per open container: whether it already has a member (so the next one needs a comma). */
    private final Deque<boolean[]> open = new ArrayDeque<>();
    private boolean afterName;

    Json beginObject() {
        separate();
        out.append('{');
        open.push(new boolean[1]);
        return this;
    }

    Json endObject() {
        open.pop();
        out.append('}');
        return this;
    }

    Json beginArray() {
        separate();
        out.append('[');
        open.push(new boolean[1]);
        return this;
    }

    Json endArray() {
        open.pop();
        out.append(']');
        return this;
    }

    Json name(String name) {
        separate();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    Json value(String v) {
        separate();
        if (v == null) {
            out.append("null");
        } else {
            string(v);
        }
        return this;
    }

    Json value(long v) {
        separate();
        out.append(v);
        return this;
    }

    Json value(double v) {
        separate();
        out.append(Double.isFinite(v) ? Double.toString(v) : "null");
        return this;
    }

    Json value(boolean v) {
        separate();
        out.append(v);
        return this;
    }

    /** Appends {@code json}, already valid JSON text, as one value. */
    Json raw(String json) {
        separate();
        out.append(json);
        return this;
    }

    Json field(String name, String v) {
        return name(name).value(v);
    }

    Json field(String name, long v) {
        return name(name).value(v);
    }

    Json field(String name, boolean v) {
        return name(name).value(v);
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        boolean[] first = open.peek();
        if (first != null) {
            if (first[0]) {
                out.append(',');
            }
            first[0] = true;
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                // '<' and '>' escaped so the text is safe inside an HTML <script> element
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
