package com.mdeonboarding.emulator.kql;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The parsed query: a pipeline of tabular operators over a table, and the scalar expressions in them. */
final class Ast {
    private Ast() {
    }

    /** A table (or a parenthesised pipeline) followed by {@code | operator} steps. */
    record Pipeline(String table, Token tableToken, Pipeline nested, List<Operator> operators) {
    }

    sealed interface Operator permits Where, Project, Extend, Join, Summarize, Sort, Top, Take {
        Token at();
    }

    record Where(Token at, Expr predicate) implements Operator {
    }

    record Project(Token at, List<Item> items) implements Operator {
    }

    record Extend(Token at, List<Item> items) implements Operator {
    }

    enum JoinKind {
        INNERUNIQUE, INNER, LEFTOUTER
    }

    record Join(Token at, JoinKind kind, Pipeline right, List<JoinKey> keys) implements Operator {
    }

    /** {@code on name} (left and right the same) or {@code on $left.a == $right.b}. */
    record JoinKey(Token at, String left, String right) {
    }

    /** Only {@code count()} is implemented; {@code name} is null when the query gives none ({@code count_}). */
    record Summarize(Token at, List<Item> aggregates, List<Item> by) implements Operator {
    }

    record Sort(Token at, List<SortKey> keys) implements Operator {
    }

    record SortKey(Expr expr, boolean ascending, boolean nullsFirst) {
    }

    record Take(Token at, long count) implements Operator {
    }

    /** {@code top N by keys}: sort, then take N. */
    record Top(Token at, long count, List<SortKey> keys) implements Operator {
    }

    /** {@code name = expr}, or {@code expr} alone ({@code name} null: Kusto names the column itself). */
    record Item(String name, Expr expr) {
    }

    sealed interface Expr permits Literal, Column, Member, Index, Call, Logical, Compare, In {
        Token at();
    }

    /** {@code value} is null for {@code dynamic(null)}. */
    record Literal(Token at, JsonNode value, Type type) implements Expr {
    }

    record Column(Token at, String name) implements Expr {
    }

    /** {@code target.name} or {@code target['name']}. */
    record Member(Token at, Expr target, String name) implements Expr {
    }

    /** {@code target[0]}. */
    record Index(Token at, Expr target, long index) implements Expr {
    }

    record Call(Token at, String function, List<Expr> args) implements Expr {
    }

    record Logical(Token at, boolean and, Expr left, Expr right) implements Expr {
    }

    /** {@code ==, !=, =~, !~, has, contains, startswith, endswith} (and their {@code !} and {@code _cs} forms). */
    record Compare(Token at, String operator, Expr left, Expr right) implements Expr {
    }

    /** {@code in, !in, in~, !in~} over a parenthesised list. */
    record In(Token at, boolean negated, boolean caseInsensitive, Expr left, List<Expr> values) implements Expr {
    }
}
