package com.mdeonboarding.emulator.kql;

import static com.mdeonboarding.emulator.kql.KqlException.Reason.SEMANTIC_ERROR;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Runs a parsed pipeline over the provider's rows. A row is an array of values in the order of its columns. */
final class Tabular {
    record Table(List<Scalars.Column> columns, List<JsonNode[]> rows) {
    }

    private final TableProvider provider;
    private final Map<String, Table> loaded = new HashMap<>();

    Tabular(TableProvider provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    Table run(Ast.Pipeline p) {
        Table t = p.nested() != null ? run(p.nested()) : load(p.table());
        for (Ast.Operator op : p.operators()) {
            t = apply(op, t);
        }
        return t;
    }

    private Table load(String table) {
        Table cached = loaded.get(table);
        if (cached != null) {
            return cached;
        }
        List<Scalars.Column> columns = new ArrayList<>();
        ResourceGraphTables.COLUMNS.forEach((name, type) -> columns.add(new Scalars.Column(name, Type.ofKustoName(type))));
        List<ObjectNode> source = Objects.requireNonNull(provider.rows(table), () -> "the table provider gave no rows for " + table);
        List<JsonNode[]> rows = new ArrayList<>(source.size());
        for (ObjectNode o : source) {
            for (Iterator<String> names = o.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!ResourceGraphTables.COLUMNS.containsKey(name)) {
                    throw new IllegalArgumentException("a row of table " + table + " has the column '" + name
                            + "', which Resource Graph tables do not have (columns: " + ResourceGraphTables.COLUMNS.keySet() + ")");
                }
            }
            JsonNode[] row = new JsonNode[columns.size()];
            for (int i = 0; i < row.length; i++) {
                Scalars.Column c = columns.get(i);
                JsonNode v = Values.normalize(o.get(c.name()));
                if (c.type() == Type.STRING) {
                    if (v != null && !v.isTextual()) {
                        throw new IllegalArgumentException("column '" + c.name() + "' of table " + table
                                + " is a string; a row has " + v);
                    }
                    v = v == null ? Values.EMPTY : v;
                }
                row[i] = v;
            }
            rows.add(row);
        }
        Table t = new Table(List.copyOf(columns), rows);
        loaded.put(table, t);
        return t;
    }

    private Table apply(Ast.Operator op, Table in) {
        if (op instanceof Ast.Where w) {
            Scalars.Compiled p = Scalars.compile(w.predicate(), in.columns());
            if (p.type() != Type.BOOL && p.type() != Type.DYNAMIC) {
                throw KqlException.at(SEMANTIC_ERROR, w.at(), "where needs a bool predicate; this one is of type " + p.type().kustoName);
            }
            List<JsonNode[]> out = new ArrayList<>();
            for (JsonNode[] row : in.rows()) {
                if (Boolean.TRUE.equals(Values.truth(p.fn().eval(row)))) {
                    out.add(row);
                }
            }
            return new Table(in.columns(), out);
        }
        if (op instanceof Ast.Project p) {
            return project(p, in);
        }
        if (op instanceof Ast.Extend e) {
            return extend(e, in);
        }
        if (op instanceof Ast.Join j) {
            return join(j, in);
        }
        if (op instanceof Ast.Summarize s) {
            return summarize(s, in);
        }
        if (op instanceof Ast.Sort s) {
            return sort(s.keys(), in);
        }
        if (op instanceof Ast.Top top) {
            Table sorted = sort(top.keys(), in);
            return new Table(in.columns(), List.copyOf(sorted.rows().subList(0, (int) Math.min(top.count(), sorted.rows().size()))));
        }
        Ast.Take t = (Ast.Take) op;
        return new Table(in.columns(), List.copyOf(in.rows().subList(0, (int) Math.min(t.count(), in.rows().size()))));
    }

    /**
     * The name Kusto gives a column the query does not name: a column keeps its name, a property path joins its
     * parts with '_' and a conversion keeps its argument's name (Resource Graph's ResourcesPropertiesQuery example:
     * {@code summarize count() by tostring(properties.storageProfile.osDisk.osType)} gives
     * {@code properties_storageProfile_osDisk_osType}); anything else is Column1, Column2, ...
     */
    private static String derivedName(Ast.Expr e) {
        if (e instanceof Ast.Column c) {
            return c.name();
        }
        if (e instanceof Ast.Member m) {
            String base = derivedName(m.target());
            return base == null ? null : base + "_" + m.name();
        }
        if (e instanceof Ast.Index ix) {
            String base = derivedName(ix.target());
            return base == null ? null : base + "_" + ix.index();
        }
        if (e instanceof Ast.Call c && c.args().size() == 1
                && Set.of("tostring", "toint", "tolong", "tobool", "toboolean").contains(c.function())) {
            return derivedName(c.args().get(0));
        }
        return null;
    }

    private static final class Namer {
        private int generated;

