package com.mdeonboarding.emulator.kql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits KQL text into tokens: identifiers, string literals ('...' and "..." with backslash escapes, verbatim
 * {@code @'...'}), numbers, punctuation; {@code //} comments are skipped. Operators spelt with letters and
 * signs ({@code in~}, {@code !in}, {@code !has_cs}, ...) come out as one token.
 * String literal syntax: https://learn.microsoft.com/kusto/query/scalar-data-types/string
 */
final class Lexer {
    private static final String[] PUNCT = {"==", "!=", "=~", "!~", "<=", ">=", "|", "(", ")", "[", "]", "{", "}", ",",
        ".", "=", "<", ">", "+", "-", "*", "/", "%", ";", ":", "$", "~", "!", "@", "?"};

    private final String text;
    private int pos;
    private int line = 1;
    private int lineStart;

    private Lexer(String text) {
        this.text = text;
    }

    static List<Token> tokens(String text) {
        return new Lexer(text).run();
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (pos >= text.length()) {
                out.add(new Token(Token.Kind.EOF, "<end of query>", null, pos, pos, line, pos - lineStart));
                return out;
            }
            out.add(next());
        }
    }

    private void skipSpaceAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '/' && pos + 1 < text.length() && text.charAt(pos + 1) == '/') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private Token next() {
        int start = pos;
        int column = pos - lineStart;
        char c = text.charAt(pos);
        if (c == '\'' || c == '"') {
            return quoted(start, column, false);
        }
        if (c == '@' && pos + 1 < text.length() && (text.charAt(pos + 1) == '\'' || text.charAt(pos + 1) == '"')) {
            pos++;
            return quoted(start, column, true);
        }
        if (Character.isDigit(c)) {
            return number(start, column);
        }
        if (isIdentStart(c)) {
            while (pos < text.length() && isIdentPart(text.charAt(pos))) {
                pos++;
            }
            if (text.startsWith("in", start) && pos - start == 2 && pos < text.length() && text.charAt(pos) == '~') {
                pos++;
            }
            return token(Token.Kind.IDENT, start, column, null);
        }
        if (c == '!' && pos + 1 < text.length() && isIdentStart(text.charAt(pos + 1))) {
            // !in, !in~, !has, !contains_cs, ...: one negated operator token.
            pos++;
            while (pos < text.length() && isIdentPart(text.charAt(pos))) {
                pos++;
            }
            if (text.startsWith("!in", start) && pos - start == 3 && pos < text.length() && text.charAt(pos) == '~') {
                pos++;
            }
            return token(Token.Kind.IDENT, start, column, null);
        }
        for (String p : PUNCT) {
            if (text.startsWith(p, pos)) {
                pos += p.length();
                return token(Token.Kind.PUNCT, start, column, null);
            }
        }
        pos++;
        throw KqlException.at(KqlException.Reason.SYNTAX_ERROR, token(Token.Kind.PUNCT, start, column, null),
                "Unexpected character '" + c + "'");
    }

    private Token quoted(int start, int column, boolean verbatim) {
        char quote = text.charAt(pos++);
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= text.length() || text.charAt(pos) == '\n') {
                throw KqlException.at(KqlException.Reason.SYNTAX_ERROR, token(Token.Kind.STRING, start, column, null),
                        "Unterminated string literal");
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                if (verbatim && pos < text.length() && text.charAt(pos) == quote) {
                    value.append(quote);
                    pos++;
                    continue;
                }
                return token(Token.Kind.STRING, start, column, value.toString());
            }
            if (c == '\\' && !verbatim) {
                if (pos >= text.length()) {
                    continue;
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case 'r' -> value.append('\r');
                    case '\\', '\'', '"' -> value.append(e);
                    default -> throw KqlException.at(KqlException.Reason.SYNTAX_ERROR,
                            token(Token.Kind.STRING, start, column, null), "Unsupported escape '\\" + e + "' in a string literal");
                }
                continue;
            }
            value.append(c);
        }
    }

    private Token number(int start, int column) {
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        boolean real = false;
        if (pos + 1 < text.length() && text.charAt(pos) == '.' && Character.isDigit(text.charAt(pos + 1))) {
            real = true;
            pos++;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                real = true;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        if (pos < text.length() && isIdentStart(text.charAt(pos))) {
            // 10m, 1d, 0x1F: timespans and hex literals are KQL the evaluator does not implement.
            while (pos < text.length() && isIdentPart(text.charAt(pos))) {
                pos++;
            }
            throw KqlException.at(KqlException.Reason.NOT_IMPLEMENTED, token(Token.Kind.REAL, start, column, null),
                    "The emulator's KQL evaluator does not implement the literal '" + text.substring(start, pos) + "'");
        }
        return token(real ? Token.Kind.REAL : Token.Kind.LONG, start, column, null);
    }

    private Token token(Token.Kind kind, int start, int column, String value) {
        return new Token(kind, text.substring(start, pos), value, start, pos, line, column);
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
