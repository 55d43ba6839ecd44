package com.mdeonboarding.model;

/** Echoing caller input into logs and problem details, safely. */
public final class Text {
    private Text() {
    }

    /**
     * Escapes control, line-separator and invisible format characters (bidi overrides, zero-width) as
     * {@code \\uXXXX} and caps the length, so hostile input can neither forge log lines nor hide
     * what it really is.
     */
    public static String printable(String s, int max) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            int type = Character.getType(c);
            boolean hidden = Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.UNASSIGNED;
            b.append(hidden ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return i < s.length() ? b + "..." : b.toString();
    }

    public static String printable(String s) {
        return printable(s, 200);
    }

    /**
     * As {@link #printable(String, int)}, keeping the <em>end</em> of a long text (an installer's log ends with its error):
     * {@code "..."} and at most {@code max} escaped characters.
     */
    public static String printableTail(String s, int max) {
        if (s == null) {
            return "null";
        }
        boolean cut = s.length() > max;
        String escaped = printable(cut ? s.substring(s.length() - max) : s, Integer.MAX_VALUE);
        int from = Math.max(0, escaped.length() - max);
        // Never start inside an escape (six characters: backslash, u, four hex digits): its tail would read as text.
        int escape = from == 0 ? -1 : escaped.lastIndexOf("\\u", from);
        if (escape >= 0 && escape > from - 6) {
            from = escape + 6;
        }
        return (cut || from > 0 ? "..." : "") + escaped.substring(from);
    }
}
