package com.mdeonboarding.emulator.kql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the evaluator refuses, and that the error names the operator, function, column or token. Resource Graph's
 * supported tabular operators and join flavors: MicrosoftDocs/azure-docs
 * articles/governance/resource-graph/concepts/query-language.md.
 */
class KqlErrorsTest {
    private static final TableProvider TABLES = Rows.resources("""
            [{"id": "/r/a", "name": "a"}]""");

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
            # syntax errors
            resources | where (                                   => SYNTAX_ERROR => <end of query>
            resources | where name == 'unterminated               => SYNTAX_ERROR => 'unterminated
            resources | take                                      => SYNTAX_ERROR => <end of query>
            resources | project name,                             => SYNTAX_ERROR => <end of query>
            resources | where name == 'a' 'b'                     => SYNTAX_ERROR => 'b'
            resources | join kind=inner (resources) name          => SYNTAX_ERROR => name
            resources | order name                                => SYNTAX_ERROR => name
            resources | where name == 'a' |                       => SYNTAX_ERROR => <end of query>
            ``                                                    => SYNTAX_ERROR => <end of query>
            resources | where name == 'a' #                       => SYNTAX_ERROR => #
            # unknown names
            nosuchtable | take 1                                  => SEMANTIC_ERROR => nosuchtable
            resources | where nosuch == 'a'                       => SEMANTIC_ERROR => nosuch
            resources | project name | where id == 'a'            => SEMANTIC_ERROR => id
            resources | join kind=inner (resources | project n = name) on name => SEMANTIC_ERROR => name
            resources | join kind=inner (securityresources) on $left.nosuch == $right.id => SEMANTIC_ERROR => $
            # types Kusto refuses to mix
            resources | where name == 1                           => SEMANTIC_ERROR => ==
            resources | project name.x                            => SEMANTIC_ERROR => name
            resources | where name                                => SEMANTIC_ERROR => where
            resources | project coalesce(properties.x, 'a')       => SEMANTIC_ERROR => coalesce
            resources | project tolower(name, id)                 => SEMANTIC_ERROR => tolower
            resources | project x = count()                       => SEMANTIC_ERROR => count
            resources | join kind=inner (resources) on properties => SEMANTIC_ERROR => properties
            # what Resource Graph itself refuses
            resources | mv-apply x = tags on (take 1)             => UNSUPPORTED_BY_RESOURCE_GRAPH => mv-apply
            resources | evaluate bag_unpack(tags)                 => UNSUPPORTED_BY_RESOURCE_GRAPH => evaluate
            resources | render table                              => UNSUPPORTED_BY_RESOURCE_GRAPH => render
            resources | project-rename n = name                   => UNSUPPORTED_BY_RESOURCE_GRAPH => project-rename
            resources | join kind=rightouter (resources) on id    => UNSUPPORTED_BY_RESOURCE_GRAPH => rightouter
            resources | join kind=leftanti (resources) on id      => UNSUPPORTED_BY_RESOURCE_GRAPH => leftanti
            resources | join hint.strategy=broadcast (resources) on id => UNSUPPORTED_BY_RESOURCE_GRAPH => hint
            `resources | join (resources) on id | join (resources) on id | join (resources) on id | join (resources) on id` => UNSUPPORTED_BY_RESOURCE_GRAPH => join
            # what Resource Graph supports but this evaluator does not implement
            resources | distinct name                             => NOT_IMPLEMENTED => distinct
            resources | project-away name                         => NOT_IMPLEMENTED => project-away
            resources | mv-expand tags                            => NOT_IMPLEMENTED => mv-expand
            resources | top name by name                          => NOT_IMPLEMENTED => name
            resources | count                                     => NOT_IMPLEMENTED => count
            resources | union resourcecontainers                  => NOT_IMPLEMENTED => union
            resources | parse id with * '/' x                     => NOT_IMPLEMENTED => parse
            resources | join kind=fullouter (resources) on id     => NOT_IMPLEMENTED => fullouter
            resources | project x = strcat_array(tags, 'a')       => NOT_IMPLEMENTED => strcat_array
            resources | project x = indexof(name, 'a', 0, 1)      => NOT_IMPLEMENTED => indexof
            resources | summarize dcount(name)                    => NOT_IMPLEMENTED => dcount
            resources | summarize count(name)                     => NOT_IMPLEMENTED => count
            resources | where name > 'a'                          => NOT_IMPLEMENTED => >
            resources | where name hasprefix 'a'                  => NOT_IMPLEMENTED => hasprefix
            resources | project x = strlen(name) + 1              => NOT_IMPLEMENTED => +
            resources | project x = dynamic({"a": 1})             => NOT_IMPLEMENTED => {
            resources | where timestamp > ago(1d)                 => NOT_IMPLEMENTED => 1d
            resources | take 10m                                  => NOT_IMPLEMENTED => 10m
            let x = 1; resources                                  => NOT_IMPLEMENTED => let
            resources; resources                                  => NOT_IMPLEMENTED => ;
            resources | join kind=inner (resources) on $left.id != $right.id => NOT_IMPLEMENTED => !=
            """)
    void refuses(String query, KqlException.Reason reason, String token) {
        KqlException e = assertThrows(KqlException.class, () -> KqlQuery.evaluate(query == null ? "" : query, TABLES));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(token, e.token(), e.getMessage());
        if (!token.startsWith("<")) {
            assertTrue(e.getMessage().contains(token), "the message names '" + token + "': " + e.getMessage());
        }
    }

    @Test
    void theErrorSaysWhereAsResourceGraphDoes() {
        KqlException e = assertThrows(KqlException.class, () -> KqlQuery.parse("""
                // a comment
                resources
                | where name =~ 'a'
                |   mv-apply x = tags on (take 1)"""));
        assertEquals(4, e.line());
        assertEquals(4, e.position(), "0-based position in the line, as characterPositionInLine");
        assertEquals("mv-apply", e.token());
        assertEquals("InvalidQueryLanguage", e.detailCode());
        assertTrue(e.getMessage().contains("line 4, position 4"), e.getMessage());
    }

    @Test
    void detailCodes() {
        assertEquals("ParserFailure", assertThrows(KqlException.class, () -> KqlQuery.parse("resources | where (")).detailCode());
        assertEquals("InvalidQuery", assertThrows(KqlException.class, () -> KqlQuery.parse("resources | distinct name")).detailCode());
    }

    @Test
    void parseAloneFindsUnknownFunctionsColumnsAndTypeErrors() {
        assertEquals(KqlException.Reason.NOT_IMPLEMENTED,
                assertThrows(KqlException.class, () -> KqlQuery.parse("resources | where strrep(name, 2) == 'a'")).reason());
        assertEquals("nosuch", assertThrows(KqlException.class, () -> KqlQuery.parse("resources | where nosuch == 'a'")).token());
        assertEquals("==", assertThrows(KqlException.class, () -> KqlQuery.parse("resources | where name == 1")).token());
    }
}
