package com.mdeonboarding.emulator.kql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tabular operators: each table row is a query and the exact rows it returns (compact JSON, ';'-separated). */
class KqlOperatorsTest {
    private static final TableProvider TABLES = Rows.tables(Map.of(
            "resources", Rows.of("""
                    [{"id": "/r/b", "name": "b", "type": "t1", "location": "west", "properties": {"n": 2}},
                     {"id": "/r/a", "name": "a", "type": "T1", "location": "east", "properties": {"n": 1}},
                     {"id": "/r/c", "name": "c", "type": "t2", "location": "east"},
                     {"id": "/r/d", "name": "D", "type": "t2", "location": "west", "properties": {"n": 3}}]
                    """),
            "resourcecontainers", Rows.of("""
                    [{"id": "/s/1", "name": "sub one", "type": "microsoft.resources/subscriptions", "subscriptionId": "1"},
                     {"id": "/s/1/rg", "name": "east", "type": "microsoft.resources/subscriptions/resourcegroups", "subscriptionId": "1"},
                     {"id": "/s/1/rg2", "name": "east", "type": "microsoft.resources/subscriptions/resourcegroups", "subscriptionId": "1"}]
                    """)));

    private static String run(String query) {
        return String.join(";", Rows.json(KqlQuery.evaluate(query, TABLES)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
            # where keeps rows whose predicate is true (null is false)
            resources | where type == 't1' | project name => {"name":"b"}
            resources | where type =~ 't1' | project name => {"name":"b"};{"name":"a"}
            resources | where properties.n == 2 or name == 'c' | project name => {"name":"b"};{"name":"c"}
            resources | where properties.n != 2 | project name => {"name":"a"};{"name":"c"};{"name":"D"}
            # project: named, column, property path and conversion keep a derived name; others are Column1, ...
            resources | take 1 | project name, n = properties.n => {"name":"b","n":2}
            resources | take 1 | project properties.n, s = tostring(properties.n) => {"properties_n":2,"s":"2"}
            resources | take 1 | project tostring(properties['n']), tags.x => {"properties_n":"2","tags_x":null}
            resources | take 1 | project tolower(name), strlen(name) => {"Column1":"b","Column2":1}
            # extend appends; an existing name is removed and appended with its new value
            resources | take 1 | project name, location | extend x = 1 => {"name":"b","location":"west","x":1}
            resources | take 1 | project name, location | extend name = toupper(name) => {"location":"west","name":"B"}
            resources | take 1 | project name | extend a = tolower(name), b = a => {"name":"b","a":"b","b":"b"}
            # summarize count() by: by columns first, count_ last, groups in order of first appearance
            resources | summarize count() by location => {"location":"west","count_":2};{"location":"east","count_":2}
            resources | summarize n = count() by type => {"type":"t1","n":1};{"type":"T1","n":1};{"type":"t2","n":2}
            resources | summarize count() by tolower(type) => {"Column1":"t1","count_":2};{"Column1":"t2","count_":2}
            resources | summarize count() by tostring(properties.n) => {"properties_n":"2","count_":1};{"properties_n":"1","count_":1};{"properties_n":"","count_":1};{"properties_n":"3","count_":1}
            resources | summarize count() => {"count_":4}
            resources | where name == 'none' | summarize count() => {"count_":0}
            resources | where name == 'none' | summarize count() by type => ``
            resources | summarize by location => {"location":"west"};{"location":"east"}
            # order by: default desc; strings compare ordinally (upper case first); nulls first for asc, last for desc
            resources | order by name | project name => {"name":"c"};{"name":"b"};{"name":"a"};{"name":"D"}
            resources | order by name asc | project name => {"name":"D"};{"name":"a"};{"name":"b"};{"name":"c"}
            resources | sort by tolower(name) asc | project name => {"name":"a"};{"name":"b"};{"name":"c"};{"name":"D"}
            resources | order by location asc, name desc | project name => {"name":"c"};{"name":"a"};{"name":"b"};{"name":"D"}
            # top N by: sort (default desc), then the first N (Resource Graph's ResourcesComplexQuery example uses it)
            resources | top 2 by name | project name => {"name":"c"};{"name":"b"}
            resources | summarize count() by location | top 1 by location asc => {"location":"east","count_":2}
            # strcat converts every argument to a string
            resources | take 1 | project s = strcat(id, '/', properties.n) => {"s":"/r/b/2"}
            resources | order by toint(properties.n) asc | project name => {"name":"c"};{"name":"a"};{"name":"b"};{"name":"D"}
            resources | order by toint(properties.n) desc | project name => {"name":"D"};{"name":"b"};{"name":"a"};{"name":"c"}
            resources | order by toint(properties.n) asc nulls last | project name => {"name":"a"};{"name":"b"};{"name":"D"};{"name":"c"}
            # take / limit
            resources | take 2 | project name => {"name":"b"};{"name":"a"}
            resources | limit 1 | project name => {"name":"b"}
            resources | take 0 => ``
            # no table: Resource Graph's default table is resources; table names ignore case; comments are skipped
            where name == 'a' | project id => {"id":"/r/a"}
            Resources | where name == 'a' | project id => {"id":"/r/a"}
            ResourceContainers | where type =~ 'Microsoft.Resources/Subscriptions' | project name => {"name":"sub one"}
            `// first line\\nresources // trailing\\n| where name == 'a' // why\\n| project id` => {"id":"/r/a"}
            """)
    void operator(String query, String expected) {
        assertEquals(expected == null ? "" : expected, run(query.replace("\\n", "\n")));
    }

    @Test
    void projectingTheSameNameTwiceIsAnError() {
        KqlException e = assertThrows(KqlException.class, () -> run("resources | project name, name"));
        assertEquals(KqlException.Reason.SEMANTIC_ERROR, e.reason());
    }

    @Test
    void resultColumnsCarryKustoTypes() {
        KqlResult r = KqlQuery.evaluate("resources | take 1 | project name, properties, n = toint(properties.n), "
                + "b = name == 'x', l = strlen(name) | summarize count() by name, properties, n, b, l", TABLES);
        assertEquals(List.of(new KqlResult.Column("name", "string"), new KqlResult.Column("properties", "dynamic"),
                new KqlResult.Column("n", "int"), new KqlResult.Column("b", "bool"), new KqlResult.Column("l", "long"),
                new KqlResult.Column("count_", "long")), r.columns());
    }

    @Test
    void resultRowsAreCopiesOfTheProvidersValues() {
        List<com.fasterxml.jackson.databind.node.ObjectNode> source = Rows.of("""
                [{"id": "/r/a", "properties": {"n": 1}}]""");
        KqlResult r = KqlQuery.evaluate("resources | project properties", Rows.tables(Map.of("resources", source)));
        ((com.fasterxml.jackson.databind.node.ObjectNode) r.rows().get(0).get("properties")).put("n", 99);
        assertEquals(1, source.get(0).get("properties").get("n").intValue());
    }

    @Test
    void aRowWithAColumnResourceGraphDoesNotHaveIsRefused() {
        TableProvider bad = Rows.resources("""
                [{"id": "/r/a", "osType": "Windows"}]""");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KqlQuery.evaluate("resources | take 1", bad));
        assertEquals(true, e.getMessage().contains("'osType'"), e.getMessage());
    }

    @Test
    void aStringColumnHoldingANumberIsRefused() {
        TableProvider bad = Rows.resources("""
                [{"id": "/r/a", "name": 5}]""");
        assertThrows(IllegalArgumentException.class, () -> KqlQuery.evaluate("resources | take 1", bad));
    }
}
