#!/usr/bin/env node
// Checks every KQL query infra/monitoring.json ships (the workbook's panels and the scheduled query rules), and every
// ```kusto block of README.md (the examples an operator pastes into Logs), with Microsoft's
// Kusto language service (@kusto/language-service-next, as check-queries.js does for Resource Graph): parse and bind
// against the Application Insights tables the queries run on. Run by KustoQueriesCheckTest.
//
//   node check-monitoring.js [template.json [readme.md]]     (default: infra/monitoring.json and README.md)
//
// Prints "<query name>: ok" or "<query name>:<line>:<column>: <severity> <code>: <message>" per problem. Exit 0: none.
'use strict';

const fs = require('fs');
const path = require('path');

require('@kusto/language-service-next/bridge.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.js');
const K = globalThis.Kusto.Language;
const S = K.Symbols;

// Application Insights (classic, resource-centric) table columns: MicrosoftDocs/azure-docs
// articles/azure-monitor/app/data-model-complete.md and the "Application Insights telemetry data model" pages
// (data-model-trace-telemetry.md, data-model-request-telemetry.md, data-model-exception-telemetry.md,
// data-model-event-telemetry.md); the common context columns of every table (operation_*, cloud_*, itemCount, ...).
const COMMON = {
  timestamp: 'datetime', itemType: 'string', itemId: 'string', itemCount: 'int', customDimensions: 'dynamic',
  customMeasurements: 'dynamic', operation_Name: 'string', operation_Id: 'string', operation_ParentId: 'string',
  operation_SyntheticSource: 'string', session_Id: 'string', user_Id: 'string', user_AuthenticatedId: 'string',
  user_AccountId: 'string', application_Version: 'string', client_Type: 'string', client_Model: 'string',
  client_OS: 'string', client_IP: 'string', client_City: 'string', client_StateOrProvince: 'string',
  client_CountryOrRegion: 'string', client_Browser: 'string', cloud_RoleName: 'string', cloud_RoleInstance: 'string',
  appId: 'string', appName: 'string', iKey: 'string', sdkVersion: 'string',
};
const TABLES = {
  traces: { message: 'string', severityLevel: 'int' },
  requests: { id: 'string', source: 'string', name: 'string', url: 'string', success: 'bool', resultCode: 'string',
    duration: 'real', performanceBucket: 'string' },
  exceptions: { problemId: 'string', handledAt: 'string', type: 'string', message: 'string', assembly: 'string',
    method: 'string', outerType: 'string', outerMessage: 'string', outerAssembly: 'string', outerMethod: 'string',
    innermostType: 'string', innermostMessage: 'string', innermostAssembly: 'string', innermostMethod: 'string',
    severityLevel: 'int', details: 'dynamic' },
  customEvents: { name: 'string' },
};

function globals() {
  const types = { string: S.ScalarTypes.String, dynamic: S.ScalarTypes.Dynamic, datetime: S.ScalarTypes.DateTime,
    int: S.ScalarTypes.Int, bool: S.ScalarTypes.Bool, real: S.ScalarTypes.Real };
  const tables = Object.entries(TABLES).map(([name, own]) => new S.TableSymbol.$ctor4(name,
    Object.entries({ ...COMMON, ...own }).map(([n, t]) => new S.ColumnSymbol(n, types[t], null, null, null, null))));
  const db = new S.DatabaseSymbol.ctor('ApplicationInsights', tables);
  const cluster = new S.ClusterSymbol.ctor('applicationinsights', [db]);
  return K.GlobalState.Default.WithCluster(cluster).WithDatabase(db);
}

/** [name, query] for every query of the template: workbook KqlItems and scheduled query rules' criteria. */
function queries(template) {
  const out = [];
  const workbook = template.variables && template.variables.workbook;
  for (const item of (workbook && workbook.items) || []) {
    if (item.content && typeof item.content.query === 'string') {
      out.push([`workbook/${item.name}`, item.content.query]);
    }
  }
  for (const r of template.resources || []) {
    if (r.type === 'Microsoft.Insights/scheduledQueryRules') {
      const name = r.name.replace(/^\[format\('\{0\}-([^']+)'.*$/, '$1');
      r.properties.criteria.allOf.forEach((c, i) => out.push([`alert/${name}${i ? '#' + i : ''}`, c.query]));
    }
  }
  return out;
}

/** [name, query] for every ```kusto fenced block of a Markdown file. */
function markdownQueries(text) {
  const out = [];
  const fence = /^```kusto\n([\s\S]*?)^```/gm;
  let m;
  let n = 0;
  while ((m = fence.exec(text)) !== null) {
    n++;
    out.push([`readme/${n} (line ${text.slice(0, m.index).split('\n').length})`, m[1]]);
  }
  return out;
}

function main(argv) {
  const root = path.resolve(__dirname, '..', '..', '..', '..');
  const file = argv[0] || path.join(root, 'infra', 'monitoring.json');
  const readme = argv.length > 0 ? argv[1] : path.join(root, 'README.md');
  const template = JSON.parse(fs.readFileSync(file, 'utf8'));
  const state = globals();
  const list = queries(template).concat(readme ? markdownQueries(fs.readFileSync(readme, 'utf8')) : []);
  let total = 0;
  for (const [name, text] of list) {
    const code = K.KustoCode.ParseAndAnalyze(text, state);
    const d = code.GetDiagnostics();
    if (d.Count === 0) {
      console.log(`${name}: ok`);
    }
    for (let i = 0; i < d.Count; i++) {
      const p = d.getItem(i);
      const before = text.slice(0, p.Start).split('\n');
      console.log(`${name}:${before.length}:${before[before.length - 1].length + 1}: ${p.Severity} ${p.Code}: ${p.Message}`);
      total++;
    }
  }
  console.log(`checked ${list.length} queries: ${total} problem(s)`);
  return list.length > 0 && total === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
