package com.mdeonboarding.emulator.kql;

import static com.mdeonboarding.emulator.kql.KqlException.Reason.NOT_IMPLEMENTED;
import static com.mdeonboarding.emulator.kql.KqlException.Reason.SEMANTIC_ERROR;
import static com.mdeonboarding.emulator.kql.KqlException.Reason.SYNTAX_ERROR;
import static com.mdeonboarding.emulator.kql.KqlException.Reason.UNSUPPORTED_BY_RESOURCE_GRAPH;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recursive-descent parser for the KQL subset (see {@link KqlQuery}). Refuses, naming the token, whatever it
 * does not implement, so no query is ever answered with a silently wrong result.
 */
final class Parser {
    /**
     * Tabular operators Resource Graph supports ("Supported tabular/top level operators", MicrosoftDocs/azure-docs
     * articles/governance/resource-graph/concepts/query-language.md). Anything else is refused as Resource Graph
     * refuses it; of these, the evaluator implements where, project, extend, join, summarize, order/sort, take/limit.
     */
    static final Set<String> RESOURCE_GRAPH_OPERATORS = Set.of("count", "distinct", "extend", "join", "limit",
            "mvexpand", "mv-expand", "order", "parse", "project", "project-away", "sort", "summarize", "take", "top",
            "union", "where");
    /** Join flavors Resource Graph supports (same page); fullouter is listed in newer versions of it. */
    static final Set<String> RESOURCE_GRAPH_JOIN_KINDS = Set.of("innerunique", "inner", "leftouter", "fullouter");
    /** Scalar operators of KQL the evaluator recognises but does not implement, so the error names them. */
    private static final Set<String> UNIMPLEMENTED_WORD_OPERATORS = Set.of("hasprefix", "hassuffix", "has_any",
            "has_all", "matches", "between", "!between", "!hasprefix", "!hassuffix", "hasprefix_cs", "hassuffix_cs",
            "!hasprefix_cs", "!hassuffix_cs", "like", "notlike", "contains_any");
    private static final Set<String> STRING_OPERATORS = Set.of("has", "!has", "has_cs", "!has_cs", "contains",
            "!contains", "contains_cs", "!contains_cs", "startswith", "!startswith", "startswith_cs", "!startswith_cs",
            "endswith", "!endswith", "endswith_cs", "!endswith_cs");

    private final List<Token> tokens;
    private int i;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static Ast.Pipeline parse(String text) {
        return new Parser(Lexer.tokens(text)).query();
    }

    private Ast.Pipeline query() {
        if (peek().isWord("let") || peek().isWord("declare") || peek().isWord("set")) {
            throw KqlException.at(NOT_IMPLEMENTED, peek(), "The emulator's KQL evaluator does not implement '"
                    + peek().text() + "' statements");
        }
        if (peek().kind() == Token.Kind.EOF) {
            throw KqlException.at(SYNTAX_ERROR, peek(), "The query is empty");
        }
        Ast.Pipeline p = pipeline(true);
        if (peek().is(";")) {
            throw KqlException.at(NOT_IMPLEMENTED, peek(), "The emulator's KQL evaluator runs one tabular expression; "
                    + "it does not implement ';'-separated statements");
        }
        if (peek().kind() != Token.Kind.EOF) {
            throw KqlException.at(SYNTAX_ERROR, peek(), "Unexpected '" + peek().text() + "'; expected '|' or the end of the query");
        }
        return p;
    }

    private Ast.Pipeline pipeline(boolean topLevel) {
        String table = null;
        Token tableToken = null;
        Ast.Pipeline nested = null;
        List<Ast.Operator> ops = new ArrayList<>();
        Token first = peek();
        if (first.is("(")) {
            next();
            nested = pipeline(false);
            expect(")");
        } else if (first.kind() == Token.Kind.IDENT && topLevel && isOperatorStart(first)) {
            // Resource Graph's default table: "Resources ... isn't required to provide the table name" (query-language.md).
            table = "resources";
            tableToken = first;
            ops.add(operator());
        } else if (first.kind() == Token.Kind.IDENT && !first.text().startsWith("!")) {
            next();
            tableToken = first;
            table = ResourceGraphTables.canonical(first.text()).orElseThrow(() -> KqlException.at(SEMANTIC_ERROR, first,
                    "The name '" + first.text() + "' does not refer to any known table (known: "
                            + String.join(", ", ResourceGraphTables.TABLES) + ")"));
        } else {
            throw KqlException.at(SYNTAX_ERROR, first, "Expected a table name, found '" + first.text() + "'");
        }
        while (peek().is("|")) {
            next();
            ops.add(operator());
        }
        return new Ast.Pipeline(table, tableToken, nested, List.copyOf(ops));
    }

