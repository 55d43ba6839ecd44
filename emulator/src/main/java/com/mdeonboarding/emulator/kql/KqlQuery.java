package com.mdeonboarding.emulator.kql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A Resource Graph query in the subset of KQL the app's queries use, parsed once and evaluated over in-memory
 * tables ({@link TableProvider}).
 *
 * <p>Implemented: a table ({@code resources}, {@code securityresources}, {@code resourcecontainers}; none means
 * {@code resources}) then {@code where}, {@code project}, {@code extend}, {@code join} (kind innerunique, inner,
 * leftouter; {@code on col} and {@code on $left.a == $right.b}), {@code summarize count() [by ...]},
 * {@code order by}/{@code sort by} (asc/desc, nulls first/last), {@code top N by}, {@code take}/{@code limit}. Scalars: literals
 * ('..', "..", numbers, true/false, dynamic(null)), columns, {@code a.b}, {@code a['b']}, {@code a[0]},
 * {@code and}/{@code or}/{@code not()}, {@code == != =~ !~}, {@code in in~ !in !in~}, {@code has contains
 * startswith endswith} with their {@code !} and {@code _cs} forms, and the functions isempty, isnotempty, isnull,
 * isnotnull, tolower, toupper, tostring, toint, tolong, tobool, coalesce, indexof, substring, strcat, strlen, iff/iif,
 * case.
 *
 * <p>Everything else raises {@link KqlException} naming the operator, function or token: what Resource Graph
 * refuses ({@link KqlException.Reason#UNSUPPORTED_BY_RESOURCE_GRAPH}, e.g. {@code mv-apply}, a fourth
 * {@code join}), what this evaluator does not implement ({@link KqlException.Reason#NOT_IMPLEMENTED}, e.g.
 * {@code distinct}, {@code mv-expand}), syntax errors and unknown tables or columns.
 */
public final class KqlQuery {
    /** "Limit of 3 join in a single query" (Resource Graph query-language.md, supported tabular operators). */
    static final int MAX_JOINS = 3;

    private final Ast.Pipeline pipeline;

    private KqlQuery(Ast.Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * Parses and checks the text: syntax, operators, functions, and (over the fixed Resource Graph columns, with
     * no rows) column names and types. Throws {@link KqlException} for anything {@link #evaluate} would refuse.
     */
    public static KqlQuery parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("query text is null");
        }
        Ast.Pipeline p = Parser.parse(text);
        List<Ast.Join> joins = new ArrayList<>();
        collectJoins(p, joins);
        if (joins.size() > MAX_JOINS) {
            Ast.Join extra = joins.get(MAX_JOINS);
            throw KqlException.at(KqlException.Reason.UNSUPPORTED_BY_RESOURCE_GRAPH, extra.at(),
                    "Resource Graph allows at most " + MAX_JOINS + " join operators in a query; this one has " + joins.size());
        }
        new Tabular(table -> List.of()).run(p); // names and types depend on the schema only, not on the rows
        return new KqlQuery(p);
    }

    /** Parses and evaluates in one step. */
    public static KqlResult evaluate(String text, TableProvider tables) {
        return parse(text).evaluate(tables);
    }

    /**
     * Evaluates the query. Rows that do not fit the Resource Graph schema raise {@link IllegalArgumentException}. The result's values
     * are copies: changing them does not change the provider's rows.
     */
    public KqlResult evaluate(TableProvider tables) {
        Tabular.Table t = new Tabular(tables).run(pipeline);
        List<KqlResult.Column> columns = t.columns().stream()
                .map(c -> new KqlResult.Column(c.name(), c.type().kustoName)).toList();
        List<ObjectNode> rows = new ArrayList<>(t.rows().size());
        for (JsonNode[] row : t.rows()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            for (int i = 0; i < row.length; i++) {
                JsonNode v = row[i];
                o.set(t.columns().get(i).name(), v == null ? JsonNodeFactory.instance.nullNode() : v.deepCopy());
            }
            rows.add(o);
        }
        return new KqlResult(columns, List.copyOf(rows));
    }

    private static void collectJoins(Ast.Pipeline p, List<Ast.Join> out) {
        if (p.nested() != null) {
            collectJoins(p.nested(), out);
        }
        for (Ast.Operator op : p.operators()) {
            if (op instanceof Ast.Join j) {
                out.add(j);
                collectJoins(j.right(), out);
            }
        }
    }
}