        String name(Ast.Item item) {
            if (item.name() != null) {
                return item.name();
            }
            String d = derivedName(item.expr());
            return d != null ? d : "Column" + (++generated);
        }
    }

    private Table project(Ast.Project p, Table in) {
        List<Scalars.Column> columns = new ArrayList<>();
        List<Scalars.Fn> fns = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Namer namer = new Namer();
        for (Ast.Item item : p.items()) {
            Scalars.Compiled c = Scalars.compile(item.expr(), in.columns());
            String name = namer.name(item);
            if (!names.add(name)) {
                throw KqlException.at(SEMANTIC_ERROR, item.expr().at(), "project names the column '" + name + "' twice");
            }
            columns.add(new Scalars.Column(name, c.type()));
            fns.add(c.fn());
        }
        List<JsonNode[]> out = new ArrayList<>(in.rows().size());
        for (JsonNode[] row : in.rows()) {
            JsonNode[] r = new JsonNode[fns.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = fns.get(i).eval(row);
            }
            out.add(r);
        }
        return new Table(List.copyOf(columns), out);
    }

    /**
     * "Column names noted by extend that already exist in the input are removed and appended as their new
     * calculated values" (https://learn.microsoft.com/kusto/query/extend-operator). Each item sees the ones before it.
     */
    private Table extend(Ast.Extend e, Table in) {
        Table t = in;
        Namer namer = new Namer();
        for (Ast.Item item : e.items()) {
            Scalars.Compiled c = Scalars.compile(item.expr(), t.columns());
            String name = namer.name(item);
            int replaced = -1;
            List<Scalars.Column> columns = new ArrayList<>();
            for (int i = 0; i < t.columns().size(); i++) {
                if (t.columns().get(i).name().equals(name)) {
                    replaced = i;
                } else {
                    columns.add(t.columns().get(i));
                }
            }
            columns.add(new Scalars.Column(name, c.type()));
            List<JsonNode[]> out = new ArrayList<>(t.rows().size());
            for (JsonNode[] row : t.rows()) {
                JsonNode[] r = new JsonNode[columns.size()];
                for (int i = 0, j = 0; i < row.length; i++) {
                    if (i != replaced) {
                        r[j++] = row[i];
                    }
                }
                r[r.length - 1] = c.fn().eval(row);
                out.add(r);
            }
            t = new Table(List.copyOf(columns), out);
        }
        return t;
    }

    /**
     * Join flavors (https://learn.microsoft.com/kusto/query/join-operator): innerunique (the default) first removes
     * left rows whose key repeats, inner keeps every matching pair, leftouter also keeps unmatched left rows with
     * nulls ("" for strings) in the right columns. Right columns whose names the output already has get a numeric
     * suffix, the join key included ("duplicate column names from the joined table ... are appended with 1",
     * Resource Graph query-language.md).
     */
    private Table join(Ast.Join j, Table left) {
        Table right = run(j.right());
        int n = j.keys().size();
        int[] li = new int[n];
        int[] ri = new int[n];
        for (int k = 0; k < n; k++) {
            Ast.JoinKey key = j.keys().get(k);
            li[k] = index(left, key.left(), key.at(), "left");
            ri[k] = index(right, key.right(), key.at(), "right");
            Type lt = left.columns().get(li[k]).type();
            Type rt = right.columns().get(ri[k]).type();
            if (lt != rt || lt == Type.DYNAMIC) {
                throw KqlException.at(SEMANTIC_ERROR, key.at(), "join keys must have the same scalar type, not dynamic: '"
                        + key.left() + "' is " + lt.kustoName + ", '" + key.right() + "' is " + rt.kustoName);
            }
        }
        List<Scalars.Column> columns = new ArrayList<>(left.columns());
        Set<String> taken = new HashSet<>();
        left.columns().forEach(c -> taken.add(c.name()));
        for (Scalars.Column c : right.columns()) {
            String name = c.name();
            for (int suffix = 1; taken.contains(name); suffix++) {
                name = c.name() + suffix;
            }
            taken.add(name);
            columns.add(new Scalars.Column(name, c.type()));
        }
        Map<List<JsonNode>, List<JsonNode[]>> byKey = new LinkedHashMap<>();
        for (JsonNode[] r : right.rows()) {
            List<JsonNode> key = key(r, ri);
            if (key != null) {
                byKey.computeIfAbsent(key, x -> new ArrayList<>()).add(r);
            }
        }
        JsonNode[] nullRight = new JsonNode[right.columns().size()];
        for (int i = 0; i < nullRight.length; i++) {
            nullRight[i] = right.columns().get(i).type() == Type.STRING ? Values.EMPTY : null;
        }
        Set<List<JsonNode>> seenLeft = new HashSet<>();
        List<JsonNode[]> out = new ArrayList<>();
        for (JsonNode[] l : left.rows()) {
            List<JsonNode> key = key(l, li);
            if (j.kind() == Ast.JoinKind.INNERUNIQUE && key != null && !seenLeft.add(key)) {
                continue;
            }
            List<JsonNode[]> matches = key == null ? List.of() : byKey.getOrDefault(key, List.of());
            for (JsonNode[] r : matches) {
                out.add(concat(l, r));
            }
            if (matches.isEmpty() && j.kind() == Ast.JoinKind.LEFTOUTER) {
                out.add(concat(l, nullRight));
            }
        }
        return new Table(List.copyOf(columns), out);
    }