    private boolean isOperatorStart(Token t) {
        String name = t.text();
        Token after = tokens.get(i + 1);
        if (after.is("|") || after.kind() == Token.Kind.EOF || after.is(")")) {
            return false; // "resources" alone, or a table followed by a pipe
        }
        return RESOURCE_GRAPH_OPERATORS.contains(name) || (after.is("-") && after.start() == t.end());
    }

    private Ast.Operator operator() {
        Token at = next();
        if (at.kind() != Token.Kind.IDENT) {
            throw KqlException.at(SYNTAX_ERROR, at, "Expected a tabular operator after '|', found '" + at.text() + "'");
        }
        String name = at.text();
        // project-away, mv-expand, top-nested ...: hyphenated operator names are written without spaces.
        while (peek().is("-") && peek().start() == tokens.get(i - 1).end() && tokens.get(i + 1).kind() == Token.Kind.IDENT
                && tokens.get(i + 1).start() == peek().end()) {
            next();
            name = name + "-" + next().text();
        }
        Token named = new Token(at.kind(), name, null, at.start(), at.start() + name.length(), at.line(), at.column());
        switch (name) {
            case "where":
                return new Ast.Where(named, expression());
            case "project":
                return new Ast.Project(named, items("project"));
            case "extend":
                return new Ast.Extend(named, items("extend"));
            case "join":
                return join(named);
            case "summarize":
                return summarize(named);
            case "order":
            case "sort":
                return sort(named);
            case "take":
            case "limit":
                return take(named);
            case "top":
                return top(named);
            default:
                if (RESOURCE_GRAPH_OPERATORS.contains(name)) {
                    throw KqlException.at(NOT_IMPLEMENTED, named, "The emulator's KQL evaluator does not implement the '"
                            + name + "' operator (Resource Graph supports it)");
                }
                throw KqlException.at(UNSUPPORTED_BY_RESOURCE_GRAPH, named, "'" + name
                        + "' is not a tabular operator Resource Graph supports (supported: count, distinct, extend, join, "
                        + "limit, mv-expand, order, parse, project, project-away, sort, summarize, take, top, union, where)");
        }
    }

    private List<Ast.Item> items(String operator) {
        List<Ast.Item> items = new ArrayList<>();
        do {
            items.add(item(operator));
        } while (accept(","));
        return List.copyOf(items);
    }

    private Ast.Item item(String operator) {
        Token t = peek();
        if (t.is("(")) {
            int save = i;
            next();
            if (peek().kind() == Token.Kind.IDENT && tokens.get(i + 1).is(",")) {
                throw KqlException.at(NOT_IMPLEMENTED, t, "The emulator's KQL evaluator does not implement naming several "
                        + "columns at once in '" + operator + "'");
            }
            i = save;
        }
        if (t.kind() == Token.Kind.IDENT && tokens.get(i + 1).is("=")) {
            next();
            next();
            return new Ast.Item(t.text(), expression());
        }
        return new Ast.Item(null, expression());
    }

    private Ast.Join join(Token at) {
        Ast.JoinKind kind = Ast.JoinKind.INNERUNIQUE; // the default flavor (join operator docs)
        while (peek().kind() == Token.Kind.IDENT && !peek().isWord("on")
                && (tokens.get(i + 1).is("=") || tokens.get(i + 1).is("."))) {
            Token param = next();
            if (param.isWord("kind")) {
                expect("=");
                Token k = next();
                String flavor = k.text().toLowerCase(Locale.ROOT);
                switch (flavor) {
                    case "innerunique" -> kind = Ast.JoinKind.INNERUNIQUE;
                    case "inner" -> kind = Ast.JoinKind.INNER;
                    case "leftouter" -> kind = Ast.JoinKind.LEFTOUTER;
                    default -> {
                        if (RESOURCE_GRAPH_JOIN_KINDS.contains(flavor)) {
                            throw KqlException.at(NOT_IMPLEMENTED, k, "The emulator's KQL evaluator does not implement join kind="
                                    + k.text() + " (it implements innerunique, inner, leftouter)");
                        }
                        throw KqlException.at(UNSUPPORTED_BY_RESOURCE_GRAPH, k, "Resource Graph does not support join kind="
                                + k.text() + " (supported: innerunique, inner, leftouter, fullouter)");
                    }
                }
            } else if (param.isWord("hint")) {
                // "Custom join strategies, such as broadcast join, aren't allowed" (query-language.md).
                throw KqlException.at(UNSUPPORTED_BY_RESOURCE_GRAPH, param, "Resource Graph does not allow join hints");
            } else {
                throw KqlException.at(SYNTAX_ERROR, param, "Unknown join parameter '" + param.text() + "'");
            }
        }
        Ast.Pipeline right;
        Token r = peek();
        if (r.is("(")) {
            next();
            right = pipeline(false);
            expect(")");
        } else if (r.kind() == Token.Kind.IDENT && !r.isWord("on")) {
            next();
            String table = ResourceGraphTables.canonical(r.text()).orElseThrow(() -> KqlException.at(SEMANTIC_ERROR, r,
                    "The name '" + r.text() + "' does not refer to any known table"));
            right = new Ast.Pipeline(table, r, null, List.of());
        } else {
            throw KqlException.at(SYNTAX_ERROR, r, "Expected the right side of join (a table or a parenthesised query), found '"
                    + r.text() + "'");
        }
        Token on = next();
        if (!on.isWord("on")) {
            throw KqlException.at(SYNTAX_ERROR, on, "Expected 'on' after the right side of join, found '" + on.text() + "'");
        }
        List<Ast.JoinKey> keys = new ArrayList<>();
        do {
            keys.add(joinKey());
        } while (accept(",") || accept("and"));
        return new Ast.Join(at, kind, right, List.copyOf(keys));
    }

