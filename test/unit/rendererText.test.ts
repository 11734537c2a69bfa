import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const RENDERER = join(import.meta.dirname, '..', '..', 'renderer');

/** Chinese characters and CJK or full-width punctuation (、；：（）「」 and the like). */
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/**
 * Words a screen shows in its own language whatever the user chose: the language switch names Chinese in
 * Chinese. Everything else on screen comes from renderer/i18n, so English shows no Chinese punctuation.
 */
const ALLOWED = new Set(['app/AppHeader.tsx: 中文']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The text a file puts on screen or into strings: string literals, template literal parts and JSX text (not comments, not regular expressions). */
function textsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const texts: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) texts.push(node.text);
    else if (ts.isJsxText(node)) texts.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return texts.map((text) => text.trim()).filter((text) => text !== '');
}

describe('the renderer writes no words of its own', () => {
  it('keeps Chinese words and punctuation in renderer/i18n, so the English screens show none', () => {
    const found: string[] = [];
    for (const file of sourceFiles(RENDERER)) {
      for (const text of textsOf(file)) {
        const entry = `${relative(RENDERER, file)}: ${text}`;
        if (CJK.test(text) && !ALLOWED.has(entry)) found.push(entry);
      }
    }
    expect(found).toEqual([]);
  });
});
