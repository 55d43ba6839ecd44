package com.mdeonboarding.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.mdeonboarding.config.Scope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Evaluates the subset of the ARM template expression language the tests need: string and number
 * literals, parameters() (default value unless overridden), variables(), format(), concat(), if(),
 * equals(), toLower(), toUpper(), length(), createArray(), property access and indexing. Anything
 * that needs a real deployment (resourceGroup(), reference(), uniqueString(), ...) throws
 * {@link Unresolvable}, so a test never silently compares against a guess.
 */
final class ArmExpression {
    static final class Unresolvable extends RuntimeException {
        Unresolvable(String message) {
            super(message);
        }
    }

    private final ArmTemplate.Scope scope;
    private final Set<String> evaluating;
    private String src;
    private int pos;

    ArmExpression(ArmTemplate.Scope scope) {
        this(scope, new HashSet<>());
    }

    private ArmExpression(ArmTemplate.Scope scope, Set<String> evaluating) {
        this.scope = scope;
        this.evaluating = evaluating;
    }

    /** A template string: an expression in [...], an escaped literal [[...], or a plain literal. */
    JsonNode evaluate(String value) {
        if (value.startsWith("[[")) {
            return TextNode.valueOf(value.substring(1));
        }
        if (!ArmTemplate.isExpression(value)) {
            return TextNode.valueOf(value);
        }
        ArmExpression parser = new ArmExpression(scope, evaluating);
        parser.src = value.substring(1, value.length() - 1);
        parser.pos = 0;
        JsonNode result = parser.expression(true);
        parser.skipSpaces();
        if (parser.pos != parser.src.length()) {
            throw new IllegalArgumentException("unexpected text at " + parser.pos + " in " + value);
        }
        return result;
    }

    JsonNode evaluateDeep(JsonNode value) {
        if (value.isTextual()) {
            return evaluate(value.asText());
        }
        if (value.isArray()) {
            ArrayNode out = ArmTemplate.JSON.createArrayNode();
            value.forEach(v -> out.add(evaluateDeep(v)));
            return out;
        }
        if (value.isObject()) {
            ObjectNode out = ArmTemplate.object();
            value.fields().forEachRemaining(f -> out.set(evaluate(f.getKey()).asText(), evaluateDeep(f.getValue())));
            return out;
        }
        return value;
    }

    // expression := primary ( '.' name | '[' expression ']' )*
    // When run is false the expression is only parsed (the branch of if() that is not taken).
    private JsonNode expression(boolean run) {
        JsonNode value = primary(run);
        while (true) {
            skipSpaces();
            if (peek('.')) {
                pos++;
                String name = identifier();
                if (run) {
                    if (!value.isObject() || !value.has(name)) {
                        throw new Unresolvable("no property '" + name + "' in " + value);
                    }
                    value = value.get(name);
                }
            } else if (peek('[')) {
                pos++;
                JsonNode index = expression(run);
                expect(']');
                if (run) {
                    value = value.isArray() ? value.get(index.asInt()) : value.get(index.asText());
                    if (value == null) {
                        throw new Unresolvable("index " + index + " not found");
                    }
                }
            } else {
                return value;
            }
        }
    }