    private Ast.JoinKey joinKey() {
        Token t = peek();
        if (t.kind() == Token.Kind.IDENT && !tokens.get(i + 1).is(".") && !tokens.get(i + 1).is("==")) {
            next();
            return new Ast.JoinKey(t, t.text(), t.text());
        }
        if (t.is("$")) {
            String[] first = sideRef();
            Token eq = next();
            if (!eq.is("==")) {
                throw KqlException.at(NOT_IMPLEMENTED, eq, "The emulator's KQL evaluator implements join conditions of the "
                        + "form $left.a == $right.b only; found '" + eq.text() + "'");
            }
            String[] second = sideRef();
            if (first[0].equals(second[0])) {
                throw KqlException.at(SEMANTIC_ERROR, t, "A join condition compares $left with $right");
            }
            return first[0].equals("left") ? new Ast.JoinKey(t, first[1], second[1]) : new Ast.JoinKey(t, second[1], first[1]);
        }
        throw KqlException.at(NOT_IMPLEMENTED, t, "The emulator's KQL evaluator implements join conditions 'on column' and "
                + "'on $left.a == $right.b' only; found '" + t.text() + "'");
    }

    private String[] sideRef() {
        expect("$");
        Token side = next();
        if (!side.isWord("left") && !side.isWord("right")) {
            throw KqlException.at(SYNTAX_ERROR, side, "Expected $left or $right, found '$" + side.text() + "'");
        }
        expect(".");
        Token column = next();
        if (column.kind() != Token.Kind.IDENT) {
            throw KqlException.at(SYNTAX_ERROR, column, "Expected a column name after $" + side.text() + ".");
        }
        return new String[] {side.text(), column.text()};
    }

    private Ast.Summarize summarize(Token at) {
        List<Ast.Item> aggregates = new ArrayList<>();
        if (!peek().isWord("by")) {
            do {
                Ast.Item item = item("summarize");
                if (!(item.expr() instanceof Ast.Call call)) {
                    throw KqlException.at(SEMANTIC_ERROR, item.expr().at(), "summarize needs aggregation functions before 'by'");
                }
                if (!call.function().equals("count")) {
                    throw KqlException.at(NOT_IMPLEMENTED, call.at(), "The emulator's KQL evaluator implements the aggregation "
                            + "count() only, not '" + call.function() + "'");
                }
                if (!call.args().isEmpty()) {
                    throw KqlException.at(NOT_IMPLEMENTED, call.at(), "The emulator's KQL evaluator implements count() without "
                            + "arguments only");
                }
                aggregates.add(item);
            } while (accept(","));
        }
        List<Ast.Item> by = List.of();
        if (peek().isWord("by")) {
            next();
            by = items("summarize");
        }
        return new Ast.Summarize(at, List.copyOf(aggregates), by);
    }

    private Ast.Sort sort(Token at) {
        return new Ast.Sort(at, sortKeys(at));
    }

    /** {@code top N by expr [asc|desc] [nulls first|last], ...}: the first N rows in that order (default desc, as sort). */
    private Ast.Top top(Token at) {
        Token n = next();
        if (n.kind() != Token.Kind.LONG) {
            throw KqlException.at(n.kind() == Token.Kind.EOF ? SYNTAX_ERROR : NOT_IMPLEMENTED, n,
                    "The emulator's KQL evaluator implements 'top' with a whole-number literal only; found '" + n.text() + "'");
        }
        long count = Long.parseLong(n.text());
        return new Ast.Top(at, count, sortKeys(at));
    }

