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
}