    private JsonNode primary(boolean run) {
        skipSpaces();
        if (peek('\'')) {
            return TextNode.valueOf(stringLiteral());
        }
        if (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '-')) {
            int start = pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                pos++;
            }
            return IntNode.valueOf(Integer.parseInt(src.substring(start, pos)));
        }
        String name = identifier();
        expect('(');
        String fn = name.toLowerCase(Locale.ROOT);
        List<JsonNode> args = new ArrayList<>();
        skipSpaces();
        if (fn.equals("if")) {
            JsonNode condition = expression(run);
            expect(',');
            boolean take = run && condition.asBoolean();
            JsonNode whenTrue = expression(run && take);
            expect(',');
            JsonNode whenFalse = expression(run && !take);
            expect(')');
            return run ? (take ? whenTrue : whenFalse) : TextNode.valueOf("");
        }
        while (!peek(')')) {
            args.add(expression(run));
            skipSpaces();
            if (peek(',')) {
                pos++;
            }
            skipSpaces();
        }
        expect(')');
        return run ? call(fn, args) : TextNode.valueOf("");
    }

    private JsonNode call(String fn, List<JsonNode> args) {
        switch (fn) {
            case "parameters": {
                String name = args.get(0).asText();
                if (scope.overrides.containsKey(name)) {
                    return scope.overrides.get(name);
                }
                JsonNode p = scope.template.path("parameters").path(name);
                if (p.isMissingNode()) {
                    throw new IllegalArgumentException("parameter '" + name + "' is not declared");
                }
                if (!p.has("defaultValue")) {
                    throw new Unresolvable("parameter '" + name + "' has no default value");
                }
                return guarded("parameters:" + name, () -> evaluateDeep(p.get("defaultValue")));
            }
            case "variables": {
                String name = args.get(0).asText();
                JsonNode v = scope.template.path("variables").path(name);
                if (v.isMissingNode()) {
                    throw new IllegalArgumentException("variable '" + name + "' is not declared");
                }
                return guarded("variables:" + name, () -> evaluateDeep(v));
            }
            case "format": {
                String out = args.get(0).asText();
                for (int i = 1; i < args.size(); i++) {
                    out = out.replace("{" + (i - 1) + "}", text(args.get(i)));
                }
                return TextNode.valueOf(out);
            }
            case "concat": {
                if (!args.isEmpty() && args.get(0).isArray()) {
                    ArrayNode out = ArmTemplate.JSON.createArrayNode();
                    args.forEach(a -> a.forEach(out::add));
                    return out;
                }
                StringBuilder sb = new StringBuilder();
                args.forEach(a -> sb.append(text(a)));
                return TextNode.valueOf(sb.toString());
            }
            case "createarray": {
                ArrayNode out = ArmTemplate.JSON.createArrayNode();
                args.forEach(out::add);
                return out;
            }
            case "equals":
                return BooleanNode.valueOf(args.get(0).equals(args.get(1)));
            case "tolower":
                return TextNode.valueOf(args.get(0).asText().toLowerCase(Locale.ROOT));
            case "toupper":
                return TextNode.valueOf(args.get(0).asText().toUpperCase(Locale.ROOT));
            case "length":
                return IntNode.valueOf(args.get(0).isContainerNode() ? args.get(0).size() : args.get(0).asText().length());
            case "true":
                return BooleanNode.TRUE;
            case "false":
                return BooleanNode.FALSE;
            case "not":
                return BooleanNode.valueOf(!args.get(0).asBoolean());
            case "empty":
                return BooleanNode.valueOf(args.get(0).isContainerNode() ? args.get(0).isEmpty() : args.get(0).asText().isEmpty());
            case "string":
                return TextNode.valueOf(text(args.get(0)));
            default:
                throw new Unresolvable(fn + "() needs a real deployment");
        }
    }

    private JsonNode guarded(String key, java.util.function.Supplier<JsonNode> body) {
        if (!evaluating.add(key)) {
            throw new IllegalArgumentException("circular reference through " + key);
        }
        try {
            return body.get();
        } finally {
            evaluating.remove(key);
        }
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : n.toString();
    }

    private String stringLiteral() {
        expect('\'');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                throw new IllegalArgumentException("unterminated string in " + src);
            }
            char c = src.charAt(pos++);
            if (c == '\'') {
                if (peek('\'')) {
                    sb.append('\'');
                    pos++;
                } else {
                    return sb.toString();
                }
            } else {
                sb.append(c);
            }
        }
    }

    private String identifier() {
        skipSpaces();
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos) {
            throw new IllegalArgumentException("expected a name at " + pos + " in " + src);
        }
        return src.substring(start, pos);
    }

    private void expect(char c) {
        skipSpaces();
        if (!peek(c)) {
            throw new IllegalArgumentException("expected '" + c + "' at " + pos + " in " + src);
        }
        pos++;
    }

    private boolean peek(char c) {
        return pos < src.length() && src.charAt(pos) == c;
    }

    private void skipSpaces() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
    }
}
