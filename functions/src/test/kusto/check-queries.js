#!/usr/bin/env node
// Checks Resource Graph queries with Microsoft's Kusto language service (@kusto/language-service-next, pinned in
// package.json): parses and binds each query against the Resource Graph tables, then refuses what Resource Graph
// does not support. Run by functions/src/test/java/com/mdeonboarding/azure/KustoQueriesCheckTest.java.
//
//   node check-queries.js [file.kql ...]     (no files: every .kql in functions/src/main/resources/kql)
//
// Prints "<file>: ok" or one "<file>:<line>:<column>: <severity> <code>: <message>" line per problem, then a
// summary line. Exit code 0: no problems; 1: problems; 2: bad usage (a file is missing).
'use strict';

const fs = require('fs');
const path = require('path');

require('@kusto/language-service-next/bridge.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.js');
const K = globalThis.Kusto.Language;
const S = K.Symbols;

// The columns every Resource Graph table has: the rows shown in MicrosoftDocs/azure-docs
// articles/governance/resource-graph/concepts/explore-resources.md (id, kind, location, managedBy, name, plan,
// properties, resourceGroup, sku, subscriptionId, tags, type) plus tenantId, identity, zones and extendedLocation of
// the resource envelope. Keep equal to emulator/src/main/java/com/mdeonboarding/emulator/kql/ResourceGraphTables.java.
const COLUMNS = {
  id: 'string', name: 'string', type: 'string', tenantId: 'string', kind: 'string', location: 'string',
  resourceGroup: 'string', subscriptionId: 'string', managedBy: 'string',
  sku: 'dynamic', plan: 'dynamic', properties: 'dynamic', tags: 'dynamic', identity: 'dynamic', zones: 'dynamic',
  extendedLocation: 'dynamic',
};
const TABLES = ['resources', 'securityresources', 'resourcecontainers'];

// "Supported tabular/top level operators" and join flavors, MicrosoftDocs/azure-docs
// articles/governance/resource-graph/concepts/query-language.md (fullouter from its newer version).
const RESOURCE_GRAPH_OPERATORS = new Set(['count', 'distinct', 'extend', 'join', 'limit', 'mvexpand', 'mv-expand',
  'order', 'parse', 'project', 'project-away', 'sort', 'summarize', 'take', 'top', 'union', 'where']);
const RESOURCE_GRAPH_JOIN_KINDS = new Set(['innerunique', 'inner', 'leftouter', 'fullouter']);
const MAX_JOINS = 3; // "Limit of 3 join in a single query"

function globals() {
  const types = { string: S.ScalarTypes.String, dynamic: S.ScalarTypes.Dynamic };
  const columns = () => Object.entries(COLUMNS).map(([n, t]) => new S.ColumnSymbol(n, types[t], null, null, null, null));
  const tables = TABLES.map((t) => new S.TableSymbol.$ctor4(t, columns()));
  const db = new S.DatabaseSymbol.ctor('ResourceGraph', tables);
  const cluster = new S.ClusterSymbol.ctor('resourcegraph', [db]);
  return K.GlobalState.Default.WithCluster(cluster).WithDatabase(db);
}

function lineAndColumn(text, offset) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function check(text, state) {
  const code = K.KustoCode.ParseAndAnalyze(text, state);
  const problems = [];
  const diagnostics = code.GetDiagnostics();
  for (let i = 0; i < diagnostics.Count; i++) {
    const d = diagnostics.getItem(i);
    problems.push({ offset: d.Start, severity: d.Severity, code: d.Code, message: d.Message });
  }
  let joins = 0;
  code.Syntax.WalkElements((e) => {
    if (!Bridge.is(e, K.Syntax.QueryOperator)) {
      return;
    }
    const keyword = e.GetFirstToken();
    const name = keyword.Text;
    if (!RESOURCE_GRAPH_OPERATORS.has(name)) {
      problems.push({ offset: keyword.TextStart, severity: 'Error', code: 'RG001',
        message: `'${name}' is not a tabular operator Resource Graph supports (supported: ${[...RESOURCE_GRAPH_OPERATORS].join(', ')})` });
    }
    if (Bridge.is(e, K.Syntax.JoinOperator)) {
      joins++;
      if (joins === MAX_JOINS + 1) {
        problems.push({ offset: keyword.TextStart, severity: 'Error', code: 'RG002',
          message: `Resource Graph allows at most ${MAX_JOINS} join operators in a query` });
      }
      const params = e.Parameters;
      for (let i = 0; i < params.Count; i++) {
        const p = params.getItem(i);
        const pname = p.Name.ToString().trim();
        const value = p.Expression ? p.Expression.ToString().trim() : '';
        if (pname === 'kind' && !RESOURCE_GRAPH_JOIN_KINDS.has(value.toLowerCase())) {
          problems.push({ offset: p.TextStart, severity: 'Error', code: 'RG003',
            message: `Resource Graph does not support join kind=${value} (supported: ${[...RESOURCE_GRAPH_JOIN_KINDS].join(', ')})` });
        } else if (pname.startsWith('hint.')) {
          problems.push({ offset: p.TextStart, severity: 'Error', code: 'RG004',
            message: `Resource Graph does not allow join hints (${pname})` });
        }
      }
    }
  });
  return problems.sort((a, b) => a.offset - b.offset);
}

function main(argv) {
  const defaultDir = path.resolve(__dirname, '..', '..', 'main', 'resources', 'kql');
  const files = argv.length > 0 ? argv : fs.readdirSync(defaultDir).filter((f) => f.endsWith('.kql')).sort()
    .map((f) => path.join(defaultDir, f));
  if (files.length === 0) {
    console.error(`no .kql files in ${defaultDir}`);
    return 2;
  }
  const state = globals();
  let total = 0;
  for (const file of files) {
    if (!fs.existsSync(file)) {
      console.error(`${file}: no such file`);
      return 2;
    }
    const text = fs.readFileSync(file, 'utf8');
    const problems = check(text, state);
    if (problems.length === 0) {
      console.log(`${file}: ok`);
    }
    for (const p of problems) {
      const at = lineAndColumn(text, p.offset);
      console.log(`${file}:${at.line}:${at.column}: ${p.severity} ${p.code}: ${p.message}`);
    }
    total += problems.length;
  }
  console.log(`checked ${files.length} quer${files.length === 1 ? 'y' : 'ies'}: ${total} problem(s)`);
  return total === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
