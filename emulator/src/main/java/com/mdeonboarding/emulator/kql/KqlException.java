package com.mdeonboarding.emulator.kql;

/**
 * A query the evaluator refuses: a syntax error, an unknown name, something Resource Graph itself does not
 * support, or KQL the evaluator does not implement. The message names the operator, function, column or
 * token, so the emulator can answer 400 as Resource Graph does for an invalid query.
 *
 * <p>Resource Graph's answer to an invalid query (observed, e.g. Azure/aztfexport#485 and
 * Azure/azure-powershell#13762): HTTP 400, {@code error.code} {@code BadRequest}, {@code error.details[0]}
 * {@code {"code":"InvalidQuery","message":"Query is invalid. Please refer to the documentation for the Azure
 * Resource Graph service and fix the error before retrying."}}, followed by one detail per problem:
 * {@code {"code":"ParserFailure","message":"ParserFailure","line":1,"characterPositionInLine":42,"token":"..."}}
 * for a syntax error, {@code {"code":"InvalidQueryLanguage","message":"InvalidQueryLanguage","line":-1,
 * "characterPositionInLine":-1,"token":"parse"}} for a language element Resource Graph refused.
 * {@link #detailCode()}, {@link #line()}, {@link #position()} and {@link #token()} fill such a detail.
 */
public final class KqlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the query was refused. */
    public enum Reason {
        /** The text is not KQL (Resource Graph: {@code ParserFailure}). */
        SYNTAX_ERROR("ParserFailure"),
        /** Valid KQL naming a table or column that does not exist, or mixing types that cannot be mixed. */
        SEMANTIC_ERROR("InvalidQuery"),
        /** KQL that Resource Graph itself refuses (Resource Graph: {@code InvalidQueryLanguage}). */
        UNSUPPORTED_BY_RESOURCE_GRAPH("InvalidQueryLanguage"),
        /** KQL that Resource Graph accepts but this evaluator does not implement. */
        NOT_IMPLEMENTED("InvalidQuery");

        private final String detailCode;

        Reason(String detailCode) {
            this.detailCode = detailCode;
        }
    }

    private final Reason reason;
    private final String token;
    private final int line;
    private final int position;

    KqlException(Reason reason, String message, String token, int line, int position) {
        super(message);
        this.reason = reason;
        this.token = token;
        this.line = line;
        this.position = position;
    }

    static KqlException at(Reason reason, Token at, String message) {
        String where = message.contains(at.text()) ? "" : "at '" + at.text() + "', ";
        return new KqlException(reason, message + " (" + where + "line " + at.line() + ", position " + at.column() + ")",
                at.text(), at.line(), at.column());
    }

    /** Not tied to a place in the text (found while evaluating). */
    static KqlException semantic(String message, String token) {
        return new KqlException(Reason.SEMANTIC_ERROR, message, token, -1, -1);
    }

    public Reason reason() {
        return reason;
    }

    /** The Resource Graph error detail code for this reason ({@code ParserFailure}, {@code InvalidQueryLanguage}, else {@code InvalidQuery}). */
    public String detailCode() {
        return reason.detailCode;
    }

    /** The offending token, operator, function or column name as written in the query. */
    public String token() {
        return token;
    }

    /** 1-based line of the token, or -1 when not tied to a place in the text. */
    public int line() {
        return line;
    }

    /** 0-based character position of the token within its line (Resource Graph's characterPositionInLine), or -1. */
    public int position() {
        return position;
    }
}