    private static int index(Table t, String name, Token at, String side) {
        for (int i = 0; i < t.columns().size(); i++) {
            if (t.columns().get(i).name().equals(name)) {
                return i;
            }
        }
        throw KqlException.at(SEMANTIC_ERROR, at, "The join's " + side + " side has no column '" + name + "'");
    }

    /** The join key of a row, or null when part of it is null (null never equals anything). Keys compare as text. */
    private static List<JsonNode> key(JsonNode[] row, int[] indexes) {
        List<JsonNode> key = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            if (row[i] == null) {
                return null;
            }
            key.add(row[i].isIntegralNumber() ? LongNode.valueOf(row[i].longValue()) : row[i]);
        }
        return key;
    }

    private static JsonNode[] concat(JsonNode[] a, JsonNode[] b) {
        JsonNode[] r = new JsonNode[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /**
     * summarize count() [by ...]: the by columns first, then the counts, one row per distinct by-value in order of
     * first appearance; an unnamed count() is {@code count_} (Resource Graph's ResourcesComplexQuery example).
     * Without by, one row even for no input.
     */
    private Table summarize(Ast.Summarize s, Table in) {
        List<Scalars.Column> columns = new ArrayList<>();
        List<Scalars.Fn> by = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Namer namer = new Namer();
        for (Ast.Item item : s.by()) {
            Scalars.Compiled c = Scalars.compile(item.expr(), in.columns());
            String name = namer.name(item);
            if (!names.add(name)) {
                throw KqlException.at(SEMANTIC_ERROR, item.expr().at(), "summarize names the column '" + name + "' twice");
            }
            columns.add(new Scalars.Column(name, c.type()));
            by.add(c.fn());
        }
        for (Ast.Item item : s.aggregates()) {
            String name = item.name() != null ? item.name() : "count_";
            for (int suffix = 1; names.contains(name) && item.name() == null; suffix++) {
                name = "count_" + suffix;
            }
            if (!names.add(name)) {
                throw KqlException.at(SEMANTIC_ERROR, item.expr().at(), "summarize names the column '" + name + "' twice");
            }
            columns.add(new Scalars.Column(name, Type.LONG));
        }
        Map<List<JsonNode>, long[]> groups = new LinkedHashMap<>();
        Map<List<JsonNode>, JsonNode[]> firstValues = new HashMap<>();
        for (JsonNode[] row : in.rows()) {
            JsonNode[] values = new JsonNode[by.size()];
            List<JsonNode> key = new ArrayList<>(by.size());
            for (int i = 0; i < values.length; i++) {
                values[i] = by.get(i).eval(row);
                key.add(values[i] == null ? null : values[i].isIntegralNumber() ? LongNode.valueOf(values[i].longValue()) : values[i]);
            }
            groups.computeIfAbsent(key, k -> new long[1])[0]++;
            firstValues.putIfAbsent(key, values);
        }
        if (by.isEmpty() && groups.isEmpty()) {
            groups.put(List.of(), new long[1]);
            firstValues.put(List.of(), new JsonNode[0]);
        }
        List<JsonNode[]> out = new ArrayList<>(groups.size());
        groups.forEach((key, count) -> {
            JsonNode[] r = new JsonNode[columns.size()];
            JsonNode[] values = firstValues.get(key);
            System.arraycopy(values, 0, r, 0, values.length);
            for (int i = values.length; i < r.length; i++) {
                r[i] = LongNode.valueOf(count[0]);
            }
            out.add(r);
        });
        return new Table(List.copyOf(columns), out);
    }

    private Table sort(List<Ast.SortKey> keys, Table in) {
        Comparator<JsonNode[]> order = null;
        for (Ast.SortKey key : keys) {
            Scalars.Fn fn = Scalars.compile(key.expr(), in.columns()).fn();
            boolean asc = key.ascending();
            boolean nullsFirst = key.nullsFirst();
            Comparator<JsonNode[]> c = (a, b) -> {
                JsonNode x = fn.eval(a);
                JsonNode y = fn.eval(b);
                if (x == null || y == null) {
                    return x == y ? 0 : (x == null) == nullsFirst ? -1 : 1;
                }
                int cmp = Values.compare(x, y);
                return asc ? cmp : -cmp;
            };
            order = order == null ? c : order.thenComparing(c);
        }
        List<JsonNode[]> rows = new ArrayList<>(in.rows());
        rows.sort(order);
        return new Table(in.columns(), rows);
    }
}
