/**
 * POST /import/devices: bulk upsert of devices from CSV (header row
 * `id,name,clientId,kind,policyId,quotaBytes`; optional `clientName` creates a
 * missing client, optional `policyName` + `intervalHours` a missing policy).
 * All or nothing: any bad row rejects the file with an error for every bad row.
 */
import Papa from 'papaparse';
import type { Problem } from '../../core/api.ts';
import type { Database } from '../db/client.ts';
import { RowErrorList } from '../http/error-list.ts';
import { MAX_LISTED_ERRORS, unprocessable } from '../http/problem.ts';
import type { DeviceRecord, Inventory } from './inventory.ts';
import { csvDeviceRow, type CsvDeviceRow } from './inventory-schema.ts';

/** Largest file accepted, in data rows. */
export const MAX_IMPORT_ROWS = 50_000;
const REQUIRED_COLUMNS = ['id', 'name', 'clientId', 'kind', 'policyId'] as const;

/** The 200 answer of POST /import/devices. */
export interface ImportResult {
  created: number;
  updated: number;
  total: number;
}

type RowErrors = NonNullable<Problem['errors']>;

const EXISTING_CLIENTS_SQL = 'SELECT c.id FROM json_each(?) j CROSS JOIN clients c WHERE c.tenant_id = ? AND c.id = j.value';
const EXISTING_POLICIES_SQL = 'SELECT p.id FROM json_each(?) j CROSS JOIN policies p WHERE p.tenant_id = ? AND p.id = j.value';
const CREATE_CLIENTS_SQL = `INSERT INTO clients (tenant_id, id, name, timezone, created_at, updated_at)
  SELECT ?1, v.value->>0, v.value->>1, COALESCE((SELECT timezone FROM tenants WHERE id = ?1), 'UTC'), ?2, ?2 FROM json_each(?3) v WHERE true
  ON CONFLICT DO NOTHING`;
const CREATE_POLICIES_SQL = `INSERT INTO policies (tenant_id, id, name, interval_hours, updated_at)
  SELECT ?1, v.value->>0, v.value->>1, v.value->>2, ?2 FROM json_each(?3) v WHERE true ON CONFLICT DO NOTHING`;

/** Parses and validates the CSV; every problem is reported with its 1-based data row. */
export function parseDeviceCsv(text: string): CsvDeviceRow[] {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (header) => header.trim(),
  });
  const columns = parsed.meta.fields ?? [];
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    throw unprocessable(`The header row must name the columns id,name,clientId,kind,policyId (optional: quotaBytes, clientName, policyName, intervalHours); missing: ${missing.join(', ')}.`,
      missing.map((column) => ({ row: 0, path: column, message: 'Missing column in the header row.' })));
  }
  if (parsed.data.length === 0) throw unprocessable('The file has a header row but no devices.');
  if (parsed.data.length > MAX_IMPORT_ROWS) {
    throw unprocessable(`An import holds at most ${MAX_IMPORT_ROWS.toLocaleString('en-US')} devices; this file has ${parsed.data.length}. Split it.`);
  }

  const errors = new RowErrorList();
  for (const error of parsed.errors) {
    // Missing trailing cells are empty optional columns (required ones are checked below).
    if (error.row === undefined || error.code === 'TooFewFields') continue;
    // Papa counts quote errors' rows with the header row, field-count errors' without.
    errors.add({ row: error.type === 'Quotes' ? error.row : error.row + 1, message: error.message });
  }
  const rows: CsvDeviceRow[] = [];
  const firstRowOf = new Map<string, number>();
  parsed.data.forEach((raw, i) => {
    const row = i + 1;
    const result = csvDeviceRow.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) errors.add({ row, path: issue.path.map(String).join('.') || undefined, message: issue.message } as RowErrors[number]);
      return;
    }
    const first = firstRowOf.get(result.data.id);
    if (first !== undefined) errors.add({ row, path: 'id', message: `Device "${result.data.id}" is already on row ${first}; each device once per file.` });
    else firstRowOf.set(result.data.id, row);
    rows.push(result.data);
  });
  if (errors.count > 0) throw rejected(errors, parsed.data.length);
  return rows;
}

/** Imports the validated rows for the tenant in one transaction. */
export async function importDevices(db: Database, inventory: Inventory, tenantId: string, rows: readonly CsvDeviceRow[], now: number): Promise<ImportResult> {
  return db.transaction(async (tx) => {
    const clientIds = [...new Set(rows.map((r) => r.clientId))];
    const policyIds = [...new Set(rows.map((r) => r.policyId))];
    const clients = new Set((await tx.all<{ id: string }>(EXISTING_CLIENTS_SQL, [JSON.stringify(clientIds), tenantId])).map((r) => r.id));
    const policies = new Set((await tx.all<{ id: string }>(EXISTING_POLICIES_SQL, [JSON.stringify(policyIds), tenantId])).map((r) => r.id));

    // Clients and policies to create: the first row that describes one decides its name (and interval).
    const newClients = new Map<string, string>();
    const newPolicies = new Map<string, [string, number]>();
    for (const row of rows) {
      if (!clients.has(row.clientId) && row.clientName && !newClients.has(row.clientId)) newClients.set(row.clientId, row.clientName);
      if (!policies.has(row.policyId) && row.policyName && row.intervalHours !== undefined && !newPolicies.has(row.policyId)) {
        newPolicies.set(row.policyId, [row.policyName, row.intervalHours]);
      }
    }
    const errors = new RowErrorList();
    rows.forEach((row, i) => {
      if (!clients.has(row.clientId) && !newClients.has(row.clientId)) {
        errors.add({ row: i + 1, path: 'clientId', message: `Client "${row.clientId}" does not exist; fill clientName to create it, or create it first with PUT /api/v1/clients/${row.clientId}.` });
      }
      if (!policies.has(row.policyId) && !newPolicies.has(row.policyId)) {
        errors.add({ row: i + 1, path: 'policyId', message: `Policy "${row.policyId}" does not exist; fill policyName and intervalHours to create it, or create it first with PUT /api/v1/policies/${row.policyId}.` });
      }
    });
    if (errors.count > 0) throw rejected(errors, rows.length);

    if (newClients.size > 0) await tx.run(CREATE_CLIENTS_SQL, [tenantId, now, JSON.stringify([...newClients])]);
    if (newPolicies.size > 0) await tx.run(CREATE_POLICIES_SQL, [tenantId, now, JSON.stringify([...newPolicies].map(([id, [name, hours]]) => [id, name, hours]))]);
    const records: DeviceRecord[] = rows.map((r) => ({ id: r.id, clientId: r.clientId, name: r.name, kind: r.kind, policyId: r.policyId, quotaBytes: r.quotaBytes ?? null }));
    const { created, updated } = await inventory.writeDevices(tx, tenantId, records, now);
    return { created, updated, total: records.length };
  });
}

/** The 422 of a rejected file: the first 100 errors by row and how many there were. */
function rejected(errors: RowErrorList, total: number) {
  const listed = errors.count > MAX_LISTED_ERRORS ? ` The first ${MAX_LISTED_ERRORS} of ${errors.count} errors are listed.` : '';
  return unprocessable(`${errors.rowCount} of ${total} row(s) are invalid; nothing was imported. Fix them and send the file again.${listed}`, errors.first(), errors.count);
}
