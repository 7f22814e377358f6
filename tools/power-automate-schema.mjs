// Derives the request body schema for Power Automate's "When an HTTP request
// is received" trigger from docs/submission.schema.json, so the recipe in
// docs/endpoints.md never drifts from the format (tests/e2e/endpoints.spec.ts
// checks the two agree). The trigger reads a draft-04-style subset: plain
// types, properties and required; it offers each property as a token in later
// actions. `const`, `$defs` and `oneOf` are left out (the receiver-side checks
// are the recipe's own), and answers stay one object, written as JSON text.
//
//   node tools/power-automate-schema.mjs   # prints the schema
import * as fs from 'fs';
import { fileURLToPath } from 'url';

export function powerAutomateSchema(submissionSchema) {
  const props = {};
  for (const [name, p] of Object.entries(submissionSchema.properties)) {
    props[name] = { type: p.type ?? (Number.isInteger(p.const) ? 'integer' : typeof p.const) };
  }
  return { type: 'object', properties: props, required: submissionSchema.required };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const schema = JSON.parse(fs.readFileSync(new URL('../docs/submission.schema.json', import.meta.url), 'utf8'));
  console.log(JSON.stringify(powerAutomateSchema(schema), null, 2));
}
