import { describe, expect, it } from 'vitest';
import { classifyDbError, logFields, refusalReason } from '@/lib/ingest/db-errors';

/**
 * Error classification by the shapes the driver adapters produce (seen on @prisma/adapter-pg and
 * pglite-prisma-adapter; the integration tests raise the real ones on both drivers).
 */
const prismaRaw = (cause: Record<string, unknown>) =>
  Object.assign(new Error(`Raw query failed. Code: \`${String(cause.originalCode)}\`. Message: \`value "123.45.67.89" is bad\``), {
    name: 'PrismaClientKnownRequestError',
    code: 'P2010',
    meta: { driverAdapterError: Object.assign(new Error(String(cause.kind)), { name: 'DriverAdapterError', cause }) },
  });

describe('classifyDbError', () => {
  it.each([
    ['22003', { originalCode: '22003', kind: 'ValueOutOfRange', cause: 'value "9" is out of range' }, 'data', null],
    ['22001', { originalCode: '22001', kind: 'LengthMismatch', column: 'title' }, 'data', 'title'],
    ['22023 with a column', { originalCode: '22023', kind: 'postgres', code: '22023', severity: 'ERROR', column: 'title' }, 'data', 'title'],
    ['23502', { originalCode: '23502', kind: 'NullConstraintViolation', constraint: { fields: ['"wiki"'] } }, 'data', 'wiki'],
    ['23514', { originalCode: '23514', kind: 'postgres', originalMessage: 'new row for relation "edit" violates check constraint "edit_x"' }, 'data', 'edit_x'],
    ['54000', { originalCode: '54000', kind: 'postgres', code: '54000', severity: 'ERROR' }, 'data', null],
    ['23505 (concurrent writer or bug)', { originalCode: '23505', kind: 'UniqueConstraintViolation' }, 'other', null],
    ['40001', { originalCode: '40001', kind: 'TransactionWriteConflict' }, 'transient', null],
    ['40P01', { originalCode: '40P01', kind: 'TransactionWriteConflict' }, 'transient', null],
    ['57P01', { originalCode: '57P01', kind: 'postgres' }, 'transient', null],
    ['53300', { originalCode: '53300', kind: 'TooManyConnections' }, 'transient', null],
    ['P0001 (a trigger)', { originalCode: 'P0001', kind: 'postgres' }, 'other', null],
    ['42P01', { originalCode: '42P01', kind: 'TableDoesNotExist' }, 'other', null],
    ['a connection closed', { kind: 'ConnectionClosed' }, 'transient', null],
  ])('%s', (_name, cause, kind, field) => {
    const info = classifyDbError(prismaRaw(cause));
    expect(info.kind).toBe(kind);
    expect(info.field).toBe(field);
  });

  it('errors outside the adapters: pg errors, node socket errors, Prisma transaction errors', () => {
    expect(classifyDbError(Object.assign(new Error('x'), { code: '22P02', severity: 'ERROR' })).kind).toBe('data');
    expect(classifyDbError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })).kind).toBe('transient');
    expect(classifyDbError(Object.assign(new Error('Transaction already closed'), { code: 'P2028' })).kind).toBe('transient');
    expect(classifyDbError(new Error('Connection terminated unexpectedly')).kind).toBe('transient');
    expect(classifyDbError(new Error('something else')).kind).toBe('other');
    expect(classifyDbError(undefined).kind).toBe('other');
  });

  it('a field name that is not a plain identifier is dropped; reasons and log fields hold no message', () => {
    const info = classifyDbError(prismaRaw({ originalCode: '22023', kind: 'postgres', column: '198.51.100.1 x' }));
    expect(info).toEqual({ kind: 'data', sqlstate: '22023', driverKind: null, field: null });
    expect(refusalReason(info)).toBe('database refused the event: SQLSTATE 22023 (class 22 data exception)');
    const logged = JSON.stringify(logFields(prismaRaw({ originalCode: '22003', kind: 'ValueOutOfRange' })));
    expect(logged).not.toMatch(/123\.45|is bad|out of range/);
  });
});
