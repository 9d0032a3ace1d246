/** Design principle 1 and 3 as checks: the core stays framework-free and draws no unseeded randomness. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const core = filesUnder('src/lab').map((path) => ({ path, text: readFileSync(path, 'utf8') }));

describe('src/lab (the core)', () => {
  it('exists and has the expected modules', () => {
    expect(core.map((f) => f.path)).toEqual(expect.arrayContaining(['src/lab/train.ts', 'src/lab/random.ts', 'src/lab/policies/tabular.ts']));
  });

  it('imports no UI, DOM or app code', () => {
    for (const { path, text } of core) {
      const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]);
      for (const spec of imports) {
        expect(spec, `${path} imports ${spec}`).not.toMatch(/^(react|react-dom|zustand|recharts)(\/|$)|\/(app|worker|cli)\//);
      }
      expect(text, `${path} touches the DOM`).not.toMatch(/\b(document|window)\./);
    }
  });

  it('computes transcendental functions through lab/math.ts, so every JavaScript engine gets the same bits', () => {
    for (const { path, text } of core) {
      if (path.endsWith('math.ts')) continue;
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code, path).not.toMatch(/Math\.(exp|expm1|log|log1p|log2|log10|pow|sin|cos|tan|sinh|cosh|tanh|asin|acos|atan|atan2|asinh|acosh|atanh|cbrt|hypot)\(/);
    }
  });

  it('imports tfjs only in policies/ (the neural policies); everything else is plain TypeScript', () => {
    for (const { path, text } of core) {
      if (path.includes('/policies/')) continue;
      expect(text, path).not.toMatch(/from\s+'@tensorflow\//);
    }
  });

  it('never uses Math.random or tfjs random ops', () => {
    for (const { path, text } of core) {
      expect(text, path).not.toMatch(/Math\.random|tf\.(random\w*|multinomial)\(/);
    }
  });
});

describe('src/worker (the training worker)', () => {
  const worker = filesUnder('src/worker').map((path) => ({ path, text: readFileSync(path, 'utf8') }));

  it('imports the core and its protocol, never the app or a UI library', () => {
    expect(worker.map((f) => f.path)).toEqual(expect.arrayContaining(['src/worker/protocol.ts', 'src/worker/training-session.ts']));
    for (const { path, text } of worker) {
      const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]);
      for (const spec of imports) {
        expect(spec, `${path} imports ${spec}`).not.toMatch(/^(react|react-dom|zustand|recharts)(\/|$)|\/app\//);
      }
    }
  });
});
