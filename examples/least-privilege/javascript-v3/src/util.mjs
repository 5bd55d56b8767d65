// Small helpers shared by the report functions (no AWS calls here).

export function lastMonth(now) {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

export function toCsvRow(values) {
  return values.map((v) => `"${String(v ?? '').replaceAll('"', '""')}"`).join(',') + '\n';
}
