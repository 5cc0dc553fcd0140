import { Document, parse, visit } from 'yaml';

/** How a plain (unquoted) scalar reads in YAML 1.2 and in YAML 1.1, which Kubernetes' go-yaml and PyYAML follow. */
function readsAsItself(text: string): boolean {
  return (['1.1', '1.2'] as const).every((version) => {
    try {
      return parse(text, { version, logLevel: 'silent' }) === text;
    } catch {
      return false;
    }
  });
}

/**
 * A YAML document every reader takes the same way: a string that YAML 1.1 would read as something else
 * (`no`, `on`, `y`, `1_000`, `1:30`) is quoted, so a ConfigMap value stays a string and `restart: "no"`
 * stays the word.
 */
export function yamlText(value: unknown): string {
  const doc = new Document(value, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && node.type === undefined && !readsAsItself(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0 });
}
