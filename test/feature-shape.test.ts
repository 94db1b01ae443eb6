/**
 * The size limits of the feature shape (docs/architecture.md): no source file under src/ over 600 lines
 * and no feature folder over 15 files, tests aside. A file or folder that grows past them is split by
 * subject before it lands, so every feature stays one a newcomer can read.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const MAX_LINES = 600;
const MAX_FEATURE_FILES = 15;

const isTest = (name: string) => /\.test\.tsx?$/.test(name);
const isSource = (name: string) => /\.tsx?$/.test(name) && !isTest(name);

/** Every file below `dir`, as paths. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

const lineCount = (path: string) => readFileSync(path, 'utf8').split('\n').length - 1;

/** The source files below `root` (tests aside) longer than the limit. */
function oversizeFiles(root: string): { file: string; lines: number }[] {
  return filesBelow(root)
    .filter((p) => isSource(p))
    .map((p) => ({ file: relative(root, p), lines: lineCount(p) }))
    .filter((f) => f.lines > MAX_LINES);
}

/** The feature folders of `featuresDir` holding more files (tests aside) than the limit. */
function crowdedFeatures(featuresDir: string): { feature: string; files: number }[] {
  return readdirSync(featuresDir)
    .filter((d) => statSync(join(featuresDir, d)).isDirectory())
    .map((d) => ({ feature: d, files: filesBelow(join(featuresDir, d)).filter((p) => !isTest(p)).length }))
    .filter((f) => f.files > MAX_FEATURE_FILES);
}

describe('the feature shape', () => {
  it(`has no source file under src/ over ${MAX_LINES} lines`, () => {
    expect(filesBelow('src').filter((p) => isSource(p)).length).toBeGreaterThan(100);
    expect(oversizeFiles('src')).toEqual([]);
  });

  it(`has no feature folder over ${MAX_FEATURE_FILES} files, tests aside`, () => {
    expect(readdirSync('src/features')).toContain('cases');
    expect(crowdedFeatures('src/features')).toEqual([]);
  });

  it('finds a file over the limit and a crowded feature, and lets tests be', () => {
    const root = mkdtempSync(join(tmpdir(), 'nwd-shape-'));
    try {
      const feature = join(root, 'features', 'example');
      mkdirSync(join(feature, 'views'), { recursive: true });
      writeFileSync(join(feature, 'service.ts'), 'export const x = 1;\n'.repeat(MAX_LINES + 1));
      writeFileSync(join(feature, 'rules.ts'), 'export const y = 1;\n'.repeat(MAX_LINES));
      writeFileSync(join(feature, 'service.db.test.ts'), 'export {};\n'.repeat(MAX_LINES + 50));
      for (let i = 0; i < MAX_FEATURE_FILES - 2; i += 1)
        writeFileSync(join(feature, 'views', `page-${i}.tsx`), 'export {};\n');
      expect(oversizeFiles(root)).toEqual([{ file: join('features', 'example', 'service.ts'), lines: 601 }]);
      expect(crowdedFeatures(join(root, 'features'))).toEqual([]);
      writeFileSync(join(feature, 'views', 'one-more.tsx'), 'export {};\n');
      expect(crowdedFeatures(join(root, 'features'))).toEqual([{ feature: 'example', files: 16 }]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
