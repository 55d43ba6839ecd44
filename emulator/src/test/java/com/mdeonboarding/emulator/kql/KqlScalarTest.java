package com.mdeonboarding.emulator.kql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every scalar operator and function over one row, as {@code resources | project v = EXPR}. Each row of the table
 * is: expression | the value as JSON | its Kusto type. Case rules: Kusto string operators table,
 * https://learn.microsoft.com/kusto/query/datatypes-string-operators; null rules:
 * https://learn.microsoft.com/kusto/query/scalar-data-types/null-values.
 */
class KqlScalarTest {
    private static final TableProvider ONE_ROW = Rows.resources("""
            [{"id": "/subscriptions/s1/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/VM1/Extensions/MDE.Windows",
              "name": "VM1", "type": "microsoft.compute/virtualmachines", "location": "westeurope",
              "properties": {"storageProfile": {"osDisk": {"osType": "Windows"}}, "empty": "", "n": 5, "flag": true,
                             "arr": [1, "two", null], "nul": null, "odata.type": "x", "text": "Fabrikam-Web_01 server"},
              "tags": {"Env": "Prod"}}]
            """);

    private static void check(String expr, String json, String type) {
        KqlResult r = KqlQuery.evaluate("resources | project v = " + expr, ONE_ROW);
        assertEquals(json, r.rows().get(0).get("v").toString(), expr);
        assertEquals(type, r.columns().get(0).type(), expr + " type");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # == and != are case-sensitive, =~ and !~ are not
            name == 'VM1'                         | true  | bool
            name == 'vm1'                         | false | bool
            name =~ 'vm1'                         | true  | bool
            name != 'vm1'                         | true  | bool
            name !~ 'vm1'                         | false | bool
            name !~ 'other'                       | true  | bool
            # in is case-sensitive, in~ is not
            name in ('vm1', 'VM2')                | false | bool
            name in ('VM1', 'VM2')                | true  | bool
            name in~ ('vm1', 'VM2')               | true  | bool
            name !in ('vm1')                      | true  | bool
            name !in~ ('vm1')                     | false | bool
            name !in~ ('other')                   | true  | bool
            # indexof is case-sensitive: '/extensions/' is not found in '.../Extensions/...'
            indexof(id, '/extensions/')           | -1    | long
            indexof(id, '/Extensions/')           | 83    | long
            indexof(tolower(id), '/extensions/')  | 83    | long
            indexof(name, 'M', 2)                 | -1    | long
            indexof(name, 'V', -1)                | null  | long
            # has (whole term), contains, startswith, endswith are case-insensitive; _cs forms are not
            type has 'Compute'                    | true  | bool
            type has 'comp'                       | false | bool
            properties.text has 'web_01'          | true  | bool
            properties.text has 'Fabrikam-Web'    | true  | bool
            properties.text has 'rikam'           | false | bool
            type has_cs 'Compute'                 | false | bool
            type has_cs 'compute'                 | true  | bool
            name !has 'vm1'                       | false | bool
            name !has_cs 'vm1'                    | true  | bool
            type contains 'COMP'                  | true  | bool
            type contains_cs 'COMP'               | false | bool
            type !contains 'xyz'                  | true  | bool
            type !contains_cs 'compute'           | false | bool
            name startswith 'vm'                  | true  | bool
            name startswith_cs 'vm'               | false | bool
            name !startswith 'V'                  | false | bool
            name !startswith_cs 'v'               | true  | bool
            name endswith 'm1'                    | true  | bool
            name endswith_cs 'm1'                 | false | bool
            name !endswith 'x'                    | true  | bool
            name !endswith_cs 'M1'                | false | bool
            # dynamic property access (property names are case-sensitive)
            properties.storageProfile.osDisk.osType             | `"Windows"` | dynamic
            properties['storageProfile']['osDisk']["osType"]    | `"Windows"` | dynamic
            tags['Env']                           | `"Prod"`   | dynamic
            tags.env                              | null       | dynamic
            properties.arr[1]                     | `"two"`    | dynamic
            properties.arr[5]                     | null       | dynamic
            properties.arr[2]                     | null       | dynamic
            properties.['odata.type']             | `"x"`      | dynamic
            properties.storageProfile.osDisk      | `{"osType":"Windows"}` | dynamic
            properties.n                          | 5          | dynamic
            # a missing property is null; comparisons with null: == false, != true, both null -> null
            properties.missing                    | null       | dynamic
            properties.missing.deeper             | null       | dynamic
            properties.missing == 'a'             | false      | bool
            properties.missing != 'a'             | true       | bool
            properties.missing == dynamic(null)   | null       | bool
            properties.storageProfile.osDisk.osType == 'Windows' | true | bool
            properties.storageProfile.osDisk.osType == 'windows' | false | bool
            properties.storageProfile.osDisk.osType =~ 'windows' | true | bool
            properties.n == 5                     | true       | bool
            properties.flag == true               | true       | bool
            # null tests; strings are never null ("" instead)
            isnull(properties.missing)            | true  | bool
            isnull(properties.nul)                | true  | bool
            isnotnull(properties.n)               | true  | bool
            isnotnull(properties.missing)         | false | bool
            isnull(managedBy)                     | false | bool
            isempty(managedBy)                    | true  | bool
            isempty(properties.empty)             | true  | bool
            isempty(properties.missing)           | true  | bool
            isempty(properties.n)                 | false | bool
            isnotempty(name)                      | true  | bool
            isnotempty(properties.missing)        | false | bool
            managedBy                             | `""`  | string
            # conversions: tostring(null) is ""
            tostring(properties.missing)          | `""`  | string
            tostring(properties.n)                | `"5"` | string
            tostring(properties.flag)             | `"true"` | string
            tostring(properties.arr)              | `"[1,\\"two\\",null]"` | string
            tostring(properties.storageProfile.osDisk.osType) | `"Windows"` | string
            toint('42')                           | 42    | int
            toint('x')                            | null  | int
            toint(properties.n)                   | 5     | int
            tolong('9000000000')                  | 9000000000 | long
            toint('9000000000')                   | null  | int
            tolong(properties.missing)            | null  | long
            tobool('TRUE')                        | true  | bool
            tobool('false')                       | false | bool
            tobool('maybe')                       | null  | bool
            tobool(properties.flag)               | true  | bool
            tolower(name)                         | `"vm1"` | string
            toupper(type)                         | `"MICROSOFT.COMPUTE/VIRTUALMACHINES"` | string
            tolower(properties.missing)           | `""`  | string
            # coalesce skips nulls, and empty strings among strings
            coalesce(properties.missing, properties.storageProfile.osDisk.osType) | `"Windows"` | dynamic
            coalesce(properties.missing, properties.nul)   | null    | dynamic
            coalesce(properties.empty, properties.n)       | `""`    | dynamic
            coalesce(managedBy, kind, name)                | `"VM1"` | string
            coalesce(managedBy, kind)                      | `""`    | string
            # strings
            strlen(name)                          | 3       | long
            strlen(properties.missing)            | 0       | long
            substring(name, 1)                    | `"M1"`  | string
            substring(name, 0, 2)                 | `"VM"`  | string
            substring(name, -2)                   | `"M1"`  | string
            substring(name, 1, 10)                | `"M1"`  | string
            substring(name, 10)                   | `""`    | string
            substring(name, 0, -1)                | `""`    | string
            substring(id, 0, indexof(id, '/Extensions/')) | `"/subscriptions/s1/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/VM1"` | string
            # conditionals and logic (three-valued: null or true is true, null and false is false)
            iff(name == 'VM1', 'yes', 'no')       | `"yes"` | string
            iif(name == 'vm1', 'yes', 'no')       | `"no"`  | string
            iff(properties.missing == dynamic(null), 1, 2) | 2 | long
            case(name == 'x', 1, name == 'VM1', 2, 3)      | 2 | long
            case(name == 'x', 1, 3)                        | 3 | long
            name == 'VM1' and type == 'x'         | false | bool
            name == 'VM1' or type == 'x'          | true  | bool
            name == 'x' or type == 'x' and true   | false | bool
            not(name == 'VM1')                    | false | bool
            not(properties.missing == dynamic(null)) | null | bool
            properties.missing == dynamic(null) or true  | true  | bool
            properties.missing == dynamic(null) and false | false | bool
            properties.missing == dynamic(null) and true  | null  | bool
            (name == 'VM1')                       | true  | bool
            # literals
            "double quoted"                       | `"double quoted"` | string
            'it\\'s'                              | `"it's"` | string
            @'C:\\temp'                           | `"C:\\\\temp"` | string
            1.5                                   | 1.5   | real
            -1                                    | -1    | long
            true                                  | true  | bool
            dynamic(null)                         | null  | dynamic
            """)
    void evaluates(String expr, String json, String type) {
        check(expr, json, type);
    }
}