    private List<Ast.SortKey> sortKeys(Token at) {
        Token by = next();
        if (!by.isWord("by")) {
            throw KqlException.at(SYNTAX_ERROR, by, "Expected 'by' after '" + at.text() + "', found '" + by.text() + "'");
        }
        List<Ast.SortKey> keys = new ArrayList<>();
        do {
            Ast.Expr e = expression();
            // Default order is descending; nulls first for asc, last for desc (sort operator docs,
            // https://learn.microsoft.com/kusto/query/sort-operator).
            boolean asc = false;
            if (accept("asc")) {
                asc = true;
            } else {
                accept("desc");
            }
            boolean nullsFirst = asc;
            if (accept("nulls")) {
                Token which = next();
                if (which.isWord("first")) {
                    nullsFirst = true;
                } else if (which.isWord("last")) {
                    nullsFirst = false;
                } else {
                    throw KqlException.at(SYNTAX_ERROR, which, "Expected 'first' or 'last' after 'nulls'");
                }
            }
            keys.add(new Ast.SortKey(e, asc, nullsFirst));
        } while (accept(","));
        return List.copyOf(keys);
    }

    private Ast.Take take(Token at) {
        Token n = next();
        if (n.kind() != Token.Kind.LONG) {
            throw KqlException.at(n.kind() == Token.Kind.EOF ? SYNTAX_ERROR : NOT_IMPLEMENTED, n,
                    "The emulator's KQL evaluator implements '" + at.text() + "' with a whole-number literal only; found '"
                            + n.text() + "'");
        }
        return new Ast.Take(at, Long.parseLong(n.text()));
    }

    // ---- scalar expressions: or < and < comparison < postfix < primary ----

    private Ast.Expr expression() {
        Ast.Expr left = and();
        while (peek().isWord("or")) {
            Token op = next();
            left = new Ast.Logical(op, false, left, and());
        }
        return left;
    }

    private Ast.Expr and() {
        Ast.Expr left = comparison();
        while (peek().isWord("and")) {
            Token op = next();
            left = new Ast.Logical(op, true, left, comparison());
        }
        return left;
    }

    private Ast.Expr comparison() {
        Ast.Expr left = arithmetic();
        Token op = peek();
        String o = op.text();
        if (op.kind() == Token.Kind.PUNCT && (o.equals("==") || o.equals("!=") || o.equals("=~") || o.equals("!~"))) {
            next();
            return new Ast.Compare(op, o, left, arithmetic());
        }
        if (op.kind() == Token.Kind.PUNCT && (o.equals("<") || o.equals("<=") || o.equals(">") || o.equals(">="))) {
            throw KqlException.at(NOT_IMPLEMENTED, op, "The emulator's KQL evaluator does not implement the operator '" + o + "'");
        }
        if (op.kind() == Token.Kind.IDENT) {
            if (STRING_OPERATORS.contains(o)) {
                next();
                return new Ast.Compare(op, o, left, arithmetic());
            }
            if (o.equals("in") || o.equals("in~") || o.equals("!in") || o.equals("!in~")) {
                next();
                expect("(");
                List<Ast.Expr> values = new ArrayList<>();
                if (!peek().is(")")) {
                    do {
                        values.add(expression());
                    } while (accept(","));
                }
                expect(")");
                return new Ast.In(op, o.startsWith("!"), o.endsWith("~"), left, List.copyOf(values));
            }
            if (UNIMPLEMENTED_WORD_OPERATORS.contains(o)) {
                throw KqlException.at(NOT_IMPLEMENTED, op, "The emulator's KQL evaluator does not implement the operator '" + o + "'");
            }
        }
        return left;
    }

    private Ast.Expr arithmetic() {
        Ast.Expr e = postfix();
        Token op = peek();
        if (op.kind() == Token.Kind.PUNCT && Set.of("+", "-", "*", "/", "%").contains(op.text())) {
            throw KqlException.at(NOT_IMPLEMENTED, op, "The emulator's KQL evaluator does not implement the arithmetic operator '"
                    + op.text() + "'");
        }
        return e;
    }

