package com.mdeonboarding.emulator.kql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Join flavors (https://learn.microsoft.com/kusto/query/join-operator) and naming: a right column whose name the
 * left has gets the suffix 1 ("appended with 1", Resource Graph query-language.md), the join key included.
 */
class KqlJoinTest {
    private static final TableProvider TABLES = Rows.tables(Map.of(
            "resources", Rows.of("""
                    [{"id": "/vm/1", "name": "vm1", "subscriptionId": "s1"},
                     {"id": "/vm/2", "name": "vm2", "subscriptionId": "s2"},
                     {"id": "/vm/3", "name": "vm3", "subscriptionId": "s1"},
                     {"id": "/vm/4", "name": "vm4", "subscriptionId": "S1"}]
                    """),
            "resourcecontainers", Rows.of("""
                    [{"id": "/s1", "name": "one", "subscriptionId": "s1"},
                     {"id": "/s1-again", "name": "one again", "subscriptionId": "s1"},
                     {"id": "/s3", "name": "three", "subscriptionId": "s3"}]
                    """)));

    private static final String LEFT = "resources | project name, subscriptionId";
    private static final String RIGHT = "(resourcecontainers | project subName = name, subscriptionId)";

    @ParameterizedTest(name = "join {0} ... {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
            # inner: every matching pair; keys compare case-sensitively (S1 is not s1)
            kind=inner => on subscriptionId => {"name":"vm1","subscriptionId":"s1","subName":"one","subscriptionId1":"s1"};{"name":"vm1","subscriptionId":"s1","subName":"one again","subscriptionId1":"s1"};{"name":"vm3","subscriptionId":"s1","subName":"one","subscriptionId1":"s1"};{"name":"vm3","subscriptionId":"s1","subName":"one again","subscriptionId1":"s1"}
            # innerunique (also the default): left rows with a repeated key are dropped first
            kind=innerunique => on subscriptionId => {"name":"vm1","subscriptionId":"s1","subName":"one","subscriptionId1":"s1"};{"name":"vm1","subscriptionId":"s1","subName":"one again","subscriptionId1":"s1"}
            `` => on subscriptionId => {"name":"vm1","subscriptionId":"s1","subName":"one","subscriptionId1":"s1"};{"name":"vm1","subscriptionId":"s1","subName":"one again","subscriptionId1":"s1"}
            # leftouter: unmatched left rows stay, right string columns are "" (strings have no null)
            kind=leftouter => on subscriptionId => {"name":"vm1","subscriptionId":"s1","subName":"one","subscriptionId1":"s1"};{"name":"vm1","subscriptionId":"s1","subName":"one again","subscriptionId1":"s1"};{"name":"vm2","subscriptionId":"s2","subName":"","subscriptionId1":""};{"name":"vm3","subscriptionId":"s1","subName":"one","subscriptionId1":"s1"};{"name":"vm3","subscriptionId":"s1","subName":"one again","subscriptionId1":"s1"};{"name":"vm4","subscriptionId":"S1","subName":"","subscriptionId1":""}
            kind = leftouter => on $left.subscriptionId == $right.subscriptionId => {"name":"vm1","subscriptionId":"s1","subName":"one","subscriptionId1":"s1"};{"name":"vm1","subscriptionId":"s1","subName":"one again","subscriptionId1":"s1"};{"name":"vm2","subscriptionId":"s2","subName":"","subscriptionId1":""};{"name":"vm3","subscriptionId":"s1","subName":"one","subscriptionId1":"s1"};{"name":"vm3","subscriptionId":"s1","subName":"one again","subscriptionId1":"s1"};{"name":"vm4","subscriptionId":"S1","subName":"","subscriptionId1":""}
            """)
    void flavor(String kind, String on, String expected) {
        String query = LEFT + " | join " + (kind == null ? "" : kind) + " " + RIGHT + " " + on;
        assertEquals(expected, String.join(";", Rows.json(KqlQuery.evaluate(query, TABLES))));
    }

    @org.junit.jupiter.api.Test
    void differentlyNamedKeysAndTheSuffixOnEveryCollidingColumn() {
        String query = "resources | where name == 'vm1' | project id, name, sub = tolower(subscriptionId)"
                + " | join kind=inner (resourcecontainers | where name == 'one' | project id, name, subscriptionId) "
                + "on $right.subscriptionId == $left.sub";
        KqlResult r = KqlQuery.evaluate(query, TABLES);
        assertEquals(List.of("{\"id\":\"/vm/1\",\"name\":\"vm1\",\"sub\":\"s1\",\"id1\":\"/s1\",\"name1\":\"one\",\"subscriptionId\":\"s1\"}"),
                Rows.json(r));
    }

    @org.junit.jupiter.api.Test
    void aSuffixAlreadyTakenMovesOnToTheNextNumber() {
        String query = "resources | take 1 | project name, name1 = 'x' | join kind=inner (resources | take 1 | project name) on name";
        assertEquals(List.of("{\"name\":\"vm1\",\"name1\":\"x\",\"name2\":\"vm1\"}"), Rows.json(KqlQuery.evaluate(query, TABLES)));
    }

    @org.junit.jupiter.api.Test
    void aBareTableOnTheRight() {
        String query = "resources | where name == 'vm2' | project subscriptionId | join kind=leftouter resourcecontainers on subscriptionId"
                + " | project subscriptionId, id, managedBy, properties";
        assertEquals(List.of("{\"subscriptionId\":\"s2\",\"id\":\"\",\"managedBy\":\"\",\"properties\":null}"),
                Rows.json(KqlQuery.evaluate(query, TABLES)));
    }
}
