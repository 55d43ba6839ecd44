package com.mdeonboarding.emulator.kql;

import static com.mdeonboarding.emulator.kql.KqlException.Reason.NOT_IMPLEMENTED;
import static com.mdeonboarding.emulator.kql.KqlException.Reason.SEMANTIC_ERROR;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compiles scalar expressions against the columns of one tabular step: names and types are checked once,
 * then the compiled function runs per row. Case rules follow the Kusto string operators table
 * (https://learn.microsoft.com/kusto/query/datatypes-string-operators): {@code ==}, {@code !=}, {@code in},
 * {@code !in} and the {@code _cs} forms are case-sensitive; {@code =~}, {@code !~}, {@code in~}, {@code !in~},
 * {@code has}, {@code contains}, {@code startswith}, {@code endswith} are not.
 */
final class Scalars {
    /** A compiled expression: its Kusto type and how to compute it from a row. */
    record Compiled(Type type, Fn fn) {
    }

    @FunctionalInterface
    interface Fn {
        JsonNode eval(JsonNode[] row);
    }

    record Column(String name, Type type) {
    }

    private Scalars() {
    }

    static Compiled compile(Ast.Expr e, List<Column> scope) {
        if (e instanceof Ast.Literal l) {
            JsonNode v = l.value();
            return new Compiled(l.type(), row -> v);
        }
        if (e instanceof Ast.Column c) {
            for (int i = 0; i < scope.size(); i++) {
                if (scope.get(i).name().equals(c.name())) {
                    int index = i;
                    return new Compiled(scope.get(i).type(), row -> row[index]);
                }
            }
            if (c.name().equals("null")) {
                throw KqlException.at(NOT_IMPLEMENTED, c.at(), "The emulator's KQL evaluator implements the null literal "
                        + "as dynamic(null) only");
            }
            throw KqlException.at(SEMANTIC_ERROR, c.at(), "The name '" + c.name() + "' does not refer to any known column");
        }
        if (e instanceof Ast.Member m) {
            Compiled target = dynamicTarget(m.target(), scope, "." + m.name());
            String name = m.name();
            return new Compiled(Type.DYNAMIC, row -> {
                JsonNode v = target.fn().eval(row);
                return v instanceof ObjectNode o ? Values.normalize(o.get(name)) : null;
            });
        }
        if (e instanceof Ast.Index ix) {
            Compiled target = dynamicTarget(ix.target(), scope, "[" + ix.index() + "]");
            long index = ix.index();
            return new Compiled(Type.DYNAMIC, row -> {
                JsonNode v = target.fn().eval(row);
                return v instanceof ArrayNode a && index < a.size() ? Values.normalize(a.get((int) index)) : null;
            });
        }
        if (e instanceof Ast.Logical l) {
            Fn left = boolOperand(l.left(), scope, l.at());
            Fn right = boolOperand(l.right(), scope, l.at());
            // Three-valued logic: null and false is false, null or true is true, otherwise null.
            return new Compiled(Type.BOOL, l.and() ? row -> {
                Boolean a = Values.truth(left.eval(row));
                if (Boolean.FALSE.equals(a)) {
                    return BooleanNode.FALSE;
                }
                Boolean b = Values.truth(right.eval(row));
                return Boolean.FALSE.equals(b) ? BooleanNode.FALSE : a == null || b == null ? null : BooleanNode.TRUE;
            } : row -> {
                Boolean a = Values.truth(left.eval(row));
                if (Boolean.TRUE.equals(a)) {
                    return BooleanNode.TRUE;
                }
                Boolean b = Values.truth(right.eval(row));
                return Boolean.TRUE.equals(b) ? BooleanNode.TRUE : a == null || b == null ? null : BooleanNode.FALSE;
            });
        }
        if (e instanceof Ast.Compare c) {
            return compare(c, scope);
        }
        if (e instanceof Ast.In in) {
            return in(in, scope);
        }
        return call((Ast.Call) e, scope);
    }

    private static Compiled dynamicTarget(Ast.Expr target, List<Column> scope, String access) {
        Compiled t = compile(target, scope);
        if (t.type() != Type.DYNAMIC) {
            throw KqlException.at(SEMANTIC_ERROR, target.at(), "'" + access + "' needs a dynamic value; '" + target.at().text()
                    + "' is of type " + t.type().kustoName);
        }
        return t;
    }

    private static Fn boolOperand(Ast.Expr e, List<Column> scope, Token op) {
        Compiled c = compile(e, scope);
        if (c.type() != Type.BOOL && c.type() != Type.DYNAMIC) {
            throw KqlException.at(SEMANTIC_ERROR, op, "'" + op.text() + "' needs bool operands; '" + e.at().text()
                    + "' is of type " + c.type().kustoName);
        }
        return c.fn();
    }

    /** Kusto refuses == between, say, a string and a long; dynamic compares with anything. */
    private static void requireComparable(Compiled a, Compiled b, Token op) {
        boolean ok = a.type() == b.type() || a.type() == Type.DYNAMIC || b.type() == Type.DYNAMIC
                || (a.type().numeric() && b.type().numeric());
        if (!ok) {
            throw KqlException.at(SEMANTIC_ERROR, op, "Cannot compare a " + a.type().kustoName + " with a " + b.type().kustoName
                    + " using '" + op.text() + "'");
        }
    }

    private static void requireText(Compiled c, Ast.Expr e, Token op) {
        if (c.type() != Type.STRING && c.type() != Type.DYNAMIC) {
            throw KqlException.at(SEMANTIC_ERROR, op, "'" + op.text() + "' needs string operands; '" + e.at().text()
                    + "' is of type " + c.type().kustoName);
        }
    }

    /**
     * Equality with nulls as the Kusto null-values page says: null == x is false, null != x is true,
     * and either is null when both sides are null (so where drops the row).
     */
    private static JsonNode equality(JsonNode a, JsonNode b, boolean negate) {
        if (a == null || b == null) {
            return a == null && b == null ? null : BooleanNode.valueOf(negate);
        }
        return BooleanNode.valueOf(Values.equal(a, b) != negate);
    }

    private static Compiled compare(Ast.Compare c, List<Column> scope) {
        Compiled left = compile(c.left(), scope);
        Compiled right = compile(c.right(), scope);
        Fn l = left.fn();
        Fn r = right.fn();
        String op = c.operator();
        if (op.equals("==") || op.equals("!=")) {
            requireComparable(left, right, c.at());
            boolean negate = op.equals("!=");
            return new Compiled(Type.BOOL, row -> equality(l.eval(row), r.eval(row), negate));
        }
        requireText(left, c.left(), c.at());
        requireText(right, c.right(), c.at());
        boolean negate = op.startsWith("!");
        String base = negate ? op.substring(1) : op;
        boolean cs = base.endsWith("_cs");
        String kind = cs ? base.substring(0, base.length() - 3) : base;
        StringTest test = switch (kind) {
            case "=~", "~" -> (h, n) -> h.equalsIgnoreCase(n);
            case "has" -> (h, n) -> Values.hasTerm(h, n, cs);
            case "contains" -> cs ? String::contains : (h, n) -> lower(h).contains(lower(n));
            case "startswith" -> cs ? String::startsWith : (h, n) -> lower(h).startsWith(lower(n));
            case "endswith" -> cs ? String::endsWith : (h, n) -> lower(h).endsWith(lower(n));
            default -> throw new IllegalStateException(op);
        };
        return new Compiled(Type.BOOL, row -> BooleanNode.valueOf(
                test.test(Values.str(l.eval(row)), Values.str(r.eval(row))) != negate));
    }

    @FunctionalInterface
    private interface StringTest {
        boolean test(String haystack, String needle);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static Compiled in(Ast.In in, List<Column> scope) {
        Compiled left = compile(in.left(), scope);
        List<Fn> values = new ArrayList<>();
        for (Ast.Expr v : in.values()) {
            Compiled c = compile(v, scope);
            if (in.caseInsensitive()) {
                requireText(c, v, in.at());
            } else {
                requireComparable(left, c, in.at());
            }
            values.add(c.fn());
        }
        if (in.caseInsensitive()) {
            requireText(left, in.left(), in.at());
        }
        Fn l = left.fn();
        boolean negated = in.negated();
        boolean ci = in.caseInsensitive();
        return new Compiled(Type.BOOL, row -> {
            JsonNode a = l.eval(row);
            boolean found = false;
            for (Fn v : values) {
                JsonNode b = v.eval(row);
                if (ci ? Values.str(a).equalsIgnoreCase(Values.str(b)) : a != null && b != null && Values.equal(a, b)) {
                    found = true;
                    break;
                }
            }
            return BooleanNode.valueOf(found != negated);
        });
    }

    private static Compiled call(Ast.Call call, List<Column> scope) {
        String f = call.function();
        List<Compiled> args = new ArrayList<>();
        for (Ast.Expr a : call.args()) {
            args.add(compile(a, scope));
        }
        switch (f) {
            case "tolower":
            case "toupper": {
                arity(call, 1, 1);
                Fn a = args.get(0).fn();
                boolean upper = f.equals("toupper");
                return new Compiled(Type.STRING, row -> {
                    String s = Values.str(a.eval(row));
                    return Values.text(upper ? s.toUpperCase(Locale.ROOT) : s.toLowerCase(Locale.ROOT));
                });
            }
            case "tostring": {
                arity(call, 1, 1);
                Fn a = args.get(0).fn();
                return new Compiled(Type.STRING, row -> Values.text(Values.str(a.eval(row))));
            }
            case "toint": {
                arity(call, 1, 1);
                Fn a = args.get(0).fn();
                return new Compiled(Type.INT, row -> Values.toInt(a.eval(row)));
            }
            case "tolong": {
                arity(call, 1, 1);
                Fn a = args.get(0).fn();
                return new Compiled(Type.LONG, row -> Values.toLong(a.eval(row)));
            }
            case "tobool":
            case "toboolean": {
                arity(call, 1, 1);
                Fn a = args.get(0).fn();
                return new Compiled(Type.BOOL, row -> Values.toBool(a.eval(row)));
            }
            case "isempty":
            case "isnotempty": {
                // "true if the argument is an empty string or is null" (https://learn.microsoft.com/kusto/query/isempty-function)
                arity(call, 1, 1);
                Fn a = args.get(0).fn();
                boolean not = f.equals("isnotempty");
                return new Compiled(Type.BOOL, row -> {
                    JsonNode v = a.eval(row);
                    boolean empty = v == null || (v.isTextual() && v.textValue().isEmpty());
                    return BooleanNode.valueOf(empty != not);
                });
            }
            case "isnull":
            case "isnotnull": {
                arity(call, 1, 1);
                Fn a = args.get(0).fn();
                boolean not = f.equals("isnotnull");
                return new Compiled(Type.BOOL, row -> BooleanNode.valueOf((a.eval(row) == null) != not));
            }
            case "not": {
                arity(call, 1, 1);
                Fn a = boolOperand(call.args().get(0), scope, call.at());
                return new Compiled(Type.BOOL, row -> {
                    Boolean b = Values.truth(a.eval(row));
                    return b == null ? null : BooleanNode.valueOf(!b);
                });
            }
            case "coalesce": {
                // "the first non-null (or non-empty for string) expression" (https://learn.microsoft.com/kusto/query/coalesce-function)
                arity(call, 2, 64);
                Type t = commonType(call, args);
                List<Fn> fns = args.stream().map(Compiled::fn).toList();
                return new Compiled(t, row -> {
                    for (Fn fn : fns) {
                        JsonNode v = fn.eval(row);
                        if (v != null && !(t == Type.STRING && v.textValue().isEmpty())) {
                            return v;
                        }
                    }
                    return t == Type.STRING ? Values.EMPTY : null;
                });
            }
            case "indexof": {
                // Case-sensitive; -1 when not found; null when start is negative
                // (https://learn.microsoft.com/kusto/query/indexof-function).
                if (args.size() > 3) {
                    throw KqlException.at(NOT_IMPLEMENTED, call.at(), "The emulator's KQL evaluator implements indexof() "
                            + "with up to 3 arguments (source, lookup, start)");
                }
                arity(call, 2, 3);
                Fn s = args.get(0).fn();
                Fn m = args.get(1).fn();
                Fn start = args.size() == 3 ? numeric(call, args.get(2)) : row -> LongNode.valueOf(0);
                return new Compiled(Type.LONG, row -> {
                    Long from = Values.asLong(start.eval(row));
                    if (from == null || from < 0) {
                        return null;
                    }
                    String src = Values.str(s.eval(row));
                    if (from > src.length()) {
                        return LongNode.valueOf(-1);
                    }
                    return LongNode.valueOf(src.indexOf(Values.str(m.eval(row)), (int) (long) from));
                });
            }
            case "substring": {
                // A negative start counts from the end (https://learn.microsoft.com/kusto/query/substring-function);
                // a negative length (not documented) takes nothing.
                arity(call, 2, 3);
                Fn s = args.get(0).fn();
                Fn start = numeric(call, args.get(1));
                Fn length = args.size() == 3 ? numeric(call, args.get(2)) : null;
                return new Compiled(Type.STRING, row -> {
                    String src = Values.str(s.eval(row));
                    Long from = Values.asLong(start.eval(row));
                    if (from == null) {
                        return Values.EMPTY;
                    }
                    long b = from < 0 ? Math.max(0, src.length() + from) : Math.min(from, src.length());
                    long e = src.length();
                    if (length != null) {
                        Long len = Values.asLong(length.eval(row));
                        if (len == null) {
                            return Values.EMPTY;
                        }
                        e = len < 0 ? b : Math.min(src.length(), b + len);
                    }
                    return Values.text(src.substring((int) b, (int) e));
                });
            }
            case "strcat": {
                // strcat(a1, ..., an): 1 to 64 arguments, each converted to string (Kusto strcat-function docs).
                arity(call, 1, 64);
                List<Fn> parts = args.stream().map(Compiled::fn).toList();
                return new Compiled(Type.STRING, row -> {
                    StringBuilder sb = new StringBuilder();
                    for (Fn part : parts) {
                        sb.append(Values.str(part.eval(row)));
                    }
                    return Values.text(sb.toString());
                });
            }
            case "strlen": {
                arity(call, 1, 1);
                Fn a = args.get(0).fn();
                return new Compiled(Type.LONG, row -> {
                    String s = Values.str(a.eval(row));
                    return LongNode.valueOf(s.codePointCount(0, s.length()));
                });
            }
            case "iff":
            case "iif": {
                arity(call, 3, 3);
                Fn cond = boolOperand(call.args().get(0), scope, call.at());
                Type t = commonType(call, args.subList(1, 3));
                Fn a = args.get(1).fn();
                Fn b = args.get(2).fn();
                return new Compiled(t, row -> Boolean.TRUE.equals(Values.truth(cond.eval(row))) ? a.eval(row) : b.eval(row));
            }
            case "case": {
                if (args.size() < 3 || args.size() % 2 == 0) {
                    throw KqlException.at(SEMANTIC_ERROR, call.at(), "case() takes predicate/value pairs and an else value "
                            + "(an odd number of arguments, at least 3); got " + args.size());
                }
                List<Fn> preds = new ArrayList<>();
                List<Compiled> vals = new ArrayList<>();
                for (int i = 0; i + 1 < args.size(); i += 2) {
                    preds.add(boolOperand(call.args().get(i), scope, call.at()));
                    vals.add(args.get(i + 1));
                }
                vals.add(args.get(args.size() - 1));
                Type t = commonType(call, vals);
                List<Fn> vfns = vals.stream().map(Compiled::fn).toList();
                return new Compiled(t, row -> {
                    for (int i = 0; i < preds.size(); i++) {
                        if (Boolean.TRUE.equals(Values.truth(preds.get(i).eval(row)))) {
                            return vfns.get(i).eval(row);
                        }
                    }
                    return vfns.get(vfns.size() - 1).eval(row);
                });
            }
            case "count":
                throw KqlException.at(SEMANTIC_ERROR, call.at(), "count() is an aggregation function; use it in summarize");
            default:
                throw KqlException.at(NOT_IMPLEMENTED, call.at(), "The emulator's KQL evaluator does not implement the function '"
                        + f + "'");
        }
    }

    private static void arity(Ast.Call call, int min, int max) {
        int n = call.args().size();
        if (n < min || n > max) {
            String expected = min == max ? String.valueOf(min) : min + " to " + max;
            throw KqlException.at(SEMANTIC_ERROR, call.at(), call.function() + "() takes " + expected + " argument(s); got " + n);
        }
    }

    private static Fn numeric(Ast.Call call, Compiled c) {
        if (!c.type().numeric() && c.type() != Type.DYNAMIC) {
            throw KqlException.at(SEMANTIC_ERROR, call.at(), call.function() + "() needs a number where a "
                    + c.type().kustoName + " was given");
        }
        return c.fn();
    }

    /** Kusto wants one type across coalesce/iff/case values ("No common type can be determined from the arguments"). */
    private static Type commonType(Ast.Call call, List<Compiled> values) {
        Type t = values.get(0).type();
        for (Compiled c : values) {
            if (c.type() == t) {
                continue;
            }
            if (c.type().numeric() && t.numeric()) {
                t = c.type() == Type.REAL || t == Type.REAL ? Type.REAL : Type.LONG;
                continue;
            }
            throw KqlException.at(SEMANTIC_ERROR, call.at(), call.function() + "(): no common type for its arguments ("
                    + t.kustoName + " and " + c.type().kustoName + ")");
        }
        return t;
    }
}
