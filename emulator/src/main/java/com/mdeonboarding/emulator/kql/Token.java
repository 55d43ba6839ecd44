package com.mdeonboarding.emulator.kql;

/**
 * One lexical token. {@code start}/{@code end} are offsets in the query text, so the parser can tell
 * {@code project-away} (adjacent) from {@code project - away}.
 */
record Token(Kind kind, String text, String value, int start, int end, int line, int column) {
    enum Kind {
        IDENT, STRING, LONG, REAL, PUNCT, EOF
    }

    boolean is(String punctOrWord) {
        return (kind == Kind.PUNCT || kind == Kind.IDENT) && text.equals(punctOrWord);
    }

    boolean isWord(String word) {
        return kind == Kind.IDENT && text.equals(word);
    }
}
