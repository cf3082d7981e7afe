// Asks the real yaml-language-server (the npm package that VS Code's YAML
// extension and other editors run) what an editor shows for policy files,
// for tests/input/test_schemas_in_editors.py.
// Usage: node yaml_language_server.mjs NODE_MODULES < requests.json
// Each request: {"file": PATH, "text": TEXT, "ask": "validate" | "complete" | "hover",
// "offset": N (complete and hover)}. The file's first line names its schema
// (a modeline); schemas are read from disk, nothing from the network.
// Prints a JSON list, one answer a request: diagnostics [{line, message, source}],
// completion labels, or the hover's Markdown.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const modules = path.resolve(process.argv[2]);
const load = (relative) => import(pathToFileURL(path.join(modules, relative)).href);
const { getLanguageService } = await load("yaml-language-server/out/src/index.js");
const { TextDocument } = await load("vscode-languageserver-textdocument/lib/esm/main.js");

const service = getLanguageService({
  schemaRequestService: async (uri) => {
    if (!uri.startsWith("file:")) throw new Error(`no network: ${uri}`);
    return fs.readFileSync(fileURLToPath(uri), "utf8");
  },
  workspaceContext: {
    resolveRelativePath: (relative, resource) => new URL(relative, resource).href,
  },
});
service.configure({ validate: true, hover: true, completion: true, schemas: [], customTags: [] });

const requests = JSON.parse(fs.readFileSync(0, "utf8"));
const answers = [];
let version = 0; // the service keeps a parsed document by its URI and version
for (const request of requests) {
  const uri = pathToFileURL(path.resolve(request.file)).href;
  version += 1;
  const document = TextDocument.create(uri, "yaml", version, request.text);
  if (request.ask === "validate") {
    const diagnostics = await service.doValidation(document, false);
    answers.push(
      diagnostics.map((d) => ({ line: d.range.start.line + 1, message: d.message, source: d.source })),
    );
  } else if (request.ask === "complete") {
    const list = await service.doComplete(document, document.positionAt(request.offset), false);
    answers.push(list.items.map((item) => item.label));
  } else if (request.ask === "hover") {
    const hover = await service.doHover(document, document.positionAt(request.offset));
    answers.push(hover ? hover.contents.value : null);
  } else {
    throw new Error(`unknown request: ${request.ask}`);
  }
}
process.stdout.write(JSON.stringify(answers));