    private Ast.Expr postfix() {
        Ast.Expr e = primary();
        while (true) {
            Token t = peek();
            if (t.is(".")) {
                next();
                Token name = next();
                if (name.is("[")) {
                    e = bracket(name, e);
                } else if (name.kind() == Token.Kind.IDENT && !name.text().startsWith("!")) {
                    e = new Ast.Member(name, e, name.text());
                } else {
                    throw KqlException.at(SYNTAX_ERROR, name, "Expected a property name after '.', found '" + name.text() + "'");
                }
            } else if (t.is("[")) {
                next();
                e = bracket(t, e);
            } else {
                return e;
            }
        }
    }

    private Ast.Expr bracket(Token open, Ast.Expr target) {
        Token key = next();
        Ast.Expr e;
        if (key.kind() == Token.Kind.STRING) {
            e = new Ast.Member(key, target, key.value());
        } else if (key.kind() == Token.Kind.LONG) {
            e = new Ast.Index(key, target, Long.parseLong(key.text()));
        } else if (key.is("-") && tokens.get(i).kind() == Token.Kind.LONG) {
            throw KqlException.at(NOT_IMPLEMENTED, key, "The emulator's KQL evaluator does not implement negative array indexes");
        } else {
            throw KqlException.at(NOT_IMPLEMENTED, key, "The emulator's KQL evaluator implements [ ] with a string or "
                    + "whole-number literal only; found '" + key.text() + "'");
        }
        expect("]");
        return e;
    }

    private Ast.Expr primary() {
        Token t = next();
        switch (t.kind()) {
            case STRING:
                return new Ast.Literal(t, TextNode.valueOf(t.value()), Type.STRING);
            case LONG:
                return new Ast.Literal(t, LongNode.valueOf(parseLong(t, t.text())), Type.LONG);
            case REAL:
                return new Ast.Literal(t, DoubleNode.valueOf(Double.parseDouble(t.text())), Type.REAL);
            case EOF:
                throw KqlException.at(SYNTAX_ERROR, t, "The query ends where an expression was expected");
            default:
                break;
        }
        if (t.is("(")) {
            Ast.Expr e = expression();
            expect(")");
            return e;
        }
        if (t.is("-")) {
            Token n = next();
            if (n.kind() == Token.Kind.LONG && n.start() == t.end()) {
                return new Ast.Literal(t, LongNode.valueOf(parseLong(n, "-" + n.text())), Type.LONG);
            }
            if (n.kind() == Token.Kind.REAL && n.start() == t.end()) {
                return new Ast.Literal(t, DoubleNode.valueOf(-Double.parseDouble(n.text())), Type.REAL);
            }
            throw KqlException.at(NOT_IMPLEMENTED, t, "The emulator's KQL evaluator does not implement unary '-' "
                    + "except on a number literal");
        }
        if (t.kind() != Token.Kind.IDENT || t.text().startsWith("!")) {
            throw KqlException.at(SYNTAX_ERROR, t, "Unexpected '" + t.text() + "' where an expression was expected");
        }
        if (t.isWord("true") || t.isWord("false")) {
            return new Ast.Literal(t, BooleanNode.valueOf(t.isWord("true")), Type.BOOL);
        }
        if (peek().is("(")) {
            next();
            if (t.isWord("dynamic")) {
                Token inner = next();
                if (!inner.isWord("null")) {
                    throw KqlException.at(NOT_IMPLEMENTED, inner, "The emulator's KQL evaluator implements the dynamic literal "
                            + "dynamic(null) only");
                }
                expect(")");
                return new Ast.Literal(t, null, Type.DYNAMIC);
            }
            List<Ast.Expr> args = new ArrayList<>();
            if (!peek().is(")")) {
                do {
                    args.add(expression());
                } while (accept(","));
            }
            expect(")");
            return new Ast.Call(t, t.text(), List.copyOf(args));
        }
        if (t.isWord("and") || t.isWord("or") || t.isWord("by") || t.isWord("on")) {
            throw KqlException.at(SYNTAX_ERROR, t, "Unexpected '" + t.text() + "' where an expression was expected");
        }
        return new Ast.Column(t, t.text());
    }

    private long parseLong(Token at, String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw KqlException.at(SYNTAX_ERROR, at, "The number " + digits + " does not fit in a long");
        }
    }

    private Token peek() {
        return tokens.get(i);
    }

    private Token next() {
        Token t = tokens.get(i);
        if (t.kind() != Token.Kind.EOF) {
            i++;
        }
        return t;
    }

    private boolean accept(String text) {
        if (peek().is(text)) {
            next();
            return true;
        }
        return false;
    }

    private void expect(String text) {
        Token t = next();
        if (!t.is(text)) {
            throw KqlException.at(SYNTAX_ERROR, t, "Expected '" + text + "', found '" + t.text() + "'");
        }
    }
}
