package com.mdeonboarding.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Negative controls: the checks the template tests rely on do catch the mistakes they are meant to catch. */
class ArmTemplateCheckerTest {
    private static ArmTemplate parse(String json) {
        try {
            return ArmTemplate.of("inline.json", ArmTemplate.JSON.readTree(json.replace('`', '"')));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anUndeclaredParameterOrVariableIsReported() {
        ArmTemplate t = parse("""
                { `parameters`: { `a`: { `type`: `string` } }, `variables`: { `v`: `[parameters('a')]` },
                  `resources`: [ { `type`: `X.Y/z`, `apiVersion`: `2024-01-01`,
                                   `name`: `[concat(parameters('a'), parameters('typo'), variables('nope'))]` } ] }""");
        List<String> problems = t.undeclaredReferences();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("parameters('typo')"));
        assertTrue(problems.get(1).contains("variables('nope')"));
    }

    @Test
    void aNestedInnerTemplateHasItsOwnScopeAndTheOuterValuesStayInTheOuterScope() {
        ArmTemplate t = parse("""
                { `parameters`: { `outer`: { `type`: `string` } },
                  `resources`: [ { `type`: `Microsoft.Resources/deployments`, `apiVersion`: `2022-09-01`, `name`: `n`,
                    `properties`: { `expressionEvaluationOptions`: { `scope`: `inner` },
                      `parameters`: { `inner`: { `value`: `[parameters('outer')]` } },
                      `template`: { `parameters`: { `inner`: { `type`: `string` } },
                        `resources`: [ { `type`: `X.Y/z`, `apiVersion`: `2024-01-01`, `name`: `[parameters('outer')]` } ] } } } ] }""");
        List<String> problems = t.undeclaredReferences();
        assertEquals(1, problems.size(), "the nested resource cannot see the outer parameter: " + problems);
        assertTrue(problems.get(0).contains("/template/resources[0]/name"));
        assertEquals(2, t.resources().size(), "nested resources are walked");
    }

    @Test
    void escapedBracketsAreLiteralsNotExpressions() {
        ArmTemplate t = parse("{ `resources`: [ { `type`: `X.Y/z`, `apiVersion`: `2024-01-01`, `name`: `[[parameters('x')]` } ] }");
        assertTrue(t.undeclaredReferences().isEmpty());
        assertEquals("[parameters('x')]", t.scope().eval("[[parameters('x')]").asText());
    }

    @Test
    void ifEvaluatesOnlyTheBranchItTakes() {
        ArmTemplate t = parse("""
                { `parameters`: { `mode`: { `type`: `string`, `defaultValue`: `audit` } },
                  `variables`: { `a`: [ `r` ], `b`: [ `w` ] }, `resources`: [] }""");
        String expr = "[if(equals(parameters('mode'), 'enforce'), concat(variables('a'), variables('b')), variables('a'))]";
        assertEquals("[\"r\"]", t.scope().eval(expr).toString());
        assertEquals("[\"r\",\"w\"]", t.scope().with(Map.of("mode", TextNode.valueOf("enforce"))).eval(expr).toString());
        assertThrows(ArmExpression.Unresolvable.class, () -> t.scope().eval("[if(equals(parameters('mode'), 'audit'), resourceGroup().id, 'x')]"));
        assertEquals("x", t.scope().eval("[if(equals(parameters('mode'), 'enforce'), resourceGroup().id, 'x')]").asText());
    }

    @Test
    void aParameterWithoutDefaultIsUnresolvableRatherThanGuessed() {
        ArmTemplate t = parse("{ `parameters`: { `p`: { `type`: `string` } }, `resources`: [] }");
        assertThrows(ArmExpression.Unresolvable.class, () -> t.scope().eval("[parameters('p')]"));
        JsonNode v = t.scope().with(Map.of("p", TextNode.valueOf("given"))).eval("[format('{0}-x', parameters('p'))]");
        assertEquals("given-x", v.asText());
    }
}
