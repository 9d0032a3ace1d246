/**
 * A strict well-formedness check for the SVG files the tests produce (happy-dom's XML parser forgives too
 * much): balanced tags, unique attributes, only XML's own entities, no stray `<` or `&`, and no NaN or
 * Infinity written into an attribute. Returns the problems (none for a good file).
 */
export function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  let match: RegExpExecArray | null;
  let roots = 0;
  while ((match = token.exec(body))) {
    const [, closing, name, attributes, selfClosing, text, stray] = match;
    if (stray) {
      problems.push(`a stray "<" at ${match.index}`);
      continue;
    }
    if (text !== undefined) {
      if (stack.length === 0 && text.trim()) problems.push(`text outside the root: ${JSON.stringify(text.slice(0, 20))}`);
      checkEntities(text, problems);
      continue;
    }
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
      continue;
    }
    if (stack.length === 0) roots++;
    const seen = new Set<string>();
    for (const attribute of attributes.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      const [, key, double, single] = attribute;
      const value = double ?? single ?? '';
      if (seen.has(key)) problems.push(`<${name}> has ${key} twice`);
      seen.add(key);
      checkEntities(value, problems);
      if (/\b(NaN|Infinity)\b/.test(value)) problems.push(`<${name} ${key}="${value.slice(0, 30)}"> holds a non-number`);
    }
    if (!selfClosing) stack.push(name);
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

function checkEntities(text: string, problems: string[]): void {
  for (const entity of text.matchAll(/&([^;\s]*);?/g)) {
    if (!/^(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+)$/.test(entity[1]) || !entity[0].endsWith(';')) problems.push(`a bad entity ${entity[0]}`);
  }
}
