/**
 * Which errors mean "the database is away" (answered 503 with Retry-After) and which are faults of the
 * request or the code (500): connection refusals, lost connections, shutdowns and deadlines only.
 */
import { describe, expect, it } from 'vitest';
import { QueryTimeoutError, isDatabaseUnavailable } from './database.ts';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset connection', withCode('ECONNRESET')],
    ['a name that does not resolve', withCode('ENOTFOUND')],
    [
      'a terminated backend (57P01)',
      withCode('57P01', 'terminating connection due to administrator command'),
    ],
    ['a crash reset (57P02)', withCode('57P02')],
    ['a server starting or shutting down (57P03)', withCode('57P03', 'the database system is starting up')],
    ['no connection left (53300)', withCode('53300')],
    ['a connection exception (class 08)', withCode('08006')],
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    ['a connection timeout', new Error('Connection terminated due to connection timeout')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    [
      'a client broken by an earlier error',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['a closing pool', new Error('Cannot use a pool after calling end on the pool')],
    ['a query past its deadline', new QueryTimeoutError(30_000)],
    ['a cause', new Error('could not load', { cause: withCode('ECONNREFUSED') })],
    [
      'an AggregateError (one per address)',
      new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]),
    ],
  ])('%s is the database being away', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a syntax error (42601)', withCode('42601', 'syntax error at or near "selec"')],
    ['a unique violation (23505)', withCode('23505')],
    ['a serialization failure (40001)', withCode('40001')],
    ['a statement timeout (57014)', withCode('57014', 'canceling statement due to statement timeout')],
    ['a plain error', new Error('boom')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['not an error', 'Connection terminated unexpectedly'],
    ['null', null],
  ])('%s is not', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('stops following a cycle of causes', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});
