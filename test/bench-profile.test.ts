/**
 * The benchmark's reading of a CPU profile: the audit append's share of the server's time under the
 * case-page load, counted from the first sample inside the case page's route, idle time aside.
 */
import { describe, expect, it } from 'vitest';
import { auditShareOfProfile } from '../bench/cases.ts';

const node = (id: number, functionName: string, children: number[] = []) => ({
  id,
  callFrame: { functionName },
  children,
});

// (root) → startup; (root) → (idle); (root) → runMicrotasks → overviewPage → getCase → insertAudit;
// runMicrotasks → renderPage.
const nodes = [
  node(1, '(root)', [2, 3, 4]),
  node(2, 'loadModules'),
  node(3, '(idle)'),
  node(4, 'runMicrotasks', [5, 8]),
  node(5, 'overviewPage', [6]),
  node(6, 'getCase', [7]),
  node(7, 'insertAudit'),
  node(8, 'renderPage'),
];

describe('auditShareOfProfile', () => {
  it('counts audit samples against the server time from the first case page on, idle aside', () => {
    const share = auditShareOfProfile({
      nodes,
      // Start-up before the first request is not counted; idle never is.
      samples: [2, 2, 5, 7, 8, 8, 3, 3, 8, 7],
      timeDeltas: [5000, 5000, 1000, 1000, 1000, 1000, 9000, 9000, 1000, 1000],
    });
    expect(share).toEqual({ serverMs: 6, auditMs: 2, share: 0.333 });
  });

  it('reads nothing before the case page is reached', () => {
    expect(auditShareOfProfile({ nodes, samples: [2, 8, 2], timeDeltas: [1000, 1000, 1000] })).toEqual({
      serverMs: 0,
      auditMs: 0,
      share: 0,
    });
  });
});
